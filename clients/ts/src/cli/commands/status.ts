// status: the kext link's state and the daemon's counters.
import { EXIT } from '../exit-codes';
import { printJson, type Context } from '../context';
import { ANY_USER, type Command } from '../command';

async function run(ctx: Context): Promise<number> {
  const s = await ctx.client.status();
  if (ctx.json) {
    printJson(ctx, s);
    return EXIT.OK;
  }
  const c = s.counters!;
  ctx.out(`link      ${s.linkState.replace('LINK_STATE_', '').toLowerCase()}: ${s.linkDetail} (generation ${s.linkGeneration})`);
  ctx.out(`clients   ${s.clients} connected, ${s.subscribers} subscribers, ${s.upcallHandlers} upcall handlers${s.upcallHandlersUnhealthy > 0 ? ` (${s.upcallHandlersUnhealthy} set aside for missed deadlines)` : ''}; up ${Math.round(Number(s.uptimeMs) / 1000)} s, epoch ${s.epoch}`);
  ctx.out(`kernel    ${c.datagramsIn} datagrams in, ${c.datagramsOut} out; ${c.malformedFromKext} malformed; ${c.linkResets} resets`);
  ctx.out(`calls     ${c.callsStarted} started, ${c.callsInflight} in flight, ${c.callsQueued} queued; ${Object.entries(c.callsByStatus).map(([k, v]) => `${k} ${v}`).join(', ') || 'none finished'}`);
  ctx.out(`events    ${c.eventsFromKernel} from the kext, ${c.eventsDelivered} delivered; lost: ${c.lostKernel} kernel, ${c.lostLink} link, ${c.lostDaemon} daemon, ${c.lostSubscriber} subscriber; ${c.eventsAbandoned} abandoned, ${c.malformedEvents} malformed; last seq ${c.lastSeq}`);
  ctx.out(`upcalls   ${c.upcalls} asked, ${c.upcallsAnswered} answered; ${c.upcallsNoHandler} no handler, ${c.upcallsLate} late, ${c.upcallsHandlerGone} handler gone`);
  ctx.out(`denied    ${c.denied}`);
  return EXIT.OK;
}

export const status: Command = {
  name: 'status',
  synopsis: '',
  summary: 'link state and every pipeline counter',
  who: ANY_USER,
  flags: {},
  help: `usage: kextbridge status [--json]

The kext link's state and the daemon's counters for every stage: kernel
datagrams, calls by status, events and losses by source, upcalls, denials.

example:
  kextbridge status --json | jq .counters.lostSubscriber`,
  run,
};
