import { describe, expect, it } from 'vitest';
import type { AssistantOptions, JobPhase } from '../../shared/ipc-contract.ts';
import { createContractBackend } from '../../renderer/backend/contract-backend.ts';
import type { ControlCenterState } from '../../renderer/model/app-backend.ts';
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
  const states: ControlCenterState[] = [];
  const unsubscribe = backend.subscribe((state) => states.push(state));
  await settle();
  const job = (phase: JobPhase, extra = {}) => {
    fake.push('state:changed', aContractState({ job: phase, ...extra }));
    return states.at(-1)?.job;
  };
  return { fake, backend, states, unsubscribe, job };
}

describe('createContractBackend job phases', () => {
  it('passes every phase of the job on as the agent sent it', async () => {
    const { job } = await connected();
    const phases: JobPhase[] = [
      { phase: 'idle' },
      { phase: 'checking-policy' },
      { phase: 'invited', invitation: anInvitation() },
      { phase: 'downloading', image, heldBytes: 100 },
      { phase: 'paused', image },
      { phase: 'verifying', image },
      {
        phase: 'unpacking',
        image,
        verifiedSha256: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      },
      {
        phase: 'registering',
        image,
        verifiedSha256: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      },
      { phase: 'registered', vm: aContractVm({ uuid: 'vm-9' }), alreadyRegistered: true },
      { phase: 'cancelled' },
      { phase: 'failed', error: { code: 'CHECKSUM_MISMATCH', message: 'x', retryable: false } },
      { phase: 'creating', vmName: 'Dev box' },
    ];
    for (const phase of phases) expect(job(phase)).toEqual(phase);
  });

  it('holds the state back until the assistant options are known, and asks for them once', async () => {
    const { fake, states, job } = await connected();
    job({ phase: 'invited', invitation: anInvitation() });
    expect(job({ phase: 'assistant', reason: 'declined' })).toMatchObject({ phase: 'invited' });
    await settle();
    expect(states.at(-1)).toMatchObject({
      job: { phase: 'assistant', reason: 'declined' },
      assistant: { ok: true, value: options },
    });
    job({ phase: 'assistant', reason: 'declined' });
    expect(fake.calls.filter((call) => call.channel === 'assistant:get-options')).toHaveLength(1);
  });

  it('passes on why the assistant options cannot be had', async () => {
    const { fake, states, job } = await connected();
    const error = { code: 'HOST_UNREACHABLE', message: 'fetch failed', retryable: true } as const;
    fake.answer('assistant:get-options', () => ({ ok: false, error }));
    job({ phase: 'assistant', reason: 'no-image' });
    await settle();
    expect(states.at(-1)?.assistant).toEqual({ ok: false, error });
  });

  it('asks for the assistant options again for a declined corporate-only invitation', async () => {
    const { fake, states, job } = await connected();
    const error = { code: 'CORPORATE_ONLY', message: 'corporate only', retryable: false } as const;
    expect(job({ phase: 'failed', error })).toEqual({ phase: 'idle' });
    await settle();
    expect(states.at(-1)).toMatchObject({
      job: { phase: 'failed', error },
      assistant: { ok: true, value: options },
    });
    const unreachable = { ...error, code: 'HOST_UNREACHABLE' } as const;
    fake.answer('assistant:get-options', () => ({ ok: false, error: unreachable }));
    job({ phase: 'idle' });
    job({ phase: 'failed', error });
    await settle();
    expect(states.at(-1)?.assistant).toEqual({ ok: false, error: unreachable });
    expect(fake.calls.filter((call) => call.channel === 'assistant:get-options')).toHaveLength(2);
  });
});
