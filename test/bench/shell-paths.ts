import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchImage } from './bench-image.ts';
import { timedShell, type Sample } from './measure.ts';

/** One way of getting the image, run once per round in a fresh output folder. */
export interface BenchPath {
  readonly label: string;
  /** A few words for the progress lines on stderr. */
  readonly short: string;
  readonly run: (dir: string) => Promise<Sample>;
}

/** Bare `curl -o`: the download alone, the floor every other path is compared with. */
export function bareCurl(url: string, image: BenchImage): BenchPath {
  return {
    label: 'bare curl -o',
    short: 'curl -o',
    run: async (dir) => {
      const out = join(dir, image.file);
      const { seconds } = await timedShell('curl -sSf -o "$1" "$2"', [out, url]);
      await expectSize(out, image);
      return { seconds };
    },
  };
}

/** Download and hash in one pass with the fastest hash a user has at hand. */
export function curlTeeOpenssl(url: string, image: BenchImage): BenchPath {
  return {
    label: 'curl | tee | openssl dgst -sha256',
    short: 'tee+openssl',
    run: async (dir) => {
      const out = join(dir, image.file);
      const script = 'curl -sSf "$2" | tee "$1" | openssl dgst -sha256';
      const { stdout, seconds } = await timedShell(script, [out, url]);
      expectDigest(stdout, image);
      return { seconds };
    },
  };
}

/** What the vendor's documentation tells a person to do: download, check, unpack. */
export function byHand(url: string, image: BenchImage): BenchPath {
  return {
    label: 'by hand: curl -o; openssl dgst -sha256; tar -xf',
    short: 'by hand',
    run: async (dir) => {
      const script =
        'curl -sSf -o "$1" "$2" && openssl dgst -sha256 "$1" && mkdir "$3" && tar -xf "$1" -C "$3"';
      const args = [join(dir, image.file), url, join(dir, 'vm')];
      const { stdout, seconds } = await timedShell(script, args);
      expectDigest(stdout, image);
      return { seconds };
    },
  };
}

/** A server's speed alone: `curl -o /dev/null` of the image (nginx against the portal). */
export function serveToNull(server: string, url: string, image: BenchImage): BenchPath {
  const label = `${server} serving to curl -o /dev/null`;
  return {
    label,
    short: `${server} to null`,
    run: async () => {
      const script = 'curl -sSf -o /dev/null -w "%{size_download}" "$1"';
      const { stdout, seconds } = await timedShell(script, [url]);
      if (Number(stdout) !== image.archiveBytes) {
        throw new Error(`${label}: got ${stdout} bytes of ${image.archiveBytes}`);
      }
      return { seconds };
    },
  };
}

async function expectSize(file: string, image: BenchImage): Promise<void> {
  const { size } = await stat(file);
  if (size !== image.archiveBytes) {
    throw new Error(`${file}: ${size} bytes of ${image.archiveBytes}`);
  }
}

function expectDigest(stdout: string, image: BenchImage): void {
  if (!stdout.includes(image.sha256)) {
    throw new Error(`the SHA-256 printed (${stdout.trim()}) is not the image's ${image.sha256}`);
  }
}
