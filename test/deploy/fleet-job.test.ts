import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLicensesFile } from '../../electron/fleet/fleet-options.ts';
import {
  entryOf,
  INDEX_ANNOTATION,
  INDEX_VAR,
  JOB_FILE,
  loadObjects,
  maxMacs,
  shardWiringProblems,
  type KubeObject,
} from './kube-job.ts';

// deploy/fleet-job.yaml runs one fleet over the pods of an Indexed Job, deploy/Dockerfile the CLI
// they run. These tests read both as Kubernetes and Docker would, and run the Job's arguments
// through the real `provisim fleet` option parser for every completion index.

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'provisim-deploy-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('deploy/fleet-job.yaml', () => {
  const objects = loadObjects(readFileSync(JOB_FILE, 'utf8'));
  const job = objects.find((o) => o.kind === 'Job')!;
  const container = () => job.spec!.template!.spec!.containers![0]!;
  /** A copy of the manifest with the Job changed by `change`. */
  const changed = (change: (copy: KubeObject) => void): KubeObject[] =>
    objects.map((object) => {
      const copy = structuredClone(object);
      if (copy.kind === 'Job') change(copy);
      return copy;
    });
  const argsOf = (copy: KubeObject) => copy.spec!.template!.spec!.containers![0]!.args!;

  it('runs each Mac of the fleet exactly once, one shard per completion index', async () => {
    expect(await shardWiringProblems(objects)).toEqual([]);
    // The numbers the docs give: 10 shards of 1,000 Macs.
    const args = container().args as string[];
    expect(job.spec!.completions).toBe(10);
    expect(args[args.indexOf('--macs') + 1]).toBe('10000');
  });

  it('holds a licenses file the CLI reads, without the zip image --disk none refuses', async () => {
    const text = entryOf(objects, 'Secret', 'provisim-licenses', 'licenses.csv');
    expect(text).toBeDefined();
    const path = join(scratch, 'licenses.csv');
    await writeFile(path, text!);
    const keys = await readLicensesFile(path);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.map((k) => k.key)).not.toContain('ACME-FIN-0003');
  });

  it('fails when the shard is written out instead of taken from the completion index', async () => {
    const literal = changed((copy) => {
      const args = argsOf(copy);
      args[args.indexOf('--shard') + 1] = '1/10';
    });
    const problems = await shardWiringProblems(literal);
    expect(problems).toContain('--shard is 1/10, not $(JOB_COMPLETION_INDEX)/10 (completions)');
    expect(problems).toContain(
      '9000 Macs run in more than one pod, the first QA-MBP-00002 in pods 0 and 1',
    );
  });

  it('fails when completions and the shard count differ', async () => {
    const fewer = changed((copy) => {
      copy.spec!.completions = 8;
      copy.spec!.parallelism = 8;
    });
    const problems = await shardWiringProblems(fewer);
    expect(problems).toContain(
      '--shard is $(JOB_COMPLETION_INDEX)/10, not $(JOB_COMPLETION_INDEX)/8 (completions)',
    );
    expect(problems).toContain("the pods run 8000 of the fleet's 10000 Macs");
  });

  it('fails when the completion index is not declared in env', async () => {
    const undeclared = changed((copy) => {
      const pod = copy.spec!.template!.spec!.containers![0]!;
      pod.env = pod.env!.filter((variable) => variable.name !== INDEX_VAR);
    });
    const problems = await shardWiringProblems(undeclared);
    expect(problems).toContain(`${INDEX_VAR} is not declared in env from ${INDEX_ANNOTATION}`);
    // Left unexpanded, "$(JOB_COMPLETION_INDEX)/10" is no shard the CLI takes.
    expect(problems.some((p) => p.startsWith('pod 0: the CLI refuses its args'))).toBe(true);
  });

  it('fails for a fleet over the CLI limit or one that does not split evenly', async () => {
    const withMacs = (macs: string) =>
      changed((copy) => {
        const args = argsOf(copy);
        args[args.indexOf('--macs') + 1] = macs;
      });
    expect(await shardWiringProblems(withMacs('10010'))).toContain(
      `--macs 10010 is over the CLI's limit of ${await maxMacs()}`,
    );
    expect(await shardWiringProblems(withMacs('9995'))).toContain(
      '--macs 9995 does not split into 10 shards',
    );
  });
});
