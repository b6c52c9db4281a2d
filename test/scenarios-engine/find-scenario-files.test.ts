import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, findScenarioFiles } from '../../electron/scenarios/load-scenario.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

describe('findScenarioFiles', () => {
  it('expands folders to their YAML files, sorted, and keeps named files', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'nested.yaml'));
    for (const name of ['b.yml', 'a.yaml', 'notes.md', 'c.YAML']) {
      await writeFile(join(dir, name), 'name: x\n');
    }
    const single = join(await tempDir(), 'one.txt');
    await writeFile(single, 'name: x\n');
    expect(await findScenarioFiles([dir, single])).toEqual([
      join(dir, 'a.yaml'),
      join(dir, 'b.yml'),
      join(dir, 'c.YAML'),
      single,
    ]);
  });

  it('names a path that does not exist', async () => {
    const missing = join(await tempDir(), 'nowhere');
    const error = await findScenarioFiles([missing]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toContain(`${missing}:1:1: (file): does not exist`);
  });
});
