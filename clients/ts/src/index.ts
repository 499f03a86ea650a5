// The kextbridge client library: see docs/clients.md.
export { KextBridgeClient, target, type ClientOptions, type SubscribeOptions, type UpcallAnswer, type UpcallHandler, type OptionInput } from './client';
export { KextBridgeError, isTransient } from './errors';
export { defaultSocketPath, DEFAULT_SOCKET } from './socket';
export { api, PROTO_DIR } from './api';
