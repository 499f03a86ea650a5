// The kextbridge client library: see docs/clients.md.
export { KextBridgeClient, target, type ClientOptions, type KextTypesOptions, type SubscribeOptions, type UpcallAnswer, type UpcallHandler, type OptionInput } from './client';
export { KextTypes, type KextTypesSource } from './kext-types';
export { KextBridgeError, isTransient } from './errors';
export { defaultSocketPath, DEFAULT_SOCKET } from './socket';
export { api } from './api';
export { PROTO_ROOT } from '@kextbridge/protocol';
// The messages the client's methods give back, as a program types them.
export type { BatchItem__Output as BatchItem } from './generated/kextbridge/v1/BatchItem';
export type { DescribeResponse__Output as DescribeResponse } from './generated/kextbridge/v1/DescribeResponse';
export type { Event__Output as Event } from './generated/kextbridge/v1/Event';
export type { Lost__Output as Lost } from './generated/kextbridge/v1/Lost';
export type { OptionValue__Output as OptionValue } from './generated/kextbridge/v1/OptionValue';
export type { Status__Output as Status } from './generated/kextbridge/v1/Status';
export type { Subscriber__Output as Subscriber } from './generated/kextbridge/v1/Subscriber';
export type { UpcallQuestion__Output as UpcallQuestion } from './generated/kextbridge/v1/UpcallQuestion';
export type { NumericItem } from './event-batch';
