// @kextbridge/native: the daemon's one way into the OS: the kernel
// control channel, peer credentials, socket activation, descriptor limits.
export { binding, type NativeBinding, type NativeChannel, type NativeCredentials, type NativeProgram } from './binding';
export { KernelChannel, type CloseReason, type KernelChannelEvents, type OpenOptions } from './channel';
export { watchControl, type ControlWatcher, type ControlWatcherEvents } from './watch';
export { PeerIdentities, peerCredentials, socketFd, type GroupCacheOptions, type PeerCredentials } from './peer';
export { ProgramIdentities, sha256OfFd, type PeerProgram, type ProgramCacheOptions } from './program';
export { SignedPrograms, signatureText, type SignatureChecks, type SignedProgram } from './signature';
export { systemdListenFds, SD_LISTEN_FDS_START, type ActivationResult } from './activation';
export { raiseFileLimit, returnFreeMemory } from './limits';
