// describe: the connected kext's identity, limits and catalog, with the
// message types of the typed method bound to each item.
import type { ItemKind } from '@kextbridge/protocol';
import { EXIT } from '../exit-codes';
import { printJson, type Context } from '../context';
import { ANY_USER, type Command } from '../command';
import type { KextTypes } from '../../kext-types';

// Each kind's message types, as (key, request or response) pairs.
const ROLES: Record<ItemKind, Array<[string, 'request' | 'response']>> = {
  command: [['request', 'request'], ['reply', 'response']],
  topic: [['request', 'request'], ['event', 'response']],
  upcall: [['question', 'response'], ['answer', 'request']],
  option: [['value', 'response']],
};

function typesOf(types: KextTypes, kind: ItemKind, id: number): Record<string, string> {
  const b = types.find(kind, id);
  if (!b) return {};
  return Object.fromEntries(ROLES[kind].map(([key, side]) => [key, b[side].fullName.replace(/^\./, '')]));
}

// "EchoRequest -> EchoReply" for a person: the names without their package.
function shown(kind: ItemKind, t: Record<string, string>): string {
  const short = (name: string | undefined): string => name?.replace(/^.*\./, '') ?? '';
  if (Object.keys(t).length === 0) return '';
  switch (kind) {
    case 'command':
      return `  ${short(t['request'])} -> ${short(t['reply'])}`;
    case 'topic':
      return `  stream ${short(t['event'])}`;
    case 'upcall':
      return `  asks ${short(t['question'])}, answered by ${short(t['answer'])}`;
    default:
      return '';
  }
}

async function run(ctx: Context): Promise<number> {
  const [d, types] = await Promise.all([ctx.client.describe(), ctx.typed()]);
  const typed = <T extends { id: number }>(kind: ItemKind, items: T[]): Array<T & Record<string, string>> => items.map((i) => ({ ...i, ...typesOf(types, kind, i.id) }));
  const commands = typed('command', d.commands);
  const topics = typed('topic', d.topics);
  const options = typed('option', d.options);
  const upcalls = typed('upcall', d.upcalls);
  if (ctx.json) {
    printJson(ctx, { ...d, commands, topics, options, upcalls });
    return EXIT.OK;
  }
  const flag = (p: boolean): string => (p ? '  privileged' : '');
  ctx.out(`${d.kextIdentity} ${d.kextVersion}, protocol ${d.protocolVersion}; daemon ${d.daemonVersion}`);
  ctx.out(`limits: ${d.maxMessage}-byte messages, ${d.maxInflight} calls in flight`);
  ctx.out('commands:');
  for (const c of commands) ctx.out(`  ${String(c.id).padStart(3)}  ${c.name}${shown('command', typesOf(types, 'command', c.id))}${flag(c.privileged)}`);
  ctx.out('topics:');
  for (const t of topics) ctx.out(`  ${String(t.id).padStart(3)}  ${t.name}${shown('topic', typesOf(types, 'topic', t.id))}${flag(t.privileged)}`);
  ctx.out('options:');
  for (const o of options) {
    const type = o.type.replace('VALUE_TYPE_', '').toLowerCase();
    ctx.out(`  ${String(o.id).padStart(3)}  ${o.name}  ${type} ${o.min}..${o.max}${o.readonly ? '  read-only' : ''}${flag(o.privileged)}`);
  }
  ctx.out('upcalls:');
  for (const u of upcalls) ctx.out(`  ${String(u.id).padStart(3)}  ${u.name}  ${u.timeoutMs} ms, default ${u.defaultVerdict}${shown('upcall', typesOf(types, 'upcall', u.id))}${flag(u.privileged)}`);
  if (types.unavailable) ctx.err(`(no message types: ${types.unavailable})`);
  return EXIT.OK;
}

export const describe: Command = {
  name: 'describe',
  synopsis: '',
  summary: "the kext's identity and catalog, with message types",
  who: ANY_USER,
  flags: {},
  help: `usage: kextbridge describe [--json]

The connected kext's identity, protocol version, limits and catalog:
commands, topics, options (type, range) and upcalls, with which are
privileged, and the message types of the typed method bound to each
(a command's request and reply, a topic's event, an upcall's question and
answer), as the daemon serves them or as --proto gives them. --json names
them in full: "request", "reply", "event", "value", "question", "answer".

example:
  kextbridge describe`,
  run,
};
