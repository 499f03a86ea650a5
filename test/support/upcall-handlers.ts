// Upcall handlers for tests: silent ones run as another uid (a hostile
// user's: they register and never answer), and an answering one in the
// test's own process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { loadSchema } from '@kextbridge/protocol';
import { stubScript, unary, type Client } from './daemon';
import { ROOT } from './paths';

export interface SilentHandlers {
  // Serve streams that ended with an error, by code, with one message each.
  refused: Map<number, string>;
  stop(): Promise<void>;
}

// `connections` connections as `uid`, each with `streams` Serve streams
// registered for `upcall` that read every question and answer none.
export function silentHandlers(socket: string, uid: number, upcall: string, connections: number, streams: number): SilentHandlers {
  const script = stubScript(
    socket,
    `for (let c = 0; c < ${connections}; c++) {
      const client = new B('unix://' + socket, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
      for (let s = 0; s < ${streams}; s++) {
        const serve = client.Serve();
        serve.on('data', () => {});
        serve.on('error', (e) => process.stdout.write(JSON.stringify({ code: e.code, details: e.details }) + '\\n'));
        serve.write({ register: { upcall: { name: ${JSON.stringify(upcall)} } } });
      }
    }
    setInterval(() => {}, 1 << 30);`,
  );
  const child = spawn(process.execPath, ['-e', script], { uid, gid: uid, stdio: ['ignore', 'pipe', 'inherit'] });
  const refused = new Map<number, string>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const e = JSON.parse(line) as { code: number; details: string };
    if (e.code !== 1) refused.set(e.code, e.details);
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  return {
    refused,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

const schema = loadSchema([join(ROOT, 'proto/example/v1/example.proto')]);
const SimulateExecRequest = schema.lookupType('kextbridge.example.v1.SimulateExecRequest');
const SimulateExecReply = schema.lookupType('kextbridge.example.v1.SimulateExecReply');
const ExecVerdict = schema.lookupType('kextbridge.example.v1.ExecVerdict');

type Duplex = NodeJS.EventEmitter & { write(m: unknown): boolean; cancel(): void };

// A Bridge handler of authorize_exec in this process that answers every
// question at once with `allow`.
export function answeringHandler(client: Client, allow: boolean): { asked: number; stop(): void } {
  const serve = client.Serve!() as Duplex;
  const answer = Buffer.from(ExecVerdict.encode({ allow }).finish());
  const h = {
    asked: 0,
    stop: () => serve.cancel(),
  };
  serve.on('data', (q: { id: number }) => {
    h.asked++;
    serve.write({ answer: { id: q.id, status: 0, payload: answer } });
  });
  serve.on('error', () => undefined);
  serve.write({ register: { upcall: { name: 'authorize_exec' } } });
  return h;
}

export interface ExecOutcome {
  allowed: boolean;
  decidedBy: string;
  ms: number;
}

// One simulate_exec through the Bridge, timed end to end.
export async function simulateExec(client: Client, pid: number): Promise<ExecOutcome> {
  const t0 = performance.now();
  const request = Buffer.from(SimulateExecRequest.encode({ pid, uid: 501, path: '/usr/bin/true' }).finish());
  const r = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'simulate_exec' }, payload: request });
  const ms = performance.now() - t0;
  const o = SimulateExecReply.toObject(SimulateExecReply.decode(r.payload), { enums: String, defaults: true }) as { allowed: boolean; decidedBy: string };
  return { allowed: o.allowed, decidedBy: o.decidedBy, ms };
}

// Upcall handlers the daemon holds now (GetStatus).
export async function handlerCount(client: Client): Promise<number> {
  return (await unary<{ upcallHandlers: number }>(client, 'GetStatus', {})).upcallHandlers;
}
