// Original file: proto/example/v1/example.proto


export interface EmitRequest {
  /**
   * Catalog id of the topic: 1 exec, 2 heartbeat.
   */
  'topic'?: (number);
  /**
   * Events to publish, 1..10,000,000.
   */
  'count'?: (number);
  /**
   * Encoded size of each event in bytes (padding added to reach it);
   * at most what fits one datagram. 0 means the bare event.
   */
  'size'?: (number);
  /**
   * Events per second; 0 is as fast as possible. The max_event_rate
   * option caps it.
   */
  'ratePerSec'?: (number);
}

export interface EmitRequest__Output {
  /**
   * Catalog id of the topic: 1 exec, 2 heartbeat.
   */
  'topic': (number);
  /**
   * Events to publish, 1..10,000,000.
   */
  'count': (number);
  /**
   * Encoded size of each event in bytes (padding added to reach it);
   * at most what fits one datagram. 0 means the bare event.
   */
  'size': (number);
  /**
   * Events per second; 0 is as fast as possible. The max_event_rate
   * option caps it.
   */
  'ratePerSec': (number);
}
