// Loaded into a process under test (node -r) by bench:export
// --allocations, to count its heap allocations over a stretch the bench
// chooses: the first SIGUSR2 starts V8's sampling heap profiler at a
// 1-byte interval with objects collected by minor and major GCs included
// (every allocation is one sample) and writes `<out>.started`; the second
// stops it and writes the number of samples to <out>. Nothing happens
// unless KB_ALLOCATIONS_OUT names <out>.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = process.env.KB_ALLOCATIONS_OUT;
if (out) {
  const session = new Session();
  session.connect();
  let sampling = false;
  process.on('SIGUSR2', () => {
    if (!sampling) {
      sampling = true;
      session.post('HeapProfiler.enable', () =>
        session.post('HeapProfiler.startSampling', { samplingInterval: 1, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }, () => writeFileSync(`${out}.started`, '')),
      );
      return;
    }
    session.post('HeapProfiler.stopSampling', (err, result) => {
      if (err) return writeFileSync(out, `error ${err.message}`);
      // Node's types lag the protocol: samples are there.
      const profile = result.profile as typeof result.profile & { samples: Array<{ nodeId: number }> };
      // The whole profile beside the count, to look at by allocation site.
      writeFileSync(`${out}.heapprofile`, JSON.stringify(profile));
      writeFileSync(out, String(profile.samples.length));
    });
  });
}
