// This package's own .proto tree (kextbridge/v1, and the example and
// counter kexts' APIs): one level up from dist/, where this file runs.
import { resolve } from 'node:path';

export const PROTO_ROOT = resolve(__dirname, '..');

// Where kextbridged's sockets live by default, on each platform: the
// daemon listens there and clients look there.
export function runDir(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? '/var/run/kextbridge' : '/run/kextbridge';
}

export function defaultSocketPath(platform: NodeJS.Platform = process.platform): string {
  return `${runDir(platform)}/kextbridge.sock`;
}
