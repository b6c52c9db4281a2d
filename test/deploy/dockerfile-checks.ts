import { existsSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';

// Reads deploy/Dockerfile as Docker would: its COPY sources, stages, user and entrypoint.

const ROOT = resolve(import.meta.dirname, '../..');

interface Instruction {
  readonly keyword: string;
  readonly rest: string;
}

function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), rest: rest.join(' ') };
    });
}

/** Sources and destination of a COPY, and the stage it copies from (undefined: the context). */
function copyOf(rest: string): { from?: string; sources: string[]; dest: string } {
  const words = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
}

/** Everything wrong with the Dockerfile; empty when nothing is. */
/** What is wrong with a Dockerfile for the CLI: paths, stages, user, entrypoint. */
export function dockerfileProblems(
  text: string,
  dockerignore: string,
  bundleInputs: string[],
): string[] {
  const problems: string[] = [];
  const say = (problem: string) => problems.push(problem);
  const all = instructions(text);
  const ignored = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const name of ['node_modules', 'dist', 'test-results']) {
    if (!ignored.includes(name)) say(`.dockerignore does not keep ${name} out`);
  }

  const stages = all.filter((i) => i.keyword === 'FROM');
  if (stages.length < 2) say('the image is not built in stages');
  for (const stage of stages) {
    const image = stage.rest.split(/\s+/).find((word) => !word.startsWith('--'));
    if (image !== 'node:20-slim') say(`a stage is FROM ${image}, not node:20-slim`);
  }
  if (
    !all.some(
      (i) => i.keyword === 'RUN' && i.rest.includes('ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci'),
    )
  ) {
    say('no RUN installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci');
  }

  const copied: string[] = [];
  for (const copy of all.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
    const { from, sources } = copyOf(copy.rest);
    if (from !== undefined) continue;
    for (const source of sources) {
      const path = posix.normalize(source).replace(/\/$/, '');
      copied.push(path);
      if (!existsSync(join(ROOT, path))) say(`COPY ${source}: no such path in the repository`);
      if (ignored.includes(path.split('/')[0]!)) say(`COPY ${source}: .dockerignore leaves it out`);
    }
  }
  // The build stage must hold every file dist/node is built from.
  for (const input of bundleInputs) {
    if (!copied.some((path) => input === path || input.startsWith(`${path}/`))) {
      say(`the bundles are built from ${input}, which no COPY brings in`);
    }
  }

  // The last stage: a non-root user, and an ENTRYPOINT that runs the bundle it copied in.
  const last = all.slice(all.lastIndexOf(stages.at(-1)!));
  const user = last
    .filter((i) => i.keyword === 'USER')
    .at(-1)
    ?.rest.split(':')[0];
  if (user === undefined || user === 'root' || user === '0')
    say(`the image runs as ${user ?? 'root'}`);
  const entry = last.filter((i) => i.keyword === 'ENTRYPOINT').at(-1)?.rest;
  let entrypoint: string[] = [];
  try {
    entrypoint = JSON.parse(entry ?? '') as string[];
  } catch {
    say(`ENTRYPOINT is not in exec form: ${entry}`);
  }
  const script = entrypoint[1] ?? '';
  if (entrypoint[0] !== 'node' || !script.endsWith('dist/node/provisim.mjs')) {
    say(`ENTRYPOINT runs ${entrypoint.join(' ')}, not node .../dist/node/provisim.mjs`);
  }
  let workdir = '/';
  const bundleDirs: string[] = [];
  for (const instruction of last) {
    if (instruction.keyword === 'WORKDIR') workdir = posix.resolve(workdir, instruction.rest);
    if (instruction.keyword === 'COPY' && copyOf(instruction.rest).from !== undefined) {
      bundleDirs.push(posix.resolve(workdir, copyOf(instruction.rest).dest));
    }
    if (
      instruction.keyword === 'ENTRYPOINT' &&
      !bundleDirs.includes(posix.resolve(workdir, dirname(script)))
    ) {
      say(`ENTRYPOINT runs ${script}, which no COPY --from puts there`);
    }
  }
  return problems;
}
