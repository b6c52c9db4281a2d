import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The recording fake of prlctl (test/fixtures/fake-prlctl/prlctl). */
export const FAKE_PRLCTL = resolve(import.meta.dirname, '../../fixtures/fake-prlctl/prlctl');

/** A VM as the fake keeps it in its state file. */
export interface FakeVm {
  readonly uuid: string;
  readonly name: string;
  readonly home: string;
  readonly packed: boolean;
  readonly state: string;
  readonly mac: string;
}

/** One fake Parallels Desktop: its state folder and the environment that points prlctl at it. */
export interface FakeParallels {
  readonly stateDir: string;
  /** The environment to run prlctl in; `fail` sets FAKE_PRLCTL_FAIL (e.g. "register=exists"). */
  env(fail?: string): NodeJS.ProcessEnv;
  /** Every argv the fake was called with, oldest first. */
  calls(): Promise<string[][]>;
  /** The VMs the fake holds. */
  vms(): Promise<FakeVm[]>;
}

/** A fake Parallels Desktop keeping its VMs in `stateDir`. */
export function fakeParallels(stateDir: string): FakeParallels {
  return {
    stateDir,
    env: (fail) => ({
      ...process.env,
      PROVISIM_PRLCTL: FAKE_PRLCTL,
      FAKE_PRLCTL_STATE: stateDir,
      FAKE_PRLCTL_FAIL: fail ?? '',
    }),
    calls: async () => {
      const text = await readFile(join(stateDir, 'calls.ndjson'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]);
    },
    vms: async () => {
      const text = await readFile(join(stateDir, 'state.json'), 'utf8').catch(() => undefined);
      return text === undefined ? [] : (JSON.parse(text) as { vms: FakeVm[] }).vms;
    },
  };
}

/** Writes a packed VM in the fake's own format (docs/parallels.md: "fake only"). */
export async function writeFakePacked(
  path: string,
  header: { uuid: string; name: string; arch?: string },
  disk = 'disk bytes',
): Promise<void> {
  await writeFile(path, `FAKE-PVMP 1\n${JSON.stringify(header)}\n${disk}`);
}
