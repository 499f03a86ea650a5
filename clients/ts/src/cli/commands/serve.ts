// serve: answer a kext's upcalls, each by running a program (the question
// on its stdin, the answer on its stdout) or by calling a JS module's
// exported function. No answer in time, a failing program or a throw:
// the kext's default applies. Ctrl-C ends it.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { status } from '@grpc/grpc-js';

import { EXIT, UsageError } from '../exit-codes';
import { ANY_USER, type Command } from '../command';
import { printJson, type Context } from '../context';
import { decodeToJson, encodeJson } from '../typed';
import type { UpcallAnswer } from '../../client';
import type { UpcallQuestion__Output } from '../../generated/kextbridge/v1/UpcallQuestion';
import type { MethodBinding } from '@kextbridge/protocol';

type Answerer = (q: UpcallQuestion__Output, input: Buffer) => Promise<Buffer>;

// Runs the program once per question; resolves with its stdout when it exits 0.
function programAnswerer(argv: string[], upcall: string): Answerer {
  return (q, input) =>
    new Promise((resolveAnswer, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, KEXTBRIDGE_UPCALL: upcall, KEXTBRIDGE_UPCALL_ID: String(q.id), KEXTBRIDGE_TIMEOUT_MS: String(q.timeoutMs) },
      });
      const out: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(1, q.timeoutMs));
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      child.stdin!.on('error', () => {});
      child.stdin!.end(input);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${argv[0]}: ${err.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolveAnswer(Buffer.concat(out));
        else reject(new Error(`${argv[0]} ${signal ? `was killed (${signal}): no answer within ${q.timeoutMs} ms` : `exited ${code}`}`));
      });
    });
}

type ModuleHandler = (question: unknown, meta: { id: number; timeoutMs: number }) => unknown;

function moduleAnswerer(file: string, binding: MethodBinding | undefined): Answerer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolve(file)) as { default?: ModuleHandler } | ModuleHandler;
  const fn = typeof mod === 'function' ? mod : mod.default;
  if (typeof fn !== 'function') throw new UsageError(`${file} must export a function (module.exports = async (question) => answer)`);
  return async (q, input) => {
    const question = binding ? decodeToJson(binding.response, input) : input;
    const answer = await fn(question, { id: q.id, timeoutMs: q.timeoutMs });
    if (binding) return encodeJson(binding.request, JSON.stringify(answer ?? {}));
    return Buffer.from(answer as Uint8Array);
  };
}

async function run(ctx: Context): Promise<number> {
  const upcall = ctx.args[0];
  const program = ctx.args.slice(1);
  const moduleFile = ctx.flags['module'] as string | undefined;
  if (!upcall) throw new UsageError('name the upcall: kextbridge serve <upcall> -- <program> [args...]');
  if ((program.length > 0) === (moduleFile !== undefined)) throw new UsageError('say how to answer: -- <program> [args...] or --module FILE.js, one of them');
  // Typed upcalls speak JSON with the program (unless --raw).
  const binding = ctx.flags['raw'] ? undefined : (await ctx.typed()).find('upcall', upcall);
  const answer = moduleFile ? moduleAnswerer(moduleFile, binding) : programAnswerer(program, upcall);
  let answered = 0;
  let defaulted = 0;
  const report = (q: UpcallQuestion__Output, ok: boolean, why: string): void => {
    if (ctx.json) printJson(ctx, { id: q.id, answered: ok, detail: why });
    else ctx.err(`upcall ${q.id}: ${ok ? 'answered' : `default applies (${why})`} [${answered} answered, ${defaulted} defaulted]`);
  };
  const handler = async (q: UpcallQuestion__Output): Promise<UpcallAnswer> => {
    const input = binding && !moduleFile ? Buffer.from(JSON.stringify(decodeToJson(binding.response, q.payload)) + '\n') : q.payload;
    try {
      let out = await answer(q, input);
      if (binding && !moduleFile) out = encodeJson(binding.request, out.toString('utf8').trim() || '{}');
      answered++;
      report(q, true, 'ok');
      return { status: 0, payload: out };
    } catch (err) {
      defaulted++;
      report(q, false, (err as Error).message);
      return { status: status.UNAVAILABLE };
    }
  };
  if (!ctx.json) ctx.err(`serving ${upcall}${binding ? ` (typed: ${binding.response.name} in, ${binding.request.name} out, as JSON)` : ''}; Ctrl-C to stop`);
  await ctx.client.serve(upcall, handler, ctx.signal);
  return EXIT.OK;
}

export const serve: Command = {
  name: 'serve',
  synopsis: '<upcall> -- <program>',
  summary: 'answer upcalls by running a program',
  who: ANY_USER,
  flags: { module: { type: 'string' }, raw: { type: 'boolean' } },
  help: `usage: kextbridge serve <upcall> -- <program> [args...]
       kextbridge serve <upcall> --module handler.js [--raw]

Registers as a handler of the upcall and answers each question. A program
runs once per question with the question on stdin (JSON when the upcall's
type is known, else raw bytes; --raw forces bytes) and
KEXTBRIDGE_UPCALL, KEXTBRIDGE_UPCALL_ID, KEXTBRIDGE_TIMEOUT_MS set; exit 0
with the answer on stdout answers, anything else (or running past the
timeout) lets the kext's default apply. A module exports
async (question, {id, timeoutMs}) => answer.

example:
  kextbridge serve authorize_exec -- sh -c 'grep -q /usr/bin/ && echo "{\\"allow\\": true}" || echo "{}"'`,
  run,
};
