// "did you mean ...?" for a mistyped command or option: the closest known word by edit distance,
// when it is close enough to be a typo rather than a different word.

/** Edit distance with adjacent transpositions (optimal string alignment): `lsit` is 1 from `list`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate a typo of `word` most likely meant, or undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    // A prefix that names exactly one candidate counts as close (`conn` -> `connect`).
    const d = c.startsWith(word) && word.length >= 3 ? 1 : editDistance(word, c);
    if (d < bestScore) [best, bestScore] = [c, d];
  }
  const allowed = Math.max(1, Math.floor((best?.length ?? 0) / 3));
  return bestScore <= allowed ? best : undefined;
}
