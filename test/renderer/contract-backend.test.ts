import { describe, expect, it } from 'vitest';
import { createContractBackend } from '../../renderer/backend/contract-backend.ts';
import type { AppState } from '../../renderer/model/view-types.ts';
import { aContractState, aContractVm, anEvent, fakeContractClient } from './contract-fixtures.ts';

const image = { goldenImageId: 'acme-dev-win11', name: 'ACME Windows 11 for Developers' };
// Lets the fake client's answers (resolved promises) reach the adapter.
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createContractBackend state', () => {
  it('asks for the first state and shows it with its VMs, agent and settings', async () => {
    const fake = fakeContractClient();
    const vm = aContractVm({ packing: true, sizeOnDiskBytes: null });
    fake.answer('state:get', () => ({ ok: true, value: aContractState({ vms: [vm] }) }));
    const states: AppState[] = [];
    createContractBackend(fake.client).subscribe((state) => states.push(state));
    await settle();
    expect(states.at(-1)).toMatchObject({
      job: { kind: 'idle' },
      vms: [{ id: 'vm-1', sourceImage: image.name, state: 'packing', sizeBytes: undefined }],
      agent: { portalUrl: 'http://127.0.0.1:8080', lastConnectedAt: undefined },
      settings: { licenseKey: 'ACME-ENG-0002', portalUrl: null },
    });
  });

  it('ignores the answer to state:get when a pushed state came first', async () => {
    const fake = fakeContractClient();
    fake.answer('state:get', async () => {
      fake.push('state:changed', aContractState({ job: { phase: 'checking-policy' } }));
      return { ok: true, value: aContractState() };
    });
    const states: AppState[] = [];
    createContractBackend(fake.client).subscribe((state) => states.push(state));
    await settle();
    const kinds = states.map((state) => state.job.kind);
    expect(kinds).not.toContain('idle');
    expect(kinds.at(-1)).toBe('checking-policy');
  });

  it('offers to resume a partial kept on disk, and marks VMs made on this Mac as such', async () => {
    const fake = fakeContractClient();
    const resumable = { sha256: 'b'.repeat(64), image: null, bytes: 10, total: null };
    const vm = aContractVm({ source: { kind: 'assistant', os: 'ubuntu-24.04' }, corporate: false });
    fake.answer('state:get', () => ({ ok: true, value: aContractState({ resumable, vms: [vm] }) }));
    const states: AppState[] = [];
    createContractBackend(fake.client).subscribe((state) => states.push(state));
    await settle();
    expect(states.at(-1)?.interrupted).toEqual({
      imageName: 'the corporate VM',
      transferred: 10,
      total: undefined,
    });
    expect(states.at(-1)?.vms[0]).toMatchObject({ sourceImage: undefined, corporate: false });
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
    const states: AppState[] = [];
    createContractBackend(fake.client).subscribe((state) => states.push(state));
    fake.push('state:changed', aContractState());
    await settle();
    expect(states.at(-1)?.activity).toEqual([
      { id: 'e1', type: 'checked-in', at: first.at, detail: undefined, delivery: 'delivered' },
      { id: 'e2', type: 'invited', at: second.at, detail: 'ACME Windows 11', delivery: 'pending' },
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
    const states: AppState[] = [];
    backend.subscribe((state) => states.push(state));
    expect(states).toHaveLength(1);
  });
});
