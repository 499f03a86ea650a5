// "Did you mean" for unknown config keys and flags (the daemon's and the
// exporter's): a misspelt key would otherwise be ignored silently and its
// default used, which for a policy key means access that was meant to be
// restricted is not.

// Levenshtein distance, case-insensitive (maxinflight vs maxInflight is a
// typo, not a different key).
function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// The known name closest to `name`, if it is close enough to be a typo of
// it: at most a third of its length edited (and at least 2 allowed).
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
