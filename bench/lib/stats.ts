// Order statistics for benchmark samples. Rounds are summarized by their
// median with min and max, never the mean: on a shared 2-core VM one
// descheduled round would drag a mean anywhere.

export interface Spread {
  median: number;
  min: number;
  max: number;
}

// The q-quantile (0..1) of samples by nearest rank; NaN when empty.
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return quantileOfSorted(sorted, q);
}

// As quantile(), for samples already sorted ascending (large latency
// arrays are sorted once for several quantiles).
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function spread(samples: readonly number[]): Spread {
  const finite = samples.filter((x) => Number.isFinite(x));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN };
  return { median: quantile(finite, 0.5), min: Math.min(...finite), max: Math.max(...finite) };
}

// Per-round ratios subject/baseline, so that each ratio compares two
// measurements taken moments apart on the same machine state.
export function ratios(subject: readonly number[], baseline: readonly number[]): number[] {
  const n = Math.min(subject.length, baseline.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(subject[i]! / baseline[i]!);
  return out;
}
