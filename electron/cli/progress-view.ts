import cliProgress from 'cli-progress';
import prettyBytes from 'pretty-bytes';
import { terminalText } from '../../shared/terminal-text.ts';
import type { DownloadProgress } from '../agent/download/image-download.ts';

/** A terminal progress bar with rate, ETA and the resumed offset, plus lines printed above it (controls escaped). */
export interface ProgressView {
  readonly update: (progress: DownloadProgress) => void;
  readonly log: (line: string) => void;
  readonly stop: () => void;
}

const RATE_WINDOW_MS = 3_000;

/** Creates the view on a stream; without a terminal it prints lines only. */
export function createProgressView(stream: NodeJS.WriteStream): ProgressView {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: '{bar} {percentage}% | {done} / {size} | {rate}/s | ETA {eta_formatted}{resumed}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  const samples: { at: number; transferred: number }[] = [];

  return {
    update(progress) {
      const now = Date.now();
      samples.push({ at: now, transferred: progress.transferred });
      while (samples.length > 2 && now - samples[0]!.at > RATE_WINDOW_MS) samples.shift();
      const first = samples[0]!;
      const rate =
        now > first.at ? ((progress.transferred - first.transferred) * 1000) / (now - first.at) : 0;
      const total = progress.total ?? progress.transferred;
      const payload = {
        done: prettyBytes(progress.transferred),
        size: progress.total === undefined ? '?' : prettyBytes(progress.total),
        rate: prettyBytes(rate),
        resumed:
          progress.resumedFrom > 0 ? ` | resumed at ${prettyBytes(progress.resumedFrom)}` : '',
      };
      if (!stream.isTTY) return;
      if (!bar) bar = multi.create(total, progress.transferred, payload);
      bar.setTotal(total);
      bar.update(progress.transferred, payload);
    },
    log(line) {
      // Event lines quote the portal (names, hosts, error messages): no control reaches the terminal.
      const text = terminalText(line);
      if (bar) multi.log(`${text}\n`);
      else stream.write(`${text}\n`);
    },
    stop() {
      if (!bar) return;
      multi.stop();
      bar = undefined;
    },
  };
}
