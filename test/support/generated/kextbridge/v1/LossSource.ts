// Original file: proto/kextbridge/v1/loss.proto

export const LossSource = {
  LOSS_SOURCE_UNSPECIFIED: 'LOSS_SOURCE_UNSPECIFIED',
  /**
   * The kext could not enqueue them (LOSS frames, seq gaps).
   */
  LOSS_SOURCE_KERNEL: 'LOSS_SOURCE_KERNEL',
  /**
   * The daemon's ring no longer held them (since_seq too old).
   */
  LOSS_SOURCE_DAEMON: 'LOSS_SOURCE_DAEMON',
  /**
   * This subscriber's own queue overflowed.
   */
  LOSS_SOURCE_SUBSCRIBER: 'LOSS_SOURCE_SUBSCRIBER',
  /**
   * Published while the kext link was down, for topics wanted before it
   * dropped: the kext counts them and tells them when the link is back.
   */
  LOSS_SOURCE_LINK: 'LOSS_SOURCE_LINK',
} as const;

export type LossSource =
  | 'LOSS_SOURCE_UNSPECIFIED'
  | 0
  /**
   * The kext could not enqueue them (LOSS frames, seq gaps).
   */
  | 'LOSS_SOURCE_KERNEL'
  | 1
  /**
   * The daemon's ring no longer held them (since_seq too old).
   */
  | 'LOSS_SOURCE_DAEMON'
  | 2
  /**
   * This subscriber's own queue overflowed.
   */
  | 'LOSS_SOURCE_SUBSCRIBER'
  | 3
  /**
   * Published while the kext link was down, for topics wanted before it
   * dropped: the kext counts them and tells them when the link is back.
   */
  | 'LOSS_SOURCE_LINK'
  | 4

export type LossSource__Output = typeof LossSource[keyof typeof LossSource]
