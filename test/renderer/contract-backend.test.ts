import { describe, expect, it } from 'vitest';
import { createContractBackend } from '../../renderer/backend/contract-backend.ts';
import type { ControlCenterState } from '../../renderer/model/app-backend.ts';
import { aContractState, aContractVm, anEvent, fakeContractClient } from './contract-fixtures.ts';
import { anInvitation } from './fixtures.ts';

const invitation = anInvitation();

const image = {
  goldenImageId: 'acme-dev-win11',
  name: 'ACME Windows 11 for Developers',
  sizeBytes: null,
};
// Lets the fake client's answers (resolved promises) reach the adapter.
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createContractBackend state', () => {
  it('asks for the first state and shows it with its VMs, agent and settings', async () => {
    const fake = fakeContractClient();
    const vm = aContractVm({ packing: { readBytes: 1, totalBytes: 2 }, sizeOnDiskBytes: null });
    fake.answer('state:get', () => ({ ok: true, value: aContractState({ vms: [vm] }) }));
    const states: ControlCenterState[] = [];
    createContractBackend(fake.client).subscribe((state) => states.push(state));
    await settle();
    expect(states.at(-1)).toEqual({
      ...aContractState({ vms: [vm] }),
      progress: undefined,
      activity: [],
      assistant: undefined,
    });
  });

  it('ignores the answer to state:get when a pushed state came first', async () => {
    const fake = fakeContractClient();
    fake.answer('state:get', async () => {
      fake.push('state:changed', aContractState({ job: { phase: 'checking-policy' } }));
      return { ok: true, value: aContractState() };
    });
    const states: ControlCenterState[] = [];
    createContractBackend(fake.client).subscribe((state) => states.push(state));
    await settle();
    const kinds = states.map((state) => state.job.phase);
    expect(kinds).not.toContain('idle');
    expect(kinds.at(-1)).toBe('checking-policy');
  });

  it('offers to resume a partial kept on disk, and keeps job progress until an invitation', async () => {
    const fake = fakeContractClient();
    const resumable = { sha256: 'b'.repeat(64), image, bytes: 10, total: null };
    fake.answer('state:get', () => ({ ok: true, value: aContractState({ resumable }) }));
    const states: ControlCenterState[] = [];
    createContractBackend(fake.client).subscribe((state) => states.push(state));
    await settle();
    expect(states.at(-1)?.resumable).toEqual(resumable);
    const progress = { transferred: 400, total: null, fraction: null, rate: 50, etaSeconds: null };
    fake.push('job:progress', progress);
    expect(states.at(-1)?.progress).toEqual(progress);
    fake.push(
      'state:changed',
      aContractState({ job: { phase: 'downloading', image, heldBytes: 0 } }),
    );
    expect(states.at(-1)?.progress).toEqual(progress);
    // A new invitation starts a new download: the last one's progress says nothing about it.
    fake.push('state:changed', aContractState({ job: { phase: 'invited', invitation } }));
    expect(states.at(-1)?.progress).toBeUndefined();
  });

  it('keeps the activity in time order and never takes a delivered event back', async () => {
    const fake = fakeContractClient();
    const first = anEvent('e1', 'checked-in', 1);
    const second = { ...anEvent('e2', 'invited', 2), name: 'ACME Windows 11' };
    fake.answer('activity:list', async () => {
      fake.push('activity:changed', { entries: [{ event: first, delivery: 'delivered' }] });
      return {
        ok: true,
        value: [
          { event: first, delivery: 'pending' },
          { event: second, delivery: 'pending' },
        ],
      };
    });
    const states: ControlCenterState[] = [];
    createContractBackend(fake.client).subscribe((state) => states.push(state));
    fake.push('state:changed', aContractState());
    await settle();
    expect(states.at(-1)?.activity).toEqual([
      { event: first, delivery: 'delivered' },
      { event: second, delivery: 'pending' },
    ]);
  });

  it('stops listening to the client when the last listener leaves, and replays the state', async () => {
    const fake = fakeContractClient();
    const backend = createContractBackend(fake.client);
    const stop = backend.subscribe(() => undefined);
    fake.push('state:changed', aContractState());
    expect(fake.listenerCount()).toBe(3);
    stop();
    expect(fake.listenerCount()).toBe(0);
    const states: ControlCenterState[] = [];
    backend.subscribe((state) => states.push(state));
    expect(states).toHaveLength(1);
  });
});
