// Where the benchmark finds the project's built pieces, from dist/bench/lib.
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const DAEMON_MAIN = join(ROOT, 'dist/daemon/src/main.js');
// The optimized build: the sanitizer build (kextsim-asan) the tests use
// would measure ASan, not the engine.
export const KEXTSIM = join(ROOT, 'kext/build/kextsim');
export const RAW_SEQPACKET_SOURCE = join(ROOT, 'bench/raw_seqpacket.c');
export const WORKERS = join(ROOT, 'dist/bench/workers');
