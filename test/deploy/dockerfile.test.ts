import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerfileProblems } from './dockerfile-checks.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCKERFILE = join(ROOT, 'deploy', 'Dockerfile');
const DOCKERIGNORE = join(ROOT, '.dockerignore');
const BUILD_MANIFEST = join(ROOT, 'dist', 'node', 'build-manifest.json');

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(DOCKERFILE, 'utf8');
  const dockerignore = readFileSync(DOCKERIGNORE, 'utf8');
  // test/global-setup.ts builds dist/node before the tests, manifest included.
  const inputs = (JSON.parse(readFileSync(BUILD_MANIFEST, 'utf8')) as { inputs: string[] }).inputs;

  it('builds the CLI from files the repository has and runs it as a non-root user', () => {
    expect(inputs.length).toBeGreaterThan(0);
    expect(dockerfileProblems(dockerfile, dockerignore, inputs)).toEqual([]);
  });

  it('fails for a COPY of a missing path, a missing bundle input or another ENTRYPOINT', () => {
    const broken = dockerfile
      .replace('COPY shared ./shared', 'COPY shared-code ./shared')
      .replace('dist/node/provisim.mjs"]', 'dist/node/start.mjs"]');
    const problems = dockerfileProblems(broken, dockerignore, inputs);
    expect(problems).toContain('COPY shared-code: no such path in the repository');
    expect(problems.some((p) => /built from shared\/.*, which no COPY brings in/.test(p))).toBe(
      true,
    );
    expect(
      problems.some((p) => p.startsWith('ENTRYPOINT runs node /app/dist/node/start.mjs')),
    ).toBe(true);
  });
});
