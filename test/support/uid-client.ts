// One connection to the daemon as another uid, kept open across calls
// (see uid-client-child.ts).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const child = resolve(__dirname, 'uid-client-child.js');

export interface CallResult {
  code: number;
  details: string;
  reply: unknown;
}

export interface UidClient {
  call(method: string, request?: unknown): Promise<CallResult>;
  close(): Promise<void>;
}

export function startUidClient(socket: string, uid: number, gid = uid): UidClient {
  const p = spawn(process.execPath, [child, socket], { uid, gid, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<number, (r: CallResult) => void>();
  let next = 1;
  createInterface({ input: p.stdout! }).on('line', (line) => {
    const r = JSON.parse(line) as CallResult & { id: number };
    waiting.get(r.id)?.(r);
    waiting.delete(r.id);
  });
  const exited = new Promise<void>((res) => p.once('exit', () => res()));
  void exited.then(() => {
    for (const w of waiting.values()) w({ code: -1, details: `session as uid ${uid} exited`, reply: null });
  });
  return {
    call(method, request = {}) {
      const id = next++;
      return new Promise((res) => {
        waiting.set(id, res);
        p.stdin!.write(JSON.stringify({ id, method, request }) + '\n');
      });
    },
    async close() {
      p.stdin!.end();
      await exited;
    },
  };
}
