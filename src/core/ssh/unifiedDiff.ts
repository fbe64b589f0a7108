// A small unified diff for `runcode config-ssh --dry-run`. Our edits touch one contiguous
// region (the block), so one hunk between the common prefix and suffix is an exact diff.
const CONTEXT = 3;

const toLines = (s: string): string[] => (s === '' ? [] : s.replace(/\r?\n$/, '').split(/\r?\n/));

/** '' when equal; otherwise `--- a` / `+++ b` and one `@@` hunk. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string): string {
  if (before === after) return '';
  const a = toLines(before);
  const b = toLines(after);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const from = Math.max(0, pre - CONTEXT);
  const aEnd = Math.min(a.length, a.length - suf + CONTEXT);
  const bEnd = Math.min(b.length, b.length - suf + CONTEXT);
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  const range = (start: number, count: number): string => `${count === 0 ? start : start + 1},${count}`;
  out.push(`@@ -${range(from, aEnd - from)} +${range(from, bEnd - from)} @@`);
  for (let i = from; i < pre; i++) out.push(` ${a[i]}`);
  for (let i = pre; i < a.length - suf; i++) out.push(`-${a[i]}`);
  for (let i = pre; i < b.length - suf; i++) out.push(`+${b[i]}`);
  for (let i = a.length - suf; i < aEnd; i++) out.push(` ${a[i]}`);
  return out.join('\n') + '\n';
}
