// Original file: proto/kextbridge/v1/bridge.proto

export const OverflowPolicy = {
  /**
   * Drop the oldest queued events to make room (the default).
   */
  OVERFLOW_POLICY_UNSPECIFIED: 'OVERFLOW_POLICY_UNSPECIFIED',
  OVERFLOW_POLICY_DROP_OLDEST: 'OVERFLOW_POLICY_DROP_OLDEST',
  /**
   * Drop the events that do not fit.
   */
  OVERFLOW_POLICY_DROP_NEWEST: 'OVERFLOW_POLICY_DROP_NEWEST',
  /**
   * End the stream with RESOURCE_EXHAUSTED.
   */
  OVERFLOW_POLICY_DISCONNECT: 'OVERFLOW_POLICY_DISCONNECT',
} as const;

export type OverflowPolicy =
  /**
   * Drop the oldest queued events to make room (the default).
   */
  | 'OVERFLOW_POLICY_UNSPECIFIED'
  | 0
  | 'OVERFLOW_POLICY_DROP_OLDEST'
  | 1
  /**
   * Drop the events that do not fit.
   */
  | 'OVERFLOW_POLICY_DROP_NEWEST'
  | 2
  /**
   * End the stream with RESOURCE_EXHAUSTED.
   */
  | 'OVERFLOW_POLICY_DISCONNECT'
  | 3

export type OverflowPolicy__Output = typeof OverflowPolicy[keyof typeof OverflowPolicy]
