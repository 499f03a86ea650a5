import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from 'kextbridge/internal/cli/commands/index';
import { commandHelp, usage } from 'kextbridge/internal/cli/help';

test('--help lists every command with its synopsis, from the commands themselves', () => {
  const text = usage();
  assert.equal(COMMANDS.length, new Set(COMMANDS.map((c) => c.name)).size, 'names are unique');
  for (const c of COMMANDS) assert.match(text, new RegExp(`^  ${c.name} .*${c.summary.replace(/[()]/g, '\\$&')}$`, 'm'), c.name);
});

test('each command\'s help has its usage line, an example and who may run it', () => {
  for (const c of COMMANDS) {
    const h = commandHelp(c);
    assert.match(h, new RegExp(`^usage: kextbridge ${c.name}\\b`), c.name);
    assert.match(h, /\nexamples?:\n {2}.*\bkextbridge /, c.name);
    assert.match(h, /\nwho may run it: .+\.$/, c.name);
    for (const flag of Object.keys(c.flags)) assert.match(h, new RegExp(`--${flag}\\b`), `${c.name} documents --${flag}`);
  }
});
