// Where the tests find the checkout and its built pieces (the stack
// starter, scripts/lib/processes.ts, knows the daemon's and kextsim's).
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/processes';

export { DAEMON_MAIN, EXAMPLE_PROTO } from '../../scripts/lib/processes';
export { ROOT };
export const CLI_MAIN = join(ROOT, 'clients/ts/dist/cli/main.js');
export const COUNTER_PROTO = join(ROOT, 'proto/counter/v1/counter.proto');
