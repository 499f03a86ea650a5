// What the CLI's exit status means, so scripts can branch on it.
import { status } from '@grpc/grpc-js';
import { KextBridgeError } from '../errors';

export const EXIT = {
  OK: 0,
  // The daemon or the kext refused the call for another reason.
  FAILED: 1,
  // Bad command line: nothing was sent.
  USAGE: 2,
  // The daemon is not reachable, or the kext link is not ready.
  UNAVAILABLE: 3,
  PERMISSION_DENIED: 4,
  // No such command, topic, option or upcall.
  NOT_FOUND: 5,
  // The request was refused as malformed or out of range.
  INVALID: 6,
} as const;

export function exitCodeFor(err: KextBridgeError): number {
  switch (err.code) {
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
      return EXIT.UNAVAILABLE;
    case status.PERMISSION_DENIED:
    case status.UNAUTHENTICATED:
      return EXIT.PERMISSION_DENIED;
    case status.NOT_FOUND:
      return EXIT.NOT_FOUND;
    case status.INVALID_ARGUMENT:
    case status.OUT_OF_RANGE:
      return EXIT.INVALID;
    default:
      return EXIT.FAILED;
  }
}

// A mistake on the command line, reported with exit status 2.
export class UsageError extends Error {}
