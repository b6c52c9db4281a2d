import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli-process.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

const scenario = (name: string, outcome: string) => `name: ${name}
org: { fixture: arm-only }
agent: { license: QA-ENG-0002, arch: x86_64 }
expect: { outcome: ${outcome} }
`;

describe('provisim scenario', () => {
  it('prints the table and summary, writes JUnit and exits 1 when one fails', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a-no-image.yaml'), scenario('no image for Intel', 'no-image'));
    await writeFile(join(dir, 'b-wrong.yaml'), scenario('wrong expectation', 'registered'));
    const junit = join(await tempDir(), 'reports', 'junit.xml');
    const work = await tempDir();
    const run = await runCliProcess([
      'scenario',
      dir,
      '--junit',
      junit,
      '--jobs',
      '2',
      '--work-dir',
      work,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/scenario\s+outcome\s+expected\s+time\s+bytes/);
    expect(run.stdout).toMatch(/ok\s+no image for Intel\s+no-image\s+no-image/);
    expect(run.stdout).toMatch(/FAIL wrong expectation\s+no-image\s+registered/);
    expect(run.stdout).toContain('2 scenarios: 1 passed, 1 failed');
    expect(run.stdout).toContain(`logs and event trace: ${work}`);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(await readFile(junit, 'utf8'));
    expect(xml.testsuites['@_tests']).toBe('2');
    expect(xml.testsuites['@_failures']).toBe('1');
    const cases = xml.testsuites.testsuite.testcase as Record<string, unknown>[];
    expect(cases[1]).toMatchObject({
      '@_name': 'wrong expectation',
      failure: { '@_message': 'outcome was no-image, expected registered' },
    });
  });

  it('exits 0 when every scenario passes', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.yaml'), scenario('no image for Intel', 'no-image'));
    const run = await runCliProcess(['scenario', join(dir, 'a.yaml')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 scenario: 1 passed, 0 failed');
  });

  it('is a usage error when nothing matches or a path does not exist', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.yaml'), scenario('no image for Intel', 'no-image'));
    const filtered = await runCliProcess(['scenario', dir, '--filter', 'nothing like it']);
    expect(filtered.code).toBe(2);
    expect(filtered.stderr).toContain('No scenario matches "nothing like it".');
    const missing = await runCliProcess(['scenario', join(dir, 'missing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing:1:1: \(file\): does not exist/);
  });
});
