import { describe, expect, it } from 'vitest';
import { PortalState } from '../../electron/portal/portal-state.ts';
import { sampleEvent } from '../helpers/sample-events.ts';

const progress = (transferred: number) => sampleEvent('download-progress', { transferred });

describe('PortalState event lists', () => {
  it("lists one device's events as the whole list does, also after the oldest are dropped", () => {
    const state = new PortalState({ maxEvents: 50 });
    const devices = ['a', 'b', 'c'];
    for (let i = 0; i < 40; i += 1) {
      state.recordEvents(devices[i % 3]!, [progress(i * 2), progress(i * 2 + 1)]);
    }
    const all = state.events();
    expect(all).toHaveLength(50);
    for (const deviceId of devices) {
      expect(state.events({ deviceId })).toEqual(all.filter((e) => e.deviceId === deviceId));
    }
    expect(state.events({ deviceId: 'a', type: 'verified' })).toEqual([]);
  });

  it('forgets a device whose events were all dropped, and lists restored events by device', () => {
    const state = new PortalState({ maxEvents: 3 });
    state.recordEvents('old', [progress(1)]);
    state.recordEvents('new', [progress(2), progress(3), progress(4)]);
    expect(state.events({ deviceId: 'old' })).toEqual([]);

    const restored = new PortalState({ maxEvents: 2 });
    restored.restore({ devices: [], events: state.events() });
    const transferred = restored
      .events({ deviceId: 'new' })
      .map((e) => (e as { transferred?: number }).transferred);
    expect(transferred).toEqual([3, 4]);
  });

  it('hands out copies: changing a returned list changes nothing kept', () => {
    const state = new PortalState();
    state.recordEvents('a', [progress(1)]);
    state.events({ deviceId: 'a' }).pop();
    state.events().pop();
    expect(state.events({ deviceId: 'a' })).toHaveLength(1);
  });
});
