// `npm start`: the main job on a development machine. Starts kextsim (the
// example kext's engine in user space) and kextbridged serving the example
// kext's typed API, on sockets under ./.kb-run, then prints how to connect.
// Ctrl-C stops both. Arguments go to kextbridged after its own
// (`npm start -- --config dev.json`).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLE_PROTO, killAll, ROOT, startDaemon, startKextsim, type Started } from './lib/processes';

const runDir = join(ROOT, '.kb-run');
const kextSocket = join(runDir, 'kextsim.sock');
const daemonSocket = join(runDir, 'kextbridge.sock');

async function main(): Promise<void> {
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
    watch('kextsim', await startKextsim({ socket: kextSocket, stderr: 'inherit' }));
    const daemonArgs = ['--allow-any-user-socket', '--proto', EXAMPLE_PROTO, ...process.argv.slice(2)];
    watch('kextbridged', await startDaemon({ socket: daemonSocket, kextSocket, args: daemonArgs, until: '"msg":"serving"', stderr: 'inherit' }));
  } catch (err) {
    console.error(`start: ${(err as Error).message}`);
    killAll();
    process.exit(1);
  }
  console.log(`
kextbridged is serving ${daemonSocket} (kext: kextsim on ${kextSocket})

With the CLI, in another terminal, as any user (\`npx kextbridge\` in this
checkout, \`kextbridge\` where the package is installed):
  export KEXTBRIDGE_SOCKET=${daemonSocket}
  npx kextbridge describe
  npx kextbridge call echo --json '{"data":"aGk="}'
  npx kextbridge watch heartbeat

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

void main();
