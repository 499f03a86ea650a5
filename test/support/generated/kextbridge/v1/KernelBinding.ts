// Original file: proto/kextbridge/v1/options.proto


export interface KernelBinding {
  /**
   * Catalog id of a command: unary method, request and reply bytes are
   * the method's input and output messages.
   */
  'command'?: (number);
  /**
   * Catalog id of a topic: server-streaming method, each event's bytes
   * are one output message.
   */
  'topic'?: (number);
  /**
   * Catalog id of an upcall: bidirectional method that registers the
   * caller as a handler.
   */
  'upcall'?: (number);
  /**
   * Catalog id of an option: unary get (empty input) or set.
   */
  'option'?: (number);
  /**
   * Catalog name the id must carry; checked against WELCOME so a proto
   * that drifted from the kext is refused (FAILED_PRECONDITION).
   */
  'name'?: (string);
  'target'?: "command"|"topic"|"upcall"|"option";
}

export interface KernelBinding__Output {
  /**
   * Catalog id of a command: unary method, request and reply bytes are
   * the method's input and output messages.
   */
  'command'?: (number);
  /**
   * Catalog id of a topic: server-streaming method, each event's bytes
   * are one output message.
   */
  'topic'?: (number);
  /**
   * Catalog id of an upcall: bidirectional method that registers the
   * caller as a handler.
   */
  'upcall'?: (number);
  /**
   * Catalog id of an option: unary get (empty input) or set.
   */
  'option'?: (number);
  /**
   * Catalog name the id must carry; checked against WELCOME so a proto
   * that drifted from the kext is refused (FAILED_PRECONDITION).
   */
  'name': (string);
  'target'?: "command"|"topic"|"upcall"|"option";
}
