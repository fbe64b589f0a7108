// The popover with 2,000 workspaces in Chromium (the built renderer, out/renderer): first render,
// filter per keystroke, and the JS heap. Reference, interleaved round by round: the same page
// with 20 workspaces, so the ratio is what the long list costs.
//
//   npx electron-vite build && npx tsx bench/figures/popover.ts [--rows 2000] [--popover-rounds 3]
import type { Row } from '../lib/report.js';
import { figureMain, measure, numberOption, percentile, progress } from '../lib/report.js';
import type { OpenList } from '../lib/popoverPage.js';
import {
  heapUsed,
  keystrokes,
  launchChromium,
  openList,
  QUERIES,
  throttleCpu,
  typing,
} from '../lib/popoverPage.js';

const SMALL = 20;

async function typeAll(list: OpenList): Promise<number[]> {
  await keystrokes(list, typing('warm')); // JIT warm-up
  const times: number[] = [];
  for (const q of QUERIES) times.push(...(await keystrokes(list, typing(q))));
  return times;
}

export async function popoverFigures(): Promise<Row[]> {
  const count = numberOption('rows', 2000);
  const rounds = numberOption('popover-rounds', 3);
  const browser = await launchChromium();
  const sizes = [count, SMALL];
  const s = sizes.map(() => ({
    first: [] as number[],
    own: [] as number[],
    transport: [] as number[],
    wait: [] as number[],
    calls: [] as number[],
    p95: [] as number[],
    max: [] as number[],
    slow: [] as number[],
    heap: [] as number[],
  }));
  const problems: string[] = [];
  try {
    progress(`popover: ${rounds} rounds, a fresh page each with ${count} and with ${SMALL} workspaces`);
    await (await openList(browser, SMALL)).close(); // warm-up: the browser's first page pays extra
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < sizes.length; k++) {
        const j = (r + k) % sizes.length;
        const list = await openList(browser, sizes[j]!);
        try {
          s[j]!.first.push(list.firstRender);
          if (list.listTransport === undefined) throw new Error('the harness set no marks for the list call');
          s[j]!.transport.push(list.listTransport);
          s[j]!.wait.push(list.harnessWait.ms);
          s[j]!.calls.push(list.harnessWait.calls);
          s[j]!.own.push(list.firstRender - list.harnessWait.ms);
          const times = await typeAll(list);
          s[j]!.p95.push(percentile(times, 95));
          s[j]!.max.push(Math.max(...times));
          await throttleCpu(list.page, 4);
          s[j]!.slow.push(percentile(await typeAll(list), 95));
          await throttleCpu(list.page, 1);
          s[j]!.heap.push((await heapUsed(list.page)) / 1024 ** 2);
          problems.push(...list.popover.problems);
        } finally {
          await list.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
  const ms = (xs: number[]) => measure(xs, 'ms');
  const [big, small] = s as [(typeof s)[0], (typeof s)[0]];
  const keys = QUERIES.reduce((a, q) => a + typing(q).length, 0);
  return [
    {
      figure: `popover first rows painted, ${count} workspaces, less the harness's transport (vs ${SMALL})`,
      ours: ms(big.own),
      reference: ms(small.own),
      target: '< 150 ms',
      met: ms(big.own).median < 150,
      note:
        `Navigation start to the first rows painted (the bench marks the first row entering the DOM, then the end of the ` +
        `frame that shows it; the renderer carries no benchmark code), fresh page each round, less the time the page ` +
        `waited on this harness's calls before that (${ms(big.wait).median.toFixed(0)} ms median over ` +
        `${Math.max(...big.calls)} calls, ${ms(small.wait).median.toFixed(0)} ms for ${SMALL}): a Playwright binding moves ` +
        `each answer, the ${count} rows in ${ms(big.transport).median.toFixed(0)} ms (${ms(small.transport).median.toFixed(1)} ms ` +
        `for ${SMALL}), where Electron's structured-clone IPC takes a few ms a call. What remains is ours: loading the ` +
        `scripts, the store, React's render, layout and paint.` +
        (problems.length ? ` Page problems: ${problems.join('; ')}` : ''),
    },
    {
      figure: `  popover first render with the harness's transport, ${count} workspaces (vs ${SMALL})`,
      ours: ms(big.first),
      reference: ms(small.first),
      target: '-',
      met: null,
    },
    {
      figure: `popover filter per keystroke p95, ${count} workspaces (vs ${SMALL})`,
      ours: ms(big.p95),
      reference: ms(small.p95),
      target: '< 16 ms',
      met: ms(big.p95).median < 16,
      note:
        `${keys} keystrokes a round (typed then erased), each timed input event -> React commit -> layout, checked against ` +
        `the expected row count; p95 per round, median (min-max) over rounds. Worst keystroke ${ms(big.max).median.toFixed(1)} ms.`,
    },
    {
      figure: `  filter per keystroke p95, CPU throttled 4x (a slow laptop)`,
      ours: ms(big.slow),
      reference: ms(small.slow),
      target: '-',
      met: null,
    },
    {
      figure: `renderer JS heap, ${count} workspaces listed (vs ${SMALL})`,
      ours: measure(big.heap, 'MB'),
      reference: measure(small.heap, 'MB'),
      target: '< 50 MB',
      met: measure(big.heap, 'MB').median < 50,
      note: 'Runtime.getHeapUsage (CDP) after HeapProfiler.collectGarbage, after the filter rounds.',
    },
  ];
}

await figureMain('popover', popoverFigures);
