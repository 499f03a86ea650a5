// HELLO (daemon -> kext) and the negotiation it starts. WELCOME's layout is
// in catalog.ts; checkWelcome here decides whether a WELCOME answers our
// HELLO and what each direction's limits are from then on.

import { isU16, putU16, putU32, utf8Encode } from './bytes';
import {
  FRAME_HEADER_SIZE,
  HELLO_SIZE,
  MAX_DATAGRAM,
  MAX_MESSAGE,
  MAX_NAME,
  MIN_DATAGRAM,
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_MIN,
} from './constants';
import { fail, ok, type Result } from './errors';
import type { Welcome } from './catalog';

export interface Hello {
  readonly versionMin: number;
  readonly versionMax: number;
  // Largest datagram the daemon accepts (>= MIN_DATAGRAM).
  readonly maxDatagram: number;
  // Largest reassembled message the daemon accepts.
  readonly maxMessage: number;
  // The daemon's name, 0..MAX_NAME bytes of UTF-8.
  readonly name: string;
}

// The HELLO payload. Throws RangeError on values v1 does not allow.
export function encodeHello(h: Hello): Uint8Array {
  const name = utf8Encode(h.name);
  if (!isU16(h.versionMin) || !isU16(h.versionMax) || h.versionMin > h.versionMax) {
    throw new RangeError(`version range ${h.versionMin}..${h.versionMax} is not a u16 range`);
  }
  if (!Number.isInteger(h.maxDatagram) || h.maxDatagram < MIN_DATAGRAM || h.maxDatagram > MAX_DATAGRAM) {
    throw new RangeError(`maxDatagram ${h.maxDatagram} is not within ${MIN_DATAGRAM}..${MAX_DATAGRAM}`);
  }
  if (!Number.isInteger(h.maxMessage) || h.maxMessage < h.maxDatagram - FRAME_HEADER_SIZE || h.maxMessage > MAX_MESSAGE) {
    throw new RangeError(`maxMessage ${h.maxMessage} is not within maxDatagram-16..${MAX_MESSAGE}`);
  }
  if (name.length > MAX_NAME) throw new RangeError(`daemon name is ${name.length} bytes, more than ${MAX_NAME}`);
  const out = new Uint8Array(HELLO_SIZE + name.length);
  putU16(out, 0, h.versionMin);
  putU16(out, 2, h.versionMax);
  putU32(out, 4, h.maxDatagram);
  putU32(out, 8, h.maxMessage);
  out.set(name, HELLO_SIZE);
  return out;
}

// The highest version both this codec and a peer speaking min..max know, or null.
export function chooseVersion(min: number, max: number): number | null {
  const chosen = Math.min(max, PROTOCOL_VERSION);
  return min <= max && chosen >= min && chosen >= PROTOCOL_VERSION_MIN ? chosen : null;
}

// What each direction may carry once HELLO and WELCOME are exchanged.
export interface Negotiated {
  readonly version: number;
  // Daemon -> kext: datagram and message limits the kext announced.
  readonly sendDatagram: number;
  readonly sendMessage: number;
  // Kext -> daemon: the limits our HELLO announced.
  readonly receiveDatagram: number;
  readonly receiveMessage: number;
  // Requests the kext holds pending at once.
  readonly maxInflight: number;
}

// Checks a WELCOME against the HELLO it answers; offsets are WELCOME payload offsets.
export function checkWelcome(hello: Hello, w: Welcome): Result<Negotiated> {
  if (w.version < hello.versionMin || w.version > hello.versionMax || chooseVersion(w.version, w.version) === null) {
    return fail('BAD_VALUE', 0, `WELCOME chose version ${w.version}, HELLO offered ${hello.versionMin}..${hello.versionMax}`);
  }
  if (w.maxDatagram < MIN_DATAGRAM || w.maxDatagram > MAX_DATAGRAM) {
    return fail('BAD_VALUE', 4, `kext max_datagram ${w.maxDatagram} is not within ${MIN_DATAGRAM}..${MAX_DATAGRAM}`);
  }
  if (w.maxMessage < w.maxDatagram - FRAME_HEADER_SIZE || w.maxMessage > MAX_MESSAGE) {
    return fail('BAD_VALUE', 8, `kext max_message ${w.maxMessage} is not within max_datagram-16..${MAX_MESSAGE}`);
  }
  if (w.maxInflight < 1) return fail('BAD_VALUE', 12, 'kext max_inflight is 0');
  return ok({
    version: w.version,
    sendDatagram: w.maxDatagram,
    sendMessage: w.maxMessage,
    receiveDatagram: hello.maxDatagram,
    receiveMessage: hello.maxMessage,
    maxInflight: w.maxInflight,
  });
}
