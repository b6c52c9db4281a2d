import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ParallelsBackend } from '../../../electron/agent/hypervisor/parallels-backend.ts';
import { prlctlBinary, runPrlctl } from '../../../electron/agent/hypervisor/prlctl.ts';
import { prlctlError } from '../../../electron/agent/hypervisor/prlctl-errors.ts';
import { ERROR_SENTENCES } from '../../../shared/codes.ts';
import { writeSampleVm } from '../../archive/helpers/sample-vm.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { fakeParallels } from './fake-prlctl.ts';

const tempDir = useTempDirs();
const UNLICENSED_LINE =
  'Failed to get the list of VMs: This product was activated for a limited period of time that has now expired. Purchase a new activation key (https://www.parallels.com/) to continue using Parallels Desktop.';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({}, sink) };
}

async function setUp(fail?: string) {
  const fake = fakeParallels(await tempDir('provisim-prl-state-'));
  const { lines, logger } = capturingLogger();
  const backend = new ParallelsBackend({ env: fake.env(fail), logger });
  return { fake, lines, backend, vmDir: await tempDir('provisim-prl-vms-') };
}

describe('prlctl failures, each with its own code', () => {
  it('uses $PROVISIM_PRLCTL, else prlctl on PATH', () => {
    expect(prlctlBinary({ PROVISIM_PRLCTL: '/opt/pd/prlctl' })).toBe('/opt/pd/prlctl');
    expect(prlctlBinary({ PROVISIM_PRLCTL: ' ' })).toBe('prlctl');
    expect(prlctlBinary({})).toBe('prlctl');
  });

  it('says PARALLELS_NOT_INSTALLED when PROVISIM_PRLCTL names a file that is not there', async () => {
    const missing = join(await tempDir(), 'Parallels Desktop.app', 'prlctl');
    const backend = new ParallelsBackend({ env: { ...process.env, PROVISIM_PRLCTL: missing } });

    await expect(backend.list()).rejects.toMatchObject({
      code: 'PARALLELS_NOT_INSTALLED',
      message: ERROR_SENTENCES.PARALLELS_NOT_INSTALLED,
      details: { errno: 'ENOENT', binary: missing, args: ['list', '-a', '-i', '--json'] },
    });
  });

  it("says PARALLELS_NOT_LICENSED: prlctl's last line in the sentence, its stderr in details and the log", async () => {
    const { backend, lines } = await setUp('any=unlicensed');

    const failure = await backend.list().catch((error: unknown) => error);

    expect(failure).toMatchObject({
      code: 'PARALLELS_NOT_LICENSED',
      message: `${ERROR_SENTENCES.PARALLELS_NOT_LICENSED} (prlctl: …${UNLICENSED_LINE.slice(-160)})`,
      details: { command: 'list', exitCode: 255, stderr: `${UNLICENSED_LINE}\n` },
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'prlctl failed',
        prlctl: expect.objectContaining({ stderr: `${UNLICENSED_LINE}\n`, exitCode: 255 }),
      }),
    );
  });

  it('says PARALLELS_VM_EXISTS when Parallels already has the bundle registered', async () => {
    const { fake, backend, vmDir } = await setUp();
    const bundle = await writeSampleVm(vmDir, { name: 'Finance' });
    await backend.registerBundle(bundle, 'Finance');

    await expect(backend.registerBundle(bundle, 'Finance')).rejects.toMatchObject({
      code: 'PARALLELS_VM_EXISTS',
      message: `${ERROR_SENTENCES.PARALLELS_VM_EXISTS} (prlctl: Failed to register the VM: "Finance" is already registered.)`,
    });
    expect((await fake.calls()).at(-1)).toEqual(['register', bundle, '--regenerate-src-uuid']);
    expect(await fake.vms()).toHaveLength(1);
  });

  it('says PARALLELS_VM_EXISTS for the fake\'s forced "register=exists" too', async () => {
    const { backend, vmDir } = await setUp('register=exists');
    const bundle = await writeSampleVm(vmDir, { name: 'Finance' });
    await expect(backend.registerBundle(bundle, 'Finance')).rejects.toMatchObject({
      code: 'PARALLELS_VM_EXISTS',
    });
  });

  it('says PARALLELS_REGISTER_FAILED when register fails for another reason', async () => {
    const { fake, backend, vmDir } = await setUp('register=failed');
    const bundle = await writeSampleVm(vmDir, { name: 'Finance' });

    await expect(backend.registerBundle(bundle, 'Finance')).rejects.toMatchObject({
      code: 'PARALLELS_REGISTER_FAILED',
      details: { command: 'register', exitCode: 255 },
    });
    // Nothing to undo: the register itself failed.
    expect((await fake.calls()).map((args) => args[0])).toEqual(['list', 'register']);
  });

  it('gives up on a prlctl that does not answer within its timeout', async () => {
    const { fake } = await setUp();
    const run = runPrlctl(['list', '-a', '-i', '--json'], {
      env: fake.env('list=hang'),
      timeoutMs: 1500,
    });
    await expect(run).rejects.toMatchObject({
      code: 'PARALLELS_COMMAND_FAILED',
      message: expect.stringContaining('(prlctl list gave no answer within 2 s)'),
      details: { timedOutAfterMs: 1500 },
    });
  });

  it("shows terminal controls in prlctl's message as escapes, and only its last line", () => {
    const error = prlctlError({
      args: ['set', 'x', '--name', 'y'],
      binary: 'prlctl',
      stdout: '',
      stderr: 'Configure the VM...\nFailed: \u001b]0;owned\u0007 bad\n',
      exitCode: 255,
    });
    expect(error.code).toBe('PARALLELS_COMMAND_FAILED');
    expect(error.message).toBe(
      `${ERROR_SENTENCES.PARALLELS_COMMAND_FAILED} (prlctl: Failed: \\x1b]0;owned\\x07 bad)`,
    );
    expect(error.details.stderr).toBe('Configure the VM...\nFailed: \u001b]0;owned\u0007 bad\n');
  });
});
