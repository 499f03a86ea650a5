// The layout, held in CI: the packages' borders (below); no import cycle in daemon/src, the
// typed front end never reaches into the generic one (both are codecs over
// core/), the core knows neither front end, and main.ts only constructs
// and wires (every decision lives in a module it constructs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT as root } from '../support/paths';

const src = join(root, 'daemon/src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Imports of each daemon module that stay inside daemon/src, as paths
// relative to it ('core/events'), type-only imports included: a cycle of
// types is still a cycle of knowledge.
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  const modules = new Set(files(src).map((f) => relative(src, f).replace(/\.ts$/, '')));
  for (const f of files(src)) {
    const from = relative(src, f).replace(/\.ts$/, '');
    const text = readFileSync(f, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gms)) {
      const target = relative(src, resolve(dirname(f), m[1]!.replace(/\.js$/, '')));
      if (target.startsWith('..')) continue;
      // './wire' is the folder's index.ts.
      deps.push(modules.has(target) ? target : `${target}/index`);
    }
    g.set(from, deps);
  }
  return g;
}

function cycles(g: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of g.get(n) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of g.keys()) if (!state.has(n)) visit(n);
  return found;
}

test('no import cycle in daemon/src', () => {
  const g = graph();
  assert.ok(g.size > 30, `read ${g.size} modules`);
  assert.ok(g.get('bridge/service')?.includes('core/operations'), 'imports are read');
  assert.ok(g.get('core/session')?.includes('wire/index'), 'folder imports resolve to their index');
  assert.deepEqual(cycles(g).map((c) => c.join(' → ')), []);
});

test('the cycle check sees a cycle when there is one', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(cycles(g), [['a', 'b', 'c', 'a']]);
});

test('typed/ never imports bridge/, and core/ imports neither front end nor the server', () => {
  const g = graph();
  const bad: string[] = [];
  for (const [from, deps] of g) {
    for (const d of deps) {
      if (from.startsWith('typed/') && d.startsWith('bridge/')) bad.push(`${from} → ${d}`);
      if (from.startsWith('bridge/') && d.startsWith('typed/')) bad.push(`${from} → ${d}`);
      if (from.startsWith('core/') && /^(bridge|typed|server)\//.test(d)) bad.push(`${from} → ${d}`);
    }
  }
  assert.deepEqual(bad, []);
});

// The daemon's layers, lowest first: a module imports only its own layer
// and those below it. A new folder must take a place here.
const LAYERS: readonly (readonly string[])[] = [
  ['wire', 'log'],
  ['config'],
  ['auth', 'link'],
  ['core'],
  ['server'],
  ['bridge', 'typed', 'launchd'],
  ['lifecycle', 'memory', 'main'],
];

function layerOf(module: string): number {
  const top = module.split('/')[0]!;
  return LAYERS.findIndex((l) => l.includes(top));
}

function upwardImports(g: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [from, deps] of g) {
    if (layerOf(from) < 0) bad.push(`${from} is in no layer`);
    for (const d of deps) if (layerOf(d) > layerOf(from)) bad.push(`${from} → ${d}`);
  }
  return bad;
}

test('no module imports from a layer above its own (wire, log < config < auth, link < core < server < bridge, typed, launchd < main)', () => {
  const g = graph();
  assert.deepEqual(upwardImports(g), []);
  const probe = new Map([...g, ['core/probe', ['server/calls']]]);
  assert.deepEqual(upwardImports(probe), ['core/probe → server/calls'], 'the check sees an import upward');
});

test('grpc-js stays at the server edge: core/ and every layer below it import nothing of it', () => {
  const low = new Set(LAYERS.slice(0, LAYERS.findIndex((l) => l.includes('core')) + 1).flat());
  const bad = files(src)
    .filter((f) => low.has(relative(src, f).split('/')[0]!.replace(/\.ts$/, '')))
    .filter((f) => /from '@grpc\/grpc-js'/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(src, f));
  assert.deepEqual(bad, []);
  assert.ok(low.has('core') && low.has('wire'), 'the layers below the server are checked');
});

test('main.ts only constructs and wires: one function, no branching on frames or kinds, no handlers of its own', () => {
  const text = readFileSync(join(src, 'main.ts'), 'utf8');
  const functions = [...text.matchAll(/^(?:async\s+)?function\s+(\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(functions, ['main']);
  assert.doesNotMatch(text, /^class\s/m, 'no class');
  assert.doesNotMatch(text, /\bswitch\s*\(/, 'no switch');
  assert.doesNotMatch(text, /FrameType\.|decode[A-Z]\w*\(/, 'no frame handling');
  assert.doesNotMatch(text, /process\.on\(/, 'signals are lifecycle.ts\'s');
});

// The packages' borders: each imports only node's modules, its own files
// and the packages its package.json depends on; the daemon and the client
// never import each other, and no package reaches into another's
// internals (the kextbridge-internal export condition is the tests').
const PACKAGES = ['proto', 'native', 'daemon', 'clients/ts', 'export'];

// pkgRoot: the package's directory (its package.json), srcDir: its sources.
function borderCrossings(pkgRoot: string, srcDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(pkgRoot, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
  const allowed = new Set(Object.keys(manifest.dependencies ?? {}));
  const bad: string[] = [];
  for (const f of files(srcDir)) {
    const text = readFileSync(f, 'utf8');
    const specs = [...text.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms), ...text.matchAll(/\brequire(?:\.resolve)?\('([^']+)'\)/g)].map((m) => m[1]!);
    for (const spec of specs) {
      const where = `${relative(root, f)}: '${spec}'`;
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) {
        if (relative(pkgRoot, resolve(dirname(f), spec)).startsWith('..')) bad.push(`${where} leaves ${manifest.name}`);
        continue;
      }
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (!allowed.has(name)) bad.push(`${where} is not a dependency of ${manifest.name}`);
      else if (/\/internal\//.test(spec)) bad.push(`${where} reaches into ${name}'s internals`);
    }
  }
  return bad;
}

test('each package imports only its own files and its declared dependencies', () => {
  for (const pkg of PACKAGES) assert.deepEqual(borderCrossings(join(root, pkg), join(root, pkg, pkg === 'native' ? 'lib' : 'src')), [], pkg);
});

test('the daemon and the client library never depend on each other', () => {
  const deps = (dir: string): string[] => Object.keys((JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {});
  assert.ok(!deps('daemon').includes('kextbridge'), 'kextbridged depends on kextbridge');
  assert.ok(!deps('clients/ts').includes('kextbridged'), 'kextbridge depends on kextbridged');
  assert.ok(!deps('clients/ts').includes('@kextbridge/native'), 'the client needs no native addon');
  assert.ok(!deps('export').includes('kextbridged'), 'the exporter is a client of the daemon, through the public client library');
});

test('the border check sees a crossing when there is one', () => {
  // A package of its own, outside the checkout: the client's manifest and
  // one source file that crosses twice.
  const pkg = mkdtempSync(join(tmpdir(), 'kb-border-'));
  try {
    mkdirSync(join(pkg, 'src'));
    copyFileSync(join(root, 'clients/ts/package.json'), join(pkg, 'package.json'));
    writeFileSync(join(pkg, 'src/border-probe.ts'), "import { Operations } from '../../daemon/src/core/operations';\nimport { x } from 'kextbridged/internal/core/events';\n");
    const bad = borderCrossings(pkg, join(pkg, 'src'));
    assert.equal(bad.length, 2, bad.join('\n'));
    assert.match(bad[0]!, /leaves kextbridge/);
    assert.match(bad[1]!, /not a dependency of kextbridge/);
  } finally {
    rmSync(pkg, { recursive: true, force: true });
  }
});
