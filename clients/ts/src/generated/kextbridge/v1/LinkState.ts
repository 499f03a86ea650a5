// Original file: proto/kextbridge/v1/bridge.proto

export const LinkState = {
  LINK_STATE_UNSPECIFIED: 'LINK_STATE_UNSPECIFIED',
  /**
   * No kext: retrying with backoff.
   */
  LINK_STATE_CONNECTING: 'LINK_STATE_CONNECTING',
  /**
   * Connected, HELLO sent, waiting for WELCOME.
   */
  LINK_STATE_HANDSHAKE: 'LINK_STATE_HANDSHAKE',
  LINK_STATE_READY: 'LINK_STATE_READY',
  /**
   * The kext speaks no version we do, or its catalog is unusable.
   */
  LINK_STATE_INCOMPATIBLE: 'LINK_STATE_INCOMPATIBLE',
  /**
   * The daemon is draining for shutdown.
   */
  LINK_STATE_STOPPING: 'LINK_STATE_STOPPING',
} as const;

export type LinkState =
  | 'LINK_STATE_UNSPECIFIED'
  | 0
  /**
   * No kext: retrying with backoff.
   */
  | 'LINK_STATE_CONNECTING'
  | 1
  /**
   * Connected, HELLO sent, waiting for WELCOME.
   */
  | 'LINK_STATE_HANDSHAKE'
  | 2
  | 'LINK_STATE_READY'
  | 3
  /**
   * The kext speaks no version we do, or its catalog is unusable.
   */
  | 'LINK_STATE_INCOMPATIBLE'
  | 4
  /**
   * The daemon is draining for shutdown.
   */
  | 'LINK_STATE_STOPPING'
  | 5

export type LinkState__Output = typeof LinkState[keyof typeof LinkState]
