// `npm run gen:docs`: writes docs/configuration.md from the daemon's key
// table (daemon/src/config/reference.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReference } from 'kextbridged/internal/config/reference';
import { ROOT } from './lib/processes';

writeFileSync(join(ROOT, 'docs/configuration.md'), configReference());
console.log('wrote docs/configuration.md');
