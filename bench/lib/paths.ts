// Where the benchmark finds its own built pieces; the daemon and kextsim
// are found by the stack starter (scripts/lib/processes.ts), kextsim as
// the optimized build: the sanitizer build the tests use would measure
// ASan, not the engine.
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/processes';

export { ROOT };
export const RAW_SEQPACKET_SOURCE = join(ROOT, 'bench/raw_seqpacket.c');
export const WORKERS = join(ROOT, 'dist/bench/workers');
