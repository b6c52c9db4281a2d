import type { LoadReport } from './checkin-load.ts';
import { spread } from './measure.ts';
import type { SizeResult } from './size-bench.ts';

/** One line of the bench table. */
export interface TableRow {
  readonly size: string;
  readonly measure: string;
  readonly median: string;
  readonly range: string;
  readonly target: string;
  readonly met: string;
}

const GIB = 2 ** 30;

/** The table as Markdown, columns padded so it also reads in a terminal. */
export function renderTable(rows: readonly TableRow[]): string {
  const head = ['size', 'measure', 'median', 'min..max', 'target', 'met'];
  const cells = [head, ...rows.map((r) => [r.size, r.measure, r.median, r.range, r.target, r.met])];
  const widths = head.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((text, i) => text.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(head), rule, ...cells.slice(1).map(line)].join('\n');
}

/** Peak RSS at 1 GiB against 4 GiB (medians); says how to run both when one is missing. */
export function rssAcrossSizes(results: readonly SizeResult[]): TableRow {
  const base = {
    size: '1 vs 4 GiB',
    measure: 'provisim run peak RSS, 4 GiB against 1 GiB',
    range: '',
    target: 'within 10 %',
  };
  const medianMiB = (dataBytes: number) => {
    const result = results.find((r) => r.image.dataBytes === dataBytes);
    const kib = result?.samples.agent?.flatMap((s) => (s.rssKiB === undefined ? [] : [s.rssKiB]));
    return kib?.length ? spread(kib).median / 1024 : undefined;
  };
  const one = medianMiB(GIB);
  const four = medianMiB(4 * GIB);
  if (one === undefined || four === undefined) {
    return { ...base, median: 'needs both sizes: BENCH_BOTH=1 npm run bench', met: 'n/a' };
  }
  const change = (four - one) / one;
  return {
    ...base,
    median: `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} % (${one.toFixed(0)} -> ${four.toFixed(0)} MiB)`,
    met: Math.abs(change) <= 0.1 ? 'met' : 'NOT met',
  };
}

/** The check-in load line. */
export function loadRow(load: LoadReport): TableRow {
  const base = { size: '-', range: '', target: '>= 5,000 req/s, p99 < 20 ms' };
  if ('skipped' in load)
    return { ...base, measure: 'check-in load', median: load.skipped, met: 'n/a' };
  const failures = load.failures > 0 ? `, ${load.failures} failed` : '';
  return {
    ...base,
    measure: `check-in load (${load.tool})`,
    median: `${Math.round(load.requestsPerSec).toLocaleString('en-US')} req/s, p99 ${load.p99Ms.toFixed(1)} ms${failures}`,
    met: load.requestsPerSec >= 5000 && load.p99Ms < 20 && load.failures === 0 ? 'met' : 'NOT met',
  };
}
