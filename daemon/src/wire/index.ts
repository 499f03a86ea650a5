// Wire protocol v1 codec for the daemon; docs/protocol.md is the spec.
export * from './constants';
export * from './errors';
export { Frame, decodeDatagram, encodeFrame, writeFrame, writeFrameHeader, type DecodedDatagram } from './frame';
export { FrameWriter, type FrameWriterOptions } from './writer';
export { Reassembler, type Message, type RefusedMessage, type ReassemblyResult } from './reassembler';
export { encodeHello, chooseVersion, checkWelcome, type Hello, type Negotiated } from './hello';
export * from './catalog';
export * from './values';
export * from './heads';
// RESPONSE error messages and GOODBYE messages are UTF-8 meant for people.
export { utf8Lossy as decodeText } from './bytes';
