import { describe, expect, it } from 'vitest';
import type { IpcError } from '../../shared/ipc-contract.ts';
import { createContractBackend } from '../../renderer/backend/contract-backend.ts';
import type { ControlCenterState } from '../../renderer/model/app-backend.ts';
import { aContractState, fakeContractClient } from './contract-fixtures.ts';

const refused: IpcError = {
  code: 'JOB_STATE_CONFLICT',
  message: 'Only a download under way can be paused, and none is.',
  retryable: true,
};

describe('createContractBackend commands', () => {
  it('sends each job command on its invoke channel and answers with its result', async () => {
    const fake = fakeContractClient();
    const backend = createContractBackend(fake.client);
    expect(await backend.startNewVm()).toEqual({ ok: true, value: null });
    await backend.answerInvitation('decline');
    await backend.resume();
    await backend.cancel();
    await backend.dismiss();
    expect(fake.calls).toEqual([
      { channel: 'job:start-new-vm', payload: undefined },
      { channel: 'job:answer-invitation', payload: { answer: 'decline' } },
      { channel: 'job:resume', payload: undefined },
      { channel: 'job:cancel', payload: undefined },
      { channel: 'job:dismiss', payload: undefined },
    ]);
  });

  it('returns a refusal as an error result instead of throwing', async () => {
    const fake = fakeContractClient();
    fake.answer('job:pause', () => ({ ok: false, error: refused }));
    fake.answer('settings:save', () => ({
      ok: false,
      error: { code: 'LICENSE_UNKNOWN', message: '401', retryable: false },
    }));
    const backend = createContractBackend(fake.client);
    expect(await backend.pause()).toEqual({ ok: false, error: refused });
    const settings = aContractState().settings;
    expect(await backend.saveSettings({ ...settings, licenseKey: 'ACME-NOPE-0009' })).toEqual({
      ok: false,
      error: { code: 'LICENSE_UNKNOWN', message: '401', retryable: false },
    });
  });

  it('maps the VM actions to their channels and says where results went', async () => {
    const fake = fakeContractClient();
    fake.answer('vm:show-in-folder', () => ({ ok: true, value: { path: 'Parallels/Dev.pvm' } }));
    fake.answer('vm:prepare-transfer', () => ({
      ok: true,
      value: { archivePath: 'Dev.pvmp', sha256Path: 'Dev.sha256.txt', sha256: 'c', sizeBytes: 1 },
    }));
    const backend = createContractBackend(fake.client);
    expect(await backend.vmAction('vm-1', 'show-in-folder')).toEqual({
      ok: true,
      value: 'Its folder: Parallels/Dev.pvm',
    });
    expect(await backend.vmAction('vm-1', 'prepare-for-transfer')).toEqual({
      ok: true,
      value: expect.stringContaining('Dev.pvmp'),
    });
    expect(await backend.vmAction('vm-1', 'start')).toEqual({ ok: true, value: null });
    await backend.vmAction('vm-1', 'stop');
    await backend.vmAction('vm-1', 'remove');
    await backend.vmAction('vm-1', 'delete');
    expect(fake.calls.slice(2)).toEqual([
      { channel: 'vm:start', payload: { uuid: 'vm-1' } },
      { channel: 'vm:stop', payload: { uuid: 'vm-1' } },
      { channel: 'vm:remove', payload: { uuid: 'vm-1', deleteFiles: false } },
      { channel: 'vm:remove', payload: { uuid: 'vm-1', deleteFiles: true } },
    ]);
  });

  it('tells Connect whether a new policy arrived', async () => {
    const fake = fakeContractClient();
    const agent = aContractState().agent;
    fake.answer('agent:connect', () => ({ ok: true, value: { agent, policyChanged: true } }));
    expect(await createContractBackend(fake.client).connect()).toEqual({
      ok: true,
      value: { agent, policyChanged: true },
    });
  });

  it('names the VM being created after the one the assistant was asked for', async () => {
    const fake = fakeContractClient();
    const backend = createContractBackend(fake.client);
    const states: ControlCenterState[] = [];
    backend.subscribe((state) => states.push(state));
    const spec = {
      os: 'debian-12',
      name: 'Dev box',
      cpus: 2,
      memoryMb: 4096,
      diskSizeBytes: 2 ** 30,
    };
    await backend.createVm(spec);
    expect(fake.calls.at(-1)).toEqual({ channel: 'assistant:create-vm', payload: spec });
    fake.push('state:changed', aContractState({ job: { phase: 'creating', vmName: 'Dev box' } }));
    expect(states.at(-1)?.job).toEqual({ phase: 'creating', vmName: 'Dev box' });
  });
});
