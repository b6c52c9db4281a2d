import { describe, expect, it } from 'vitest';
import type { AssistantOptions, JobPhase, JobProgress } from '../../shared/ipc-contract.ts';
import { createContractBackend } from '../../renderer/backend/contract-backend.ts';
import type { AppState } from '../../renderer/model/view-types.ts';
import { aContractState, aContractVm, fakeContractClient } from './contract-fixtures.ts';
import { anInvitation } from './fixtures.ts';

const image = {
  goldenImageId: 'acme-dev-win11',
  name: 'ACME Windows 11 for Developers',
  sizeBytes: 1000,
};
const options: AssistantOptions = {
  oses: [{ id: 'ubuntu-24.04', label: 'Ubuntu 24.04 LTS' }],
  defaults: { cpus: 2, memoryMb: 4096, diskSizeBytes: 64 * 2 ** 30 },
  corporateOnly: true,
  blockedReason: 'corporate VMs only',
};

// Lets the fake client's answers (resolved promises) reach the adapter.
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function connected() {
  const fake = fakeContractClient();
  fake.answer('assistant:get-options', () => ({ ok: true, value: options }));
  const backend = createContractBackend(fake.client);
  const states: AppState[] = [];
  const unsubscribe = backend.subscribe((state) => states.push(state));
  await settle();
  const job = (phase: JobPhase, extra = {}) => {
    fake.push('state:changed', aContractState({ job: phase, ...extra }));
    return states.at(-1)?.job;
  };
  return { fake, backend, states, unsubscribe, job };
}

describe('createContractBackend job phases', () => {
  it('maps every phase of the job to the view of the same name', async () => {
    const { job } = await connected();
    const vm = aContractVm({ uuid: 'vm-9', name: 'Dev box' });
    expect(job({ phase: 'idle' })).toEqual({ kind: 'idle' });
    expect(job({ phase: 'checking-policy' })).toEqual({ kind: 'checking-policy' });
    const invitation = anInvitation();
    expect(job({ phase: 'invited', invitation })).toEqual({ kind: 'invited', invitation });
    expect(job({ phase: 'verifying', image })).toEqual({
      kind: 'verifying',
      imageName: image.name,
    });
    expect(job({ phase: 'unpacking', image })).toEqual({
      kind: 'unpacking',
      imageName: image.name,
    });
    expect(job({ phase: 'registered', vm, alreadyRegistered: true })).toEqual({
      kind: 'registered',
      vmId: 'vm-9',
      vmName: 'Dev box',
      alreadyRegistered: true,
    });
    expect(job({ phase: 'cancelled' })).toEqual({ kind: 'cancelled' });
    const error = {
      code: 'CHECKSUM_MISMATCH',
      message: 'sha256 differs',
      retryable: false,
    } as const;
    expect(job({ phase: 'failed', error })).toEqual({ kind: 'failed', ...error });
    expect(job({ phase: 'registering', image })).toEqual({
      kind: 'registering',
      imageName: image.name,
    });
    expect(job({ phase: 'creating', vmName: 'Dev box' })).toEqual({
      kind: 'creating',
      vmName: 'Dev box',
    });
  });

  it('shows download progress from job:progress, and paused bytes from the kept partial', async () => {
    const { fake, states, job } = await connected();
    // Until the first report: the bytes an earlier run held, of the size the policy gave.
    expect(job({ phase: 'downloading', image, heldBytes: 100 })).toMatchObject({
      progress: { transferred: 100, total: 1000, rate: 0 },
    });
    const progress: JobProgress = {
      transferred: 400,
      total: null,
      fraction: null,
      rate: 50,
      etaSeconds: null,
    };
    fake.push('job:progress', progress);
    expect(states.at(-1)?.job).toEqual({
      kind: 'downloading',
      imageName: image.name,
      progress: { transferred: 400, total: undefined, rate: 50, etaSeconds: undefined },
    });
    const resumable = { sha256: 'b'.repeat(64), image, bytes: 450, total: 1000 };
    expect(job({ phase: 'paused', image }, { resumable })).toEqual({
      kind: 'paused',
      imageName: image.name,
      progress: { transferred: 450, total: 1000, rate: 0 },
    });
    expect(states.at(-1)?.interrupted).toEqual({
      imageName: image.name,
      transferred: 450,
      total: 1000,
    });
  });

  it('opens the assistant only once its options are known, blocked when policy says so', async () => {
    const { fake, states, job } = await connected();
    job({ phase: 'invited', invitation: anInvitation() });
    expect(job({ phase: 'assistant', reason: 'declined' })).toMatchObject({ kind: 'invited' });
    await settle();
    expect(states.at(-1)?.job).toEqual({
      kind: 'assistant',
      reason: 'declined',
      corporateOnly: true,
      arch: 'arm64',
      oses: options.oses,
      defaults: options.defaults,
    });
    expect(fake.calls.filter((call) => call.channel === 'assistant:get-options')).toHaveLength(1);
  });

  it('shows a failure when the assistant options cannot be had', async () => {
    const { fake, states, job } = await connected();
    const error = { code: 'HOST_UNREACHABLE', message: 'fetch failed', retryable: true } as const;
    fake.answer('assistant:get-options', () => ({ ok: false, error }));
    job({ phase: 'assistant', reason: 'no-image' });
    await settle();
    expect(states.at(-1)?.job).toEqual({ kind: 'failed', ...error });
  });

  it('shows a declined corporate-only invitation as the blocked assistant', async () => {
    const { fake, states, job } = await connected();
    const error = { code: 'CORPORATE_ONLY', message: 'corporate only', retryable: false } as const;
    job({ phase: 'failed', error });
    await settle();
    expect(states.at(-1)?.job).toMatchObject({
      kind: 'assistant',
      reason: 'declined',
      corporateOnly: true,
    });
    fake.answer('assistant:get-options', () => ({
      ok: false,
      error: { ...error, code: 'HOST_UNREACHABLE' },
    }));
    job({ phase: 'idle' });
    job({ phase: 'failed', error });
    await settle();
    expect(states.at(-1)?.job).toEqual({ kind: 'failed', ...error });
  });
});
