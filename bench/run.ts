// `npm run bench`: measures the baselines and the bridge side by side, in
// rounds, and prints one table of medians with min–max and ratios. Every
// child it starts is killed when it ends, whatever way it ends, and the
// whole run stops itself at its time limit.
//
//   npm run bench [-- --smoke | --quick] [--rounds N] [--profile DIR] ...
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { callRound, callSection, emptyCallSamples } from './calls';
import { emptyEventSamples, eventRound, eventSection } from './events';
import { emptyMemorySamples, memoryRound, memorySection } from './memory';
import { emptyMetricsSamples, metricsRound, metricsSection } from './metrics';
import { emptyUpcallSamples, upcallRound, upcallSection } from './upcalls';
import { startBridge } from './lib/bridge';
import { parseConfig, type BenchConfig } from './lib/config';
import { describeMachine, machineInfo } from './lib/machine';
import { killAll } from './lib/procs';
import { progress as log } from './lib/progress';
import { buildRawSeqpacket } from './lib/raw-seqpacket';
import { renderTable, type Section } from './lib/table';

interface Samples {
  calls: ReturnType<typeof emptyCallSamples>;
  events: ReturnType<typeof emptyEventSamples>;
  memory: ReturnType<typeof emptyMemorySamples>;
  upcalls: ReturnType<typeof emptyUpcallSamples>;
  metrics: ReturnType<typeof emptyMetricsSamples>;
}

function sections(c: BenchConfig, s: Samples): Section[] {
  const out: Section[] = [];
  if (c.only.includes('calls')) out.push(callSection(c, s.calls));
  if (c.only.includes('events')) out.push(eventSection(c, s.events));
  if (c.only.includes('memory')) out.push(memorySection(c, s.memory));
  if (c.only.includes('upcalls')) out.push(upcallSection(c, s.upcalls));
  if (c.only.includes('metrics')) out.push(metricsSection(c, s.metrics));
  return out;
}

async function run(c: BenchConfig, dir: string, { calls, events, memory, upcalls, metrics }: Samples): Promise<void> {
  const rawBin = buildRawSeqpacket(dir);
  if (c.only.includes('calls') || c.only.includes('events')) {
    // One daemon for calls and events, so a --profile covers both paths.
    const bridge = await startBridge(c.profileDir ? { cpuProfDir: c.profileDir } : {});
    try {
      for (let round = 0; round < c.rounds; round++) {
        if (c.only.includes('calls')) {
          log(`round ${round + 1}/${c.rounds}: calls`);
          await callRound(c, round, bridge, rawBin, dir, calls);
        }
        if (c.only.includes('events')) {
          log(`round ${round + 1}/${c.rounds}: events`);
          await eventRound(c, round, bridge, dir, events);
        }
      }
    } finally {
      await bridge.stop();
    }
  }
  if (c.only.includes('upcalls')) {
    // Daemons of their own: the calls and events above leave theirs warm.
    const bridge = await startBridge();
    const baseline = c.baselineDaemon ? await startBridge({ main: c.baselineDaemon }) : undefined;
    try {
      for (let round = 0; round < c.rounds; round++) {
        log(`round ${round + 1}/${c.rounds}: upcalls`);
        await upcallRound(c, round, bridge, baseline, upcalls);
      }
    } finally {
      await bridge.stop();
      await baseline?.stop();
    }
  }
  if (c.only.includes('metrics')) {
    // Daemons of their own, started together: one without metrics, one serving them.
    const off = await startBridge();
    const on = await startBridge({ scrapeMetrics: true });
    try {
      for (let round = 0; round < c.rounds; round++) {
        log(`round ${round + 1}/${c.rounds}: metrics off and on`);
        await metricsRound(c, round, off, on, metrics);
      }
    } finally {
      await off.stop();
      await on.stop();
    }
  }
  if (c.only.includes('memory')) {
    for (let round = 0; round < c.memoryRounds; round++) {
      log(`memory round ${round + 1}/${c.memoryRounds}`);
      await memoryRound(c, memory);
    }
  }
}

async function main(): Promise<number> {
  let c: BenchConfig;
  try {
    c = parseConfig(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kb-bench-'));
  const samples: Samples = { calls: emptyCallSamples(), events: emptyEventSamples(), memory: emptyMemorySamples(), upcalls: emptyUpcallSamples(), metrics: emptyMetricsSamples() };
  const limit = setTimeout(() => {
    console.error(`bench: stopped at its ${c.limitMs / 1000} s limit; what was measured so far:`);
    killAll();
    console.log(`\n${renderTable(sections(c, samples))}\n\nINCOMPLETE: stopped at the ${c.limitMs / 1000} s limit`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }, c.limitMs);
  const t0 = Date.now();
  console.log(describeMachine(machineInfo()));
  console.log(
    `mode ${c.mode}: ${c.rounds} rounds (memory ${c.memoryRounds}); kextsim + kextbridged + bare grpc-js servers + load clients as child processes of this one, all on local sockets`,
  );
  try {
    await run(c, dir, samples);
    console.log('');
    console.log(renderTable(sections(c, samples)));
    console.log('');
    console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s; ratios are medians of per-round ratios, each round measuring both sides moments apart`);
    if (samples.events.unbalanced + samples.metrics.unbalanced > 0) {
      console.log(`UNBALANCED: in ${samples.events.unbalanced} event runs delivered + lost + abandoned did not add up to what subscribers were given (see the notes)`);
      return 1;
    }
    return 0;
  } catch (err) {
    console.error(`bench: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    clearTimeout(limit);
    killAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
main().then((code) => process.exit(code));
