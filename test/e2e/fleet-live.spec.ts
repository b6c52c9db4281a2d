import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { FaultSpecInput } from '../../shared/faults.ts';
import { KEYS, openAdminPage, signIn } from './support/admin-portal.ts';
import { screenshot } from './support/control-center.ts';
import {
  addFault,
  assignHostedImage,
  expect,
  removeFault,
  tallyMacs,
  test,
} from './support/fleet-run.ts';

const MACS = 200;
const IMAGE_NAME = 'ACME Windows 11 for Operations';
// Small, so that 200 Macs checking every byte of it cost little CPU.
const IMAGE_BYTES = 1024 * 1024;
// Each Mac waits far longer than the test for a byte, so a held download is never retried.
const FLEET = {
  ramp: '20s',
  bandwidthPerMac: '96KiB',
  acceptRate: 0.9,
  seed: 1,
  stallTimeoutMs: 600_000,
} as const;
// About 180 of the 200 Macs accept. The first 120 downloads run through and register; every later
// one stops halfway until the test removes this fault, so "downloading" and "registered" hold
// together for as long as the pages take to show them, however slow the machine.
const HOLD_LATER_DOWNLOADS: FaultSpecInput = {
  id: 'hold-later-downloads',
  type: 'stall',
  atBytes: IMAGE_BYTES / 2,
  inFile: true,
  scope: { paths: ['/images/*'], methods: ['GET'], attempts: { from: 121 } },
};

/** A number above zero, as a count's text. */
const SOME = /^[1-9]\d*$/;
/** Ten or more. */
const TENS = /^[1-9]\d+$/;

/** A phase count at the top of the Virtual Machines page (`all` for the total). */
function phaseCount(page: Page, phase: string) {
  return page.getByRole('group', { name: 'Phase' }).locator(`[data-count="${phase}"]`);
}

/** The pager under the device table: "Macs 1–50 of 200". */
function pager(page: Page) {
  return page.getByRole('navigation', { name: 'Pages of devices' });
}

/** Expects a phase count of `n`; a phase no Mac is in has no button. */
async function expectPhaseCount(page: Page, phase: string, n: number): Promise<void> {
  if (n === 0) await expect(phaseCount(page, phase)).toHaveCount(0);
  else await expect(phaseCount(page, phase)).toHaveText(String(n));
}

/** How many lines an element's text takes (a table cell's own height is its row's). */
async function linesOf(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    // The page's DOM, typed here without the DOM library, as this project's Node specs are.
    interface Box {
      readonly top: number;
    }
    interface Node {
      readonly nodeType: number;
      readonly childNodes: Iterable<Node>;
      readonly ownerDocument: {
        createRange(): { selectNodeContents(node: Node): void; getClientRects(): Iterable<Box> };
      };
    }
    const tops = new Set<number>();
    const visit = (node: Node): void => {
      // Text nodes only: the boxes of the elements around the text would count as lines too.
      if (node.nodeType !== 3) return [...node.childNodes].forEach(visit);
      const range = node.ownerDocument.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
    };
    visit(element as unknown as Node);
    return tops.size;
  });
}

/** A row's count in the rollout card of the golden image. */
function stageCount(page: Page, stage: string) {
  return page
    .getByRole('listitem', { name: IMAGE_NAME })
    .locator(`tr[data-stage="${stage}"] .count`);
}

test('the admin pages follow a 200-Mac fleet live, and end with the counts the fleet printed', async ({
  page: fleetPage,
  context,
  portal,
  workDir,
  fleets,
}) => {
  // Two live pages for 200 Macs on a busy CI machine: longer than the default 90 s.
  test.setTimeout(180_000);
  await assignHostedImage(portal, {
    name: IMAGE_NAME,
    group: 'operations',
    sizeBytes: IMAGE_BYTES,
    imagesDir: join(workDir, 'portal', 'images'),
  });

  // Both pages are open, and live, before the first Mac checks in; neither is reloaded after.
  await signIn(fleetPage, portal.url);
  await openAdminPage(fleetPage, 'Virtual Machines');
  await expect(fleetPage.locator('.live')).toHaveAttribute('data-state', 'live');
  await expect(fleetPage.getByText('No Mac has checked in yet.', { exact: false })).toBeVisible();
  const rolloutPage = await context.newPage();
  await signIn(rolloutPage, portal.url);
  await openAdminPage(rolloutPage, 'Rollout');
  await expect(rolloutPage.locator('.live')).toHaveAttribute('data-state', 'live');
  await expect(rolloutPage.getByRole('listitem', { name: IMAGE_NAME })).toContainText(
    'Not offered to any Mac yet.',
  );
  // Neither page navigates (or reloads) from here on: what they show comes over the stream.
  const navigations: string[] = [];
  for (const page of [fleetPage, rolloutPage]) {
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
  }

  const hold = await addFault(portal, HOLD_LATER_DOWNLOADS);
  const startedAt = Date.now();
  const fleet = fleets.start({
    portalUrl: portal.url,
    licenseKey: KEYS.operations,
    macs: MACS,
    ...FLEET,
  });

  // Mid-run, on the Virtual Machines page: Macs downloading while the fleet has not ended.
  // The waits are longer than expect's default: on two busy cores the 200 Macs check in late.
  const midRun = { timeout: 90_000 };
  await expect(phaseCount(fleetPage, 'downloading')).toHaveText(SOME, midRun);
  expect(fleet.result, 'the fleet ended before the page showed a download').toBeUndefined();
  // Every Mac has checked in, ten or more have registered, the held ones still download: the
  // screenshot.
  await expect(phaseCount(fleetPage, 'all')).toHaveText(String(MACS), midRun);
  await expect(pager(fleetPage)).toContainText(`Macs 1–50 of ${MACS}`);
  await expect(phaseCount(fleetPage, 'registered')).toHaveText(TENS, midRun);
  await expect(phaseCount(fleetPage, 'downloading')).toHaveText(SOME);
  expect(fleet.result, 'the fleet ended before the page showed it mid-run').toBeUndefined();
  // A host name like QA-MBP-0001 stays on one line, not broken at its hyphens.
  const firstHost = fleetPage
    .getByRole('table', { name: 'Devices' })
    .getByRole('rowheader')
    .first();
  expect(await linesOf(firstHost)).toBe(1);
  // Wide enough for every column of the device table.
  await fleetPage.setViewportSize({ width: 1600, height: 900 });
  await screenshot(fleetPage, 'admin-fleet-200');

  // Mid-run, on the Rollout page: the funnel with Macs downloading and Macs registered.
  await rolloutPage.bringToFront();
  await expect(stageCount(rolloutPage, 'registered')).toHaveText(SOME, midRun);
  await expect(stageCount(rolloutPage, 'downloading')).toHaveText(SOME, midRun);
  expect(fleet.result, 'the fleet ended before the rollout showed it mid-run').toBeUndefined();
  await screenshot(rolloutPage, 'admin-rollout-fleet');
  // The held downloads go on from where they stopped.
  await removeFault(portal, hold);

  // The fleet ends on its own; its own lines give the expected counts.
  const end = await fleet.ended;
  const runMs = Date.now() - startedAt;
  expect(end.code, end.stderr).toBe(0);
  expect(end.result?.macs).toBe(MACS);
  expect(end.macs).toHaveLength(MACS);
  const printed = tallyMacs(end.macs);
  expect(printed.failed).toBe(0);
  expect(printed.registered + printed.declined).toBe(MACS);
  // With a 0.9 accept rate both answers occur (seed 1 makes the same fleet every time).
  expect(printed.declined).toBeGreaterThan(0);
  expect(printed.registered).toBeGreaterThan(0);
  test.info().annotations.push({
    type: 'fleet',
    description: `${printed.registered} registered, ${printed.declined} declined in ${runMs} ms`,
  });

  // The Virtual Machines page, still the same document, catches up with the fleet's end.
  await expect(phaseCount(fleetPage, 'all')).toHaveText(String(MACS));
  await expect(pager(fleetPage)).toContainText(`Macs 1–50 of ${MACS}`);
  await expect(phaseCount(fleetPage, 'registered')).toHaveText(String(printed.registered));
  // A decline goes on to the Installation Assistant: its Mac ends on "VM created", and only
  // a Mac whose assistant failed stays on "Declined" (the Rollout page counts every decline).
  await expectPhaseCount(fleetPage, 'vm-created', printed.assistantVms);
  await expectPhaseCount(fleetPage, 'declined', printed.declined - printed.assistantVms);
  for (const phase of ['idle', 'invited', 'accepted', 'downloading', 'failed']) {
    await expectPhaseCount(fleetPage, phase, 0);
  }
  await expect(fleetPage.locator('.live')).toHaveAttribute('data-state', 'live');

  // Searching a host name shows exactly that Mac, in the phase its own line ended in.
  const hostname = 'QA-MBP-0042';
  const mac = end.macs.find((m) => m.hostname === hostname);
  expect(mac).toBeDefined();
  await fleetPage.getByLabel('Hostname or serial').fill(hostname);
  const rows = fleetPage.getByRole('table', { name: 'Devices' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.getByRole('rowheader')).toHaveText(hostname);
  const endPhase =
    mac?.outcome === 'registered'
      ? 'registered'
      : mac?.assistant === 'created'
        ? 'vm-created'
        : 'declined';
  await expect(rows).toHaveAttribute('data-phase', endPhase);
  await expect(rows).toContainText(mac?.serialNumber ?? 'no serial printed');
  await expect(pager(fleetPage)).toContainText('Macs 1–1 of 1');

  // The Rollout page's funnel adds up to the fleet's lines.
  await expect(stageCount(rolloutPage, 'offered')).toHaveText(String(MACS));
  await expect(stageCount(rolloutPage, 'unanswered')).toHaveText('0');
  await expect(stageCount(rolloutPage, 'declined')).toHaveText(String(printed.declined));
  await expect(stageCount(rolloutPage, 'accepted')).toHaveText(String(printed.registered));
  await expect(stageCount(rolloutPage, 'downloading')).toHaveText('0');
  await expect(stageCount(rolloutPage, 'installing')).toHaveText('0');
  await expect(stageCount(rolloutPage, 'registered')).toHaveText(String(printed.registered));
  await expect(stageCount(rolloutPage, 'failed')).toHaveText('0');
  await expect(rolloutPage.getByRole('listitem', { name: IMAGE_NAME })).toContainText(
    `over ${printed.registered} Macs`,
  );

  expect(navigations).toEqual([]);
});
