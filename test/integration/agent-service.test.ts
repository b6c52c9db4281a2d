import { afterEach, describe, expect, it } from 'vitest';
import { AgentService } from '../../electron/agent/agent-service.ts';
import type { CheckInOutcome } from '../../electron/agent/check-in.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import type { RunningPortal } from '../../electron/portal/server.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** Collects check-ins and lets a test wait for the Nth. */
function checkInLog() {
  const outcomes: CheckInOutcome[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    outcomes,
    record(outcome: CheckInOutcome) {
      outcomes.push(outcome);
      for (const w of waiters.filter((w) => outcomes.length >= w.n)) w.resolve();
    },
    nth: (n: number) =>
      new Promise<void>((resolve) => {
        if (outcomes.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    /** Resolves with the first check-in from now on that satisfies `match`. */
    next(match: (outcome: CheckInOutcome) => boolean): Promise<CheckInOutcome> {
      return new Promise((resolve) => {
        const from = outcomes.length;
        const check = () => {
          const found = outcomes.slice(from).find(match);
          if (found) resolve(found);
          else waiters.push({ n: outcomes.length + 1, resolve: check });
        };
        check();
      });
    },
  };
}

describe('the long-running agent', () => {
  it('checks in on the portal schedule, gets 304 when nothing changed and sees a new revision', async () => {
    const dataDir = await tempDir();
    const home = await tempDir();
    const image = await makeFixtureImage(dataDir, { name: 'Eng', arch: 'arm64' });
    const org = fixtureOrg(
      { arm64: { url: image.path, checksum: image.sha256 } },
      { checkInIntervalSec: 1 },
    );
    const portal: RunningPortal = await startFixturePortal(dataDir, org);
    cleanups.push(() => portal.close());
    const log = checkInLog();
    const config = { portalUrl: portal.url, licenseKey: KEYS.eng, arch: 'arm64' as const };
    const service = new AgentService({ home, config, onCheckIn: log.record });
    service.start();
    cleanups.push(() => service.stop());

    await log.nth(2);
    expect(log.outcomes.map((o) => o.changed)).toEqual([true, false]);
    expect(log.outcomes[0]!.checkInIntervalSec).toBe(1);
    portal.setOrg(org);
    const changed = log.next((o) => o.changed);
    // Connect: a check-in under way may still carry the old revision; the next one sees the new.
    await service.checkInNow();
    expect(await changed).toMatchObject({ changed: true, policy: { revision: 2 } });
    expect(openAgentStore(home).get('policiesReceivedAt')).toBeDefined();
    expect(portal.state.devices()[0]).toMatchObject({ arch: 'arm64' });
  });
});
