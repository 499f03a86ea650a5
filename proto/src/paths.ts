// This package's own .proto tree (kextbridge/v1, and the example and
// counter kexts' APIs): one level up from dist/, where this file runs.
import { resolve } from 'node:path';

export const PROTO_ROOT = resolve(__dirname, '..');
