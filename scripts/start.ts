// `npm start`: the main job on a development machine. Starts kextsim (the
// example kext's engine in user space, or `--kext NAME`'s: any kext the
// build found) and kextbridged serving that kext's typed API from its
// .proto, on sockets under ./.kb-run, then prints how to connect. Ctrl-C
// stops both. Other arguments go to kextbridged after its own
// (`npm start -- --kext counter --config dev.json`).
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import { findKext } from './lib/kexts';
import { killAll, ROOT, startDaemon, startKextsim, type Started } from './lib/processes';

// KEXTBRIDGE_RUN_DIR: somewhere else than ./.kb-run (tests, a second stack).
const runDir = process.env['KEXTBRIDGE_RUN_DIR'] ?? join(ROOT, '.kb-run');
const kextSocket = join(runDir, 'kextsim.sock');
const daemonSocket = join(runDir, 'kextbridge.sock');

// --kext NAME is ours; the rest is the daemon's.
function takeKext(args: string[]): { kext: string; rest: string[] } {
  const at = args.indexOf('--kext');
  if (at < 0) return { kext: 'example', rest: args };
  const kext = args[at + 1];
  if (!kext) throw new Error('--kext needs the name of a kext (a folder kext/NAME with a kext.mk)');
  return { kext, rest: [...args.slice(0, at), ...args.slice(at + 2)] };
}

async function main(): Promise<void> {
  let kext: { name: string; proto: string };
  let rest: string[];
  try {
    const taken = takeKext(process.argv.slice(2));
    kext = findKext(taken.kext);
    rest = taken.rest;
  } catch (err) {
    console.error(`start: ${(err as Error).message}`);
    process.exit(2);
  }
  mkdirSync(runDir, { recursive: true });
  const children: Started[] = [];
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.all(children.map((c) => c.stop('SIGTERM', 3000)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const watch = (name: string, c: Started): void => {
    children.push(c);
    // Their output goes on to this terminal from here on.
    c.forget();
    c.process.stdout!.on('data', (d: Buffer) => process.stdout.write(d));
    c.process.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`start: ${name} exited (${signal ?? code}); stopping`);
      void stop(1);
    });
  };
  try {
    watch('kextsim', await startKextsim({ socket: kextSocket, args: ['--kext', kext.name], stderr: 'inherit' }));
    const daemonArgs = ['--allow-any-user-socket', '--proto', kext.proto, ...rest];
    watch('kextbridged', await startDaemon({ socket: daemonSocket, kextSocket, args: daemonArgs, until: '"msg":"serving"', stderr: 'inherit' }));
  } catch (err) {
    console.error(`start: ${(err as Error).message}`);
    killAll();
    process.exit(1);
  }
  const example = kext.name === 'example';
  console.log(`
kextbridged is serving ${daemonSocket} (kext ${kext.name}: kextsim on ${kextSocket},
typed API from ${relative(ROOT, kext.proto)})

With the CLI, in another terminal, as any user (\`npx kextbridge\` in this
checkout, \`kextbridge\` where the package is installed):
  export KEXTBRIDGE_SOCKET=${daemonSocket}
  npx kextbridge describe
${example ? `  npx kextbridge call echo --json '{"data":"aGk="}'\n  npx kextbridge watch heartbeat\n` : ''}
With grpcurl (reflection is on):
${example ? `  grpcurl -plaintext -unix -d '{"data":"aGk="}' ${daemonSocket} kextbridge.example.v1.Example/Echo\n` : ''}  grpcurl -plaintext -unix ${daemonSocket} list
  grpcurl -plaintext -unix ${daemonSocket} kextbridge.v1.Bridge/Describe
${example ? `  grpcurl -plaintext -unix -d '{"command":{"name":"echo"},"payload":"CgJoaQ=="}' ${daemonSocket} kextbridge.v1.Bridge/Call\n  grpcurl -plaintext -unix -d '{"topics":[{"name":"heartbeat"}]}' ${daemonSocket} kextbridge.v1.Bridge/Subscribe\n` : ''}
Any gRPC client works the same way: proto/kextbridge/v1/bridge.proto and the
kext's own ${relative(ROOT, kext.proto)} (docs/clients.md). Logs are JSON
lines on stdout.

Ctrl-C stops both.`);
}

void main();
