/**
 * "Did you mean …" for a value that is well formed but not a known name (an instance type with a
 * typo). Edit distance is the optimal-string-alignment kind: an insertion, a deletion, a substitution
 * or a swap of two neighbouring characters each count one, so "xlrage" is one edit from "xlarge".
 */

/** Edits between `a` and `b` (optimal string alignment distance). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidates nearest `value` (all tied at the best distance, in the candidates' order, at most `limit`), none past `maxDistance`. */
export function closest(value: string, candidates: readonly string[], maxDistance = 2, limit = 3): string[] {
  let best = maxDistance + 1;
  let found: string[] = [];
  for (const candidate of candidates) {
    // Lengths differing by more than the best so far cannot be nearer.
    if (Math.abs(candidate.length - value.length) > best) continue;
    const distance = editDistance(value, candidate);
    if (distance < best) {
      best = distance;
      found = [candidate];
    } else if (distance === best) {
      found.push(candidate);
    }
  }
  return found.slice(0, limit);
}

/** `"c6g.xlarge"` or `"a" or "b"`, or undefined when nothing is near. */
export function didYouMean(value: string, candidates: readonly string[]): string | undefined {
  const near = closest(value, candidates);
  return near.length > 0 ? near.map((name) => JSON.stringify(name)).join(" or ") : undefined;
}
