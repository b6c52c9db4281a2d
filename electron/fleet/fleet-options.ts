import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { ARCHES, type Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000 };

/** Parses a duration like `60s`, `500ms` or `2m` (a bare number is seconds) into milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('Use a duration like 500ms, 30s or 2m.');
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!);
}

/** Parses a range of durations like `1s..5s` (or one duration, for a fixed time). */
export function parseDurationRange(value: string): { min: number; max: number } {
  const [from, to = from] = value.split('..');
  const min = parseDuration(from!);
  const max = parseDuration(to);
  if (max < min)
    throw new InvalidArgumentError('The range must go from the shorter time to the longer.');
  return { min, max };
}

/** Parses `arm64=70,x86_64=30` into a share per architecture (a missing one gets none). */
export function parseArchMix(value: string): Record<Arch, number> {
  const mix: Record<Arch, number> = { arm64: 0, x86_64: 0 };
  for (const part of value.split(',')) {
    const [arch, share] = part.split('=');
    const weight = Number(share);
    if (!(ARCHES as readonly string[]).includes(arch!.trim()) || !(weight >= 0)) {
      throw new InvalidArgumentError('Use shares like arm64=70,x86_64=30.');
    }
    mix[arch!.trim() as Arch] = weight;
  }
  if (mix.arm64 + mix.x86_64 <= 0)
    throw new InvalidArgumentError('At least one share must be above 0.');
  return mix;
}

/** Parses a shard like `2/4`: the third of four processes that split one fleet (counted from 0, as a Kubernetes completion index). */
export function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    throw new InvalidArgumentError('Use I/N with 0 <= I < N, like 0/4 for the first of four.');
  }
  return { index, count };
}

/** Parses a share between 0 and 1, like `0.8`. */
export function parseRate(value: string): number {
  const rate = Number(value);
  if (value.trim() === '' || !(rate >= 0 && rate <= 1)) {
    throw new InvalidArgumentError('Use a number from 0 to 1, like 0.8.');
  }
  return rate;
}

/** Reads a licenses file: one `key,weight` per line (weight 1 when left out; # starts a comment). */
export async function readLicensesFile(path: string): Promise<{ key: string; weight: number }[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ProvisimError('USAGE', {
      message: `The licenses file ${path} cannot be read.`,
      cause: error,
    });
  }
  const lines = text.split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim());
  return lines.flatMap((line, index) => {
    if (line === '') return [];
    const [key, weight = '1'] = line.split(',').map((part) => part.trim());
    if (!key || !(Number(weight) > 0)) {
      throw new ProvisimError('USAGE', {
        message: `Line ${index + 1} of ${path} is not "key,weight" with a weight above 0.`,
      });
    }
    return [{ key, weight: Number(weight) }];
  });
}
