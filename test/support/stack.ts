// kextsim, a daemon on it with a config file, and a root Bridge client:
// what most integration tests start first.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EXAMPLE_PROTO } from './paths';
import { startKextsim, type Kextsim } from './kextsim';
import { bridgeClient, startDaemon, type Client, type Daemon, type DaemonStart } from './daemon';

export interface Stack {
  // A directory readable by every uid, removed by stop().
  dir: string;
  // The daemon's config file: rewrite it and send SIGHUP to reload.
  configFile: string;
  sim: Kextsim;
  daemon: Daemon;
  client: Client;
  stop(): Promise<void>;
}

export async function startStack(config: object = {}, kextsimArgs: string[] = [], daemonStart: DaemonStart = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-stack-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'config.json');
  // kextsim runs the example kext: serve its typed API unless the config names protos.
  writeFileSync(file, JSON.stringify('protoFiles' in config ? config : { protoFiles: [EXAMPLE_PROTO], ...config }));
  const sim = await startKextsim(kextsimArgs);
  const daemon = await startDaemon(sim.socket, ['--config', file], daemonStart);
  const client = bridgeClient(daemon.socket);
  const stack: Stack = {
    dir,
    configFile: file,
    sim,
    daemon,
    client,
    // What the stack holds now: a test may have started a new daemon or kextsim in it.
    async stop() {
      stack.client.close();
      await stack.daemon.stop();
      await stack.sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
