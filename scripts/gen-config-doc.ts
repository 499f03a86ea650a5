// `npm run gen:docs`: writes docs/configuration.md from the daemon's key
// table (daemon/src/config/reference.ts), and the metric list of
// docs/operations.md from the daemon's and the exporter's registries.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReference } from 'kextbridged/internal/config/reference';
import { withMetricsList } from './lib/metrics-doc';
import { ROOT } from './lib/processes';

writeFileSync(join(ROOT, 'docs/configuration.md'), configReference());
console.log('wrote docs/configuration.md');
const operations = join(ROOT, 'docs/operations.md');
writeFileSync(operations, withMetricsList(readFileSync(operations, 'utf8')));
console.log('wrote the metric list of docs/operations.md');
// prom-client's default metrics watch the event loop; nothing else is left to wait for.
process.exit(0);
