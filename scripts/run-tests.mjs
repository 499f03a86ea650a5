#!/usr/bin/env node
// Runs the compiled TypeScript tests with node's test runner, one group
// at a time, and prints each group's counts:
//   unit         dist/test/unit: one module each, no process started
//   integration  dist/test/integration: the real kextsim, daemon, clients
// Usage: run-tests.mjs [unit|integration] [substring...]
// Tests import package internals through the kextbridge-internal export
// condition (see each package.json), set here for them and their children.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const GROUPS = ['unit', 'integration'];

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const groups = GROUPS.includes(args[0]) ? [args.shift()] : GROUPS;
const only = args;

function run(group) {
  let files;
  try {
    files = find(join('dist/test', group), []);
  } catch {
    files = [];
  }
  files = files.filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
  if (files.length === 0) return Promise.resolve({ group, files: 0, tests: 0, pass: 0, fail: 0, code: only.length > 0 ? 0 : 1 });
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=kextbridge-internal`.trim() };
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: ['inherit', 'pipe', 'inherit'], env });
  let tail = '';
  child.stdout.on('data', (d) => {
    process.stdout.write(d);
    tail = (tail + d.toString()).slice(-(1 << 20));
  });
  const count = (name) => Number(new RegExp(`ℹ ${name} (\\d+)`).exec(tail)?.[1] ?? 0);
  return new Promise((resolve) => child.on('close', (code) => resolve({ group, files: files.length, tests: count('tests'), pass: count('pass'), fail: count('fail'), code: code ?? 1 })));
}

const results = [];
for (const g of groups) results.push(await run(g));
console.log('');
for (const r of results) console.log(`${r.group}: ${r.files} files, ${r.tests} tests, ${r.pass} passed, ${r.fail} failed`);
const bad = results.filter((r) => r.code !== 0);
if (results.every((r) => r.files === 0)) console.error('no test files matched under dist/test: run `npm run build:ts` first');
process.exit(bad.length > 0 ? 1 : 0);
