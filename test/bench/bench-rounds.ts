import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { settle, type Sample } from './measure.ts';
import type { BenchPath } from './shell-paths.ts';

/** Runs every path once per round, interleaved; samples per path, indexed by round. */
export async function runRounds(
  paths: readonly BenchPath[],
  rounds: number,
  scratchDir: string,
): Promise<Sample[][]> {
  const samples = paths.map((): Sample[] => []);
  for (let round = 0; round < rounds; round++) {
    // Rotating who goes first keeps any drift over a round from always landing on one path.
    const order = paths.map((_, i) => (i + round) % paths.length);
    const said: string[] = [];
    for (const index of order) {
      const path = paths[index]!;
      samples[index]![round] = await runOnce(join(scratchDir, 'out'), path.run);
      said.push(`${path.short} ${samples[index]![round]!.seconds.toFixed(2)} s`);
    }
    process.stderr.write(`  round ${round + 1}/${rounds}: ${said.join(', ')}\n`);
  }
  return samples;
}

/** Runs a job in an empty folder with the disk settled, and removes what it left after. */
export async function runOnce<T>(dir: string, job: (dir: string) => Promise<T>): Promise<T> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // Nothing of the last path's writes is left for this one to pay for.
  await settle();
  try {
    return await job(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
