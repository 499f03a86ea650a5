// @kextbridge/protocol: what the daemon and its clients both need of a
// kext's API: the .proto files, their descriptors (built for reflection,
// read back by clients), and the binding of each typed method to the kext
// catalog item its (kextbridge.v1.kernel) option names.
export { PROTO_ROOT, defaultSocketPath, runDir } from './paths';
export { loadSchema, typedServices } from './schema';
export { buildDescriptorSet, type DescriptorFile, type DescriptorSet } from './descriptors';
export { schemaFromDescriptors } from './descriptor-schema';
export { bindingDisagreements, type Sides } from './binding-diff';
export { bindService, OPTION_FIELD_TYPES, type ItemKind, type MethodBinding } from './bindings';
export { Backoff, jittered, sleep } from './backoff';
export { closest } from './suggest';
export { BatchKey, ItemKey, EventKey, LostKey, LinkKey, LossSource, LOSS_SOURCE_NAMES, LinkState, LINK_STATE_NAMES, type LossSourceName, type LinkStateName } from './event-batch';
export { OVERFLOW_POLICY_NAMES, OVERFLOW_POLICY_SHORT, OVERFLOW_POLICY_CHOICES, DEFAULT_OVERFLOW_POLICY, overflowPolicyOf, type OverflowPolicyName } from './overflow';
export { parseListenAddress, listenMetrics, serveRegistry, metricList, type MetricInfo, type ListenAddress, type Exposition, type MetricsEndpoint } from './metrics-endpoint';
