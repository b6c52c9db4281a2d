import { sizeLabel } from './bench-config.ts';
import { spread, type Sample } from './measure.ts';
import type { PathId, SizeResult } from './size-bench.ts';
import type { TableRow } from './bench-table.ts';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** The table rows for one image size: times, peak RSS, the ratios and the resume line. */
export function sizeRows(result: SizeResult): TableRow[] {
  const size = sizeLabel(result.image.dataBytes);
  const row = (measure: string, median: string, range = '', target = '', met = ''): TableRow => ({
    size,
    measure,
    median,
    range,
    target,
    met,
  });
  const seconds = (id: PathId) => result.samples[id]?.map((s) => s.seconds);
  const timeRow = (id: PathId) => {
    const values = seconds(id);
    if (!values) return row(`${id} serving to curl -o /dev/null`, 'skipped (nginx not installed)');
    const { median, min, max } = spread(values);
    const rate = (result.image.archiveBytes / MIB / median).toFixed(0);
    return row(
      result.labels[id]!,
      `${median.toFixed(2)} s (${rate} MiB/s)`,
      `${min.toFixed(2)}..${max.toFixed(2)} s`,
    );
  };
  const ratioRow = (
    measure: string,
    over: PathId,
    under: PathId,
    target: string,
    met: (r: number) => string,
  ) => {
    const a = seconds(over);
    const b = seconds(under);
    if (!a || !b) return row(measure, 'skipped (nginx not installed)', '', target, 'n/a');
    const { median, min, max } = spread(a.map((x, i) => x / b[i]!));
    return row(
      measure,
      `${median.toFixed(2)}x`,
      `${min.toFixed(2)}..${max.toFixed(2)}x`,
      target,
      met(median),
    );
  };
  const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    timeRow('curl'),
    timeRow('tee'),
    timeRow('byHand'),
    timeRow('agent'),
    rssRow(result.samples.agent ?? [], row),
    ratioRow('provisioning / bare curl -o', 'agent', 'curl', '<= 1.25x (stretch 1.10x)', (r) =>
      r <= 1.1 ? 'met, stretch met' : r <= 1.25 ? 'met, stretch not met' : 'NOT met',
    ),
    ratioRow('provisioning / by hand', 'agent', 'byHand', '<= 0.60x', (r) => yes(r <= 0.6)),
    timeRow('nginx'),
    timeRow('portal'),
    ratioRow('portal speed / nginx speed', 'nginx', 'portal', '>= 0.80x', (r) => yes(r >= 0.8)),
    ...resumeRows(result, row, yes),
  ];
}

type MakeRow = (
  measure: string,
  median: string,
  range?: string,
  target?: string,
  met?: string,
) => TableRow;

function rssRow(samples: readonly Sample[], row: MakeRow): TableRow {
  const measure = 'provisim run peak RSS (/usr/bin/time -f %M)';
  const kib = samples.flatMap((s) => (s.rssKiB === undefined ? [] : [s.rssKiB]));
  if (kib.length === 0) {
    return row(measure, 'n/a (/usr/bin/time not installed)', '', '<= 150 MiB', 'n/a');
  }
  const { median, min, max } = spread(kib.map((k) => k / 1024));
  const met = max <= 150 ? 'met' : 'NOT met';
  return row(
    measure,
    `${median.toFixed(0)} MiB`,
    `${min.toFixed(0)}..${max.toFixed(0)} MiB`,
    '<= 150 MiB, every round',
    met,
  );
}

function resumeRows(result: SizeResult, row: MakeRow, yes: (ok: boolean) => string): TableRow[] {
  if ('failed' in result.resume) {
    const why = `failed: ${result.resume.failed.replace(/\s+/g, ' ').slice(0, 160)}`;
    return [row('resume after SIGKILL at 50 %', why, '', '<= remaining + 1 MiB', 'NOT met')];
  }
  const { fetchedBytes, remainingBytes, heldBytes, rehashMs } = result.resume;
  const mib = (n: number) => `${(n / MIB).toFixed(1)} MiB`;
  const excess = fetchedBytes - remainingBytes;
  const fetched = row(
    'resume after SIGKILL at 50 %: bytes the 2nd run fetched',
    `${mib(fetchedBytes)} of ${mib(remainingBytes)} remaining (${excess >= 0 ? '+' : ''}${(excess / 1024).toFixed(1)} KiB)`,
    '',
    '<= remaining + 1 MiB',
    yes(excess <= MIB),
  );
  const measure = `resume: rebuilding the hash of ${mib(heldBytes)} held`;
  if (rehashMs === undefined || heldBytes === 0) {
    const why =
      heldBytes === 0 ? 'n/a (the 2nd run started over)' : 'n/a (no rehashMs in download-resumed)';
    return [fetched, row(measure, why, '', '<= 0.5 s per GiB held', 'n/a')];
  }
  const perGib = rehashMs / 1000 / (heldBytes / GIB);
  const rehash = row(
    measure,
    `${(rehashMs / 1000).toFixed(2)} s (${perGib.toFixed(2)} s/GiB)`,
    '',
    '<= 0.5 s per GiB held',
    yes(perGib <= 0.5),
  );
  return [fetched, rehash];
}
