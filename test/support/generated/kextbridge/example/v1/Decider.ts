// Original file: proto/example/v1/example.proto

export const Decider = {
  DECIDER_UNSPECIFIED: 'DECIDER_UNSPECIFIED',
  /**
   * An upcall handler answered.
   */
  DECIDER_HANDLER: 'DECIDER_HANDLER',
  /**
   * The default applied: no answer within the timeout.
   */
  DECIDER_DEFAULT_TIMEOUT: 'DECIDER_DEFAULT_TIMEOUT',
  /**
   * The default applied: no daemon connected.
   */
  DECIDER_DEFAULT_NO_DAEMON: 'DECIDER_DEFAULT_NO_DAEMON',
  /**
   * The default applied: the daemon declined (no handler, handler error).
   */
  DECIDER_DEFAULT_REFUSED: 'DECIDER_DEFAULT_REFUSED',
  /**
   * The default applied: too many upcalls waiting at once.
   */
  DECIDER_DEFAULT_BUSY: 'DECIDER_DEFAULT_BUSY',
  /**
   * The default applied: the answer could not be decoded.
   */
  DECIDER_DEFAULT_INVALID: 'DECIDER_DEFAULT_INVALID',
  /**
   * The default applied: the daemon went away while we waited.
   */
  DECIDER_DEFAULT_DISCONNECTED: 'DECIDER_DEFAULT_DISCONNECTED',
} as const;

export type Decider =
  | 'DECIDER_UNSPECIFIED'
  | 0
  /**
   * An upcall handler answered.
   */
  | 'DECIDER_HANDLER'
  | 1
  /**
   * The default applied: no answer within the timeout.
   */
  | 'DECIDER_DEFAULT_TIMEOUT'
  | 2
  /**
   * The default applied: no daemon connected.
   */
  | 'DECIDER_DEFAULT_NO_DAEMON'
  | 3
  /**
   * The default applied: the daemon declined (no handler, handler error).
   */
  | 'DECIDER_DEFAULT_REFUSED'
  | 4
  /**
   * The default applied: too many upcalls waiting at once.
   */
  | 'DECIDER_DEFAULT_BUSY'
  | 5
  /**
   * The default applied: the answer could not be decoded.
   */
  | 'DECIDER_DEFAULT_INVALID'
  | 6
  /**
   * The default applied: the daemon went away while we waited.
   */
  | 'DECIDER_DEFAULT_DISCONNECTED'
  | 7

export type Decider__Output = typeof Decider[keyof typeof Decider]
