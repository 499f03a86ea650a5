// Every failed call surfaces as a KextBridgeError: a gRPC status code (and
// its name) plus the daemon's message, which says what to do.
import { status, type ServiceError } from '@grpc/grpc-js';

export class KextBridgeError extends Error {
  readonly code: status;
  readonly codeName: string;
  readonly details: string;

  constructor(code: status, details: string) {
    super(`${status[code] ?? code}: ${details}`);
    this.name = 'KextBridgeError';
    this.code = code;
    this.codeName = status[code] ?? String(code);
    this.details = details;
  }

  static from(err: unknown): KextBridgeError {
    if (err instanceof KextBridgeError) return err;
    const e = err as Partial<ServiceError>;
    if (typeof e.code === 'number') return new KextBridgeError(e.code, e.details ?? e.message ?? '');
    return new KextBridgeError(status.UNKNOWN, (err as Error)?.message ?? String(err));
  }
}

// Worth retrying after a pause: the daemon or the kext is away for now.
export function isTransient(err: KextBridgeError): boolean {
  return err.code === status.UNAVAILABLE;
}
