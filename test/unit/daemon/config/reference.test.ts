import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReference } from 'kextbridged/internal/config/reference';
import { keyList } from 'kextbridged/internal/config/keys';
import { helpText } from 'kextbridged/internal/config/cli';
import { ROOT } from '../../../support/paths';

test('docs/configuration.md is the key table as it is now (npm run gen:docs)', () => {
  const have = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
  assert.equal(have, configReference(), 'docs/configuration.md is stale: run npm run gen:docs');
});

test('the reference has a row for every key, with its bounds and flag', () => {
  const text = configReference();
  for (const { path } of keyList()) assert.match(text, new RegExp(`^\\| \`${path.replace('.', '\\.')}\` \\|`, 'm'), path);
  assert.match(text, /^\| `limits\.maxInflight` \| integer \| `64` \| 1\.\.4096 \| `--max-inflight N` \|/m);
  assert.match(text, /^\| `socketPath` \| absolute path \| `"\/var\/run\/kextbridge\/kextbridge\.sock"` \(macOS\), `"\/run\/kextbridge\/kextbridge\.sock"` \(Linux\) \|/m);
});

test('--help lists every flag of the table and the activation flags', () => {
  const help = helpText();
  for (const { spec } of keyList()) if (spec.flag) assert.match(help, new RegExp(`^  --${spec.flag.name}\\b`, 'm'), spec.flag.name);
  assert.match(help, /^  --systemd-socket /m);
  assert.match(help, /^  --launchd-socket NAME /m);
  assert.match(help, /docs\/configuration\.md/);
});
