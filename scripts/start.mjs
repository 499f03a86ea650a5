#!/usr/bin/env node
// `npm start`: the main job on a development machine. Starts kextsim (the
// example kext's engine in user space) and kextbridged on sockets under
// ./.kb-run, then prints how to connect. Ctrl-C stops both. Arguments go to
// kextbridged after its own (`npm start -- --config dev.json`).
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');
const runDir = resolve(root, '.kb-run');
const kextSocket = resolve(runDir, 'kextsim.sock');
const daemonSocket = resolve(runDir, 'kextbridge.sock');
const kextsim = resolve(root, 'kext/build/kextsim');
const daemon = resolve(root, 'dist/daemon/src/main.js');

for (const [file, how] of [[kextsim, 'npm run build:c'], [daemon, 'npm run build:ts']]) {
  if (!existsSync(file)) {
    console.error(`start: ${file} is missing; build it with \`${how}\``);
    process.exit(1);
  }
}
mkdirSync(runDir, { recursive: true });

const children = [];
let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// Resolves with the first stdout line that matches, echoing the rest.
function startChild(name, cmd, args, ready) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`start: ${name} exited (${signal ?? code}); stopping`);
      stop(1);
    }
  });
  return new Promise((resolveReady, rejectReady) => {
    const timer = setTimeout(() => rejectReady(new Error(`${name} did not report ready within 15 s`)), 15000);
    let seen = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!seen && ready.test(line)) {
        seen = true;
        clearTimeout(timer);
        resolveReady(line);
      } else {
        process.stdout.write(line + '\n');
      }
    });
  });
}

try {
  await startChild('kextsim', kextsim, ['--socket', kextSocket], /^KEXTSIM READY /);
  await startChild('kextbridged', process.execPath, [daemon, '--socket', daemonSocket, '--kext-socket', kextSocket, '--allow-any-user-socket', ...process.argv.slice(2)], /"msg":"serving"/);
} catch (err) {
  console.error(`start: ${err.message}`);
  stop(1);
}
if (!stopping) {
  console.log(`
kextbridged is serving ${daemonSocket} (kext: kextsim on ${kextSocket})

With the CLI (in another terminal, any user):
  export KEXTBRIDGE_SOCKET=${daemonSocket}
  node dist/clients/ts/src/cli/main.js describe
  node dist/clients/ts/src/cli/main.js call echo --json '{"data":"aGk="}'
  node dist/clients/ts/src/cli/main.js watch heartbeat

With grpcurl (reflection is on):
  grpcurl -plaintext -unix -d '{"data":"aGk="}' ${daemonSocket} kextbridge.example.v1.Example/Echo
  grpcurl -plaintext -unix ${daemonSocket} list
  grpcurl -plaintext -unix ${daemonSocket} kextbridge.v1.Bridge/Describe
  grpcurl -plaintext -unix -d '{"command":{"name":"echo"},"payload":"CgJoaQ=="}' ${daemonSocket} kextbridge.v1.Bridge/Call
  grpcurl -plaintext -unix -d '{"topics":[{"name":"heartbeat"}]}' ${daemonSocket} kextbridge.v1.Bridge/Subscribe

Any gRPC client works the same way: proto/kextbridge/v1/bridge.proto and the
kext's own proto/example/v1/example.proto (docs/clients.md). Logs are JSON
lines on stdout.

Ctrl-C stops both.`);
}
