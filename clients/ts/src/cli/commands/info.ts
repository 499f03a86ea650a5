// status, describe, health, subscribers: what the daemon and kext are.
import { EXIT } from '../exit-codes';
import { printJson, type Context } from '../context';

export async function status(ctx: Context): Promise<number> {
  const s = await ctx.client.status();
  if (ctx.json) {
    printJson(ctx, s);
    return EXIT.OK;
  }
  const c = s.counters!;
  ctx.out(`link      ${s.linkState.replace('LINK_STATE_', '').toLowerCase()}: ${s.linkDetail} (generation ${s.linkGeneration})`);
  ctx.out(`clients   ${s.clients} connected, ${s.subscribers} subscribers, ${s.upcallHandlers} upcall handlers; up ${Math.round(Number(s.uptimeMs) / 1000)} s, epoch ${s.epoch}`);
  ctx.out(`kernel    ${c.datagramsIn} datagrams in, ${c.datagramsOut} out; ${c.malformedFromKext} malformed; ${c.linkResets} resets`);
  ctx.out(`calls     ${c.callsStarted} started, ${c.callsInflight} in flight, ${c.callsQueued} queued; ${Object.entries(c.callsByStatus).map(([k, v]) => `${k} ${v}`).join(', ') || 'none finished'}`);
  ctx.out(`events    ${c.eventsFromKernel} from the kext, ${c.eventsDelivered} delivered; lost: ${c.lostKernel} kernel, ${c.lostLink} link, ${c.lostDaemon} daemon, ${c.lostSubscriber} subscriber; ${c.eventsAbandoned} abandoned, ${c.malformedEvents} malformed; last seq ${c.lastSeq}`);
  ctx.out(`upcalls   ${c.upcalls} asked, ${c.upcallsAnswered} answered; ${c.upcallsNoHandler} no handler, ${c.upcallsLate} late, ${c.upcallsHandlerGone} handler gone`);
  ctx.out(`denied    ${c.denied}`);
  return EXIT.OK;
}

export async function describe(ctx: Context): Promise<number> {
  const d = await ctx.client.describe();
  if (ctx.json) {
    printJson(ctx, d);
    return EXIT.OK;
  }
  const flag = (p: boolean): string => (p ? '  privileged' : '');
  ctx.out(`${d.kextIdentity} ${d.kextVersion}, protocol ${d.protocolVersion}; daemon ${d.daemonVersion}`);
  ctx.out(`limits: ${d.maxMessage}-byte messages, ${d.maxInflight} calls in flight`);
  ctx.out('commands:');
  for (const c of d.commands) ctx.out(`  ${String(c.id).padStart(3)}  ${c.name}${flag(c.privileged)}`);
  ctx.out('topics:');
  for (const t of d.topics) ctx.out(`  ${String(t.id).padStart(3)}  ${t.name}${flag(t.privileged)}`);
  ctx.out('options:');
  for (const o of d.options) {
    const type = o.type.replace('VALUE_TYPE_', '').toLowerCase();
    ctx.out(`  ${String(o.id).padStart(3)}  ${o.name}  ${type} ${o.min}..${o.max}${o.readonly ? '  read-only' : ''}${flag(o.privileged)}`);
  }
  ctx.out('upcalls:');
  for (const u of d.upcalls) ctx.out(`  ${String(u.id).padStart(3)}  ${u.name}  ${u.timeoutMs} ms, default ${u.defaultVerdict}${flag(u.privileged)}`);
  return EXIT.OK;
}

export async function health(ctx: Context): Promise<number> {
  const service = ctx.args[0] ?? '';
  const s = await ctx.client.health(service);
  if (ctx.json) printJson(ctx, { service, status: s });
  else ctx.out(s);
  return s === 'SERVING' ? EXIT.OK : EXIT.UNAVAILABLE;
}

export async function subscribers(ctx: Context): Promise<number> {
  const list = await ctx.client.listSubscribers();
  if (ctx.json) {
    printJson(ctx, list);
    return EXIT.OK;
  }
  if (list.length === 0) {
    ctx.out('no subscribers');
    return EXIT.OK;
  }
  ctx.out('   id    uid    pid  topics      policy        queued      lag  delivered     lost');
  for (const s of list) {
    const policy = s.overflow.replace('OVERFLOW_POLICY_', '').toLowerCase().replace('_', '-');
    ctx.out(
      `${String(s.id).padStart(5)} ${String(s.uid).padStart(6)} ${String(s.pid).padStart(6)}  ${s.topics.join(',').padEnd(10)}  ${policy.padEnd(12)} ${String(s.queued).padStart(7)} ${String(s.lag).padStart(8)} ${String(s.delivered).padStart(10)} ${String(s.lost).padStart(8)}`,
    );
  }
  return EXIT.OK;
}
