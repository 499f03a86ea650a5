// Original file: proto/kextbridge/v1/options.proto

import type { Long } from '@grpc/proto-loader';

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
  /**
   * The rest describes the catalog item to the kext's C generator
   * (docs/kext-authors.md); the daemon reads the kext's own catalog from
   * WELCOME, never these.
   * 
   * KB_ENTRY_PRIVILEGED: by default only root and the admin group may use it.
   */
  'privileged'?: (boolean);
  /**
   * Options: may be read, never set (KB_ENTRY_READONLY).
   */
  'readOnly'?: (boolean);
  /**
   * Options of an integer type: the bounds the engine checks before it
   * stores a value (inclusive; both 0: the type's own range).
   */
  'min'?: (number | string | Long);
  'max'?: (number | string | Long);
  /**
   * Upcalls: how long the kext waits for an answer (milliseconds, > 0),
   * and the verdict it takes when none comes.
   */
  'timeoutMs'?: (number);
  'defaultVerdict'?: (number);
  /**
   * Commands: the kext gets a cancel hook (the daemon's CANCEL) for work
   * that runs on after the handler returns.
   */
  'cancellable'?: (boolean);
  /**
   * Options: anyone may read it; by default only root and the admin group
   * may set it (KB_ENTRY_SET_PRIVILEGED; privileged closes both).
   */
  'setPrivileged'?: (boolean);
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
  /**
   * The rest describes the catalog item to the kext's C generator
   * (docs/kext-authors.md); the daemon reads the kext's own catalog from
   * WELCOME, never these.
   * 
   * KB_ENTRY_PRIVILEGED: by default only root and the admin group may use it.
   */
  'privileged': (boolean);
  /**
   * Options: may be read, never set (KB_ENTRY_READONLY).
   */
  'readOnly': (boolean);
  /**
   * Options of an integer type: the bounds the engine checks before it
   * stores a value (inclusive; both 0: the type's own range).
   */
  'min': (string);
  'max': (string);
  /**
   * Upcalls: how long the kext waits for an answer (milliseconds, > 0),
   * and the verdict it takes when none comes.
   */
  'timeoutMs': (number);
  'defaultVerdict': (number);
  /**
   * Commands: the kext gets a cancel hook (the daemon's CANCEL) for work
   * that runs on after the handler returns.
   */
  'cancellable': (boolean);
  /**
   * Options: anyone may read it; by default only root and the admin group
   * may set it (KB_ENTRY_SET_PRIVILEGED; privileged closes both).
   */
  'setPrivileged': (boolean);
  'target'?: "command"|"topic"|"upcall"|"option";
}
