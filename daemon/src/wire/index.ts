// Wire protocol v1 codec for the daemon; docs/protocol.md is the spec.
export * from './constants.js';
export * from './errors.js';
export { Frame, decodeDatagram, encodeFrame, writeFrame, writeFrameHeader, type DecodedDatagram } from './frame.js';
export { FrameWriter, type FrameWriterOptions } from './writer.js';
export { Reassembler, type Message, type RefusedMessage, type ReassemblyResult } from './reassembler.js';
export { encodeHello, decodeHello, chooseVersion, checkWelcome, type Hello, type Session } from './hello.js';
export * from './catalog.js';
export * from './values.js';
export * from './heads.js';
/** RESPONSE error messages and GOODBYE messages are UTF-8 meant for people. */
export { utf8Lossy as decodeText } from './bytes.js';
