import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import type { JobPhase } from '../../../shared/ipc-contract.ts';
import { COLOUR_RULES, expectNoAxeViolations } from './axe.ts';
import { PROJECT_ROOT, WebHostLauncher } from './web-host.ts';

export { expect };

/** What every Control Center spec gets: a fresh agent home and a launcher of web hosts on it. */
export interface ControlCenterFixtures {
  /** A new, empty home folder, removed after the test. */
  readonly home: string;
  /** Starts the web host on `home`; every host it started is stopped after the test. */
  readonly webHosts: WebHostLauncher;
}

/** Playwright's `test` with a fresh home and web host launcher per test. */
export const test = base.extend<ControlCenterFixtures>({
  // Playwright reads a fixture's dependencies from the destructured first argument: none here.
  // eslint-disable-next-line no-empty-pattern
  home: async ({}, use) => {
    const home = await mkdtemp(join(tmpdir(), 'provisim-e2e-'));
    await use(home);
    await rm(home, { recursive: true, force: true });
  },
  webHosts: async ({ home }, use) => {
    const launcher = new WebHostLauncher(home);
    await use(launcher);
    await launcher.stopAll();
  },
});

/**
 * Where the specs write screenshots: test artifacts by default; with UPDATE_SCREENSHOTS=1 the
 * committed ones README shows (a test run must not dirty the working tree).
 */
export const SCREENSHOTS_DIR = process.env.UPDATE_SCREENSHOTS
  ? join(PROJECT_ROOT, 'docs', 'screenshots')
  : join(PROJECT_ROOT, 'test-results', 'screenshots');

/** A download that has started and not finished: "1%" to "99%" at the start of its value text. */
export const PART_DONE = /^[1-9]\d?%/;

// Reads and clears the theme the Appearance switch pinned (it overrides the media query), and the
// scheme the page is emulating, so that both can be put back after the pictures.
const UNPIN_THEME = `(() => {
  const root = document.documentElement;
  const pinned = root.dataset.theme ?? null;
  delete root.dataset.theme;
  return { pinned, dark: matchMedia('(prefers-color-scheme: dark)').matches };
})()`;

// A quiet grey of each scheme instead of Playwright's magenta: the value is hidden, the layout
// stays readable.
const MASK_COLORS = { light: '#d5d8de', dark: '#48484a' } as const;

function repinTheme(pinned: string | null): string {
  return `(() => {
    const root = document.documentElement;
    const pinned = ${JSON.stringify(pinned)};
    if (pinned === null) delete root.dataset.theme;
    else root.dataset.theme = pinned;
  })()`;
}

/**
 * Checks the window as it is now with axe-core, in light and dark, and writes
 * `<SCREENSHOTS_DIR>/<state>.png` and `<state>-dark.png`; `mask` hides machine paths in fields.
 */
export async function screenshot(page: Page, state: string, mask: Locator[] = []): Promise<void> {
  const before = await page.evaluate<{ pinned: string | null; dark: boolean }>(UNPIN_THEME);
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const name = scheme === 'light' ? state : `${state}-dark`;
      // Light gets every rule; dark repeats those that the colours decide, on the same page.
      await expectNoAxeViolations(page, name, scheme === 'dark' ? COLOUR_RULES : undefined);
      await page.screenshot({
        path: join(SCREENSHOTS_DIR, `${name}.png`),
        animations: 'disabled',
        caret: 'hide',
        // The run's temporary folders, wherever the window shows one as text, are this machine's.
        mask: [...mask, page.getByText(tmpdir())],
        maskColor: MASK_COLORS[scheme],
      });
    }
  } finally {
    await page.emulateMedia({ colorScheme: before.dark ? 'dark' : 'light' });
    await page.evaluate(repinTheme(before.pinned));
  }
}

/** Opens the Control Center at `url` and waits until it shows the agent's state. */
export async function openControlCenter(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1, name: 'Virtual Machines' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New Virtual Machine' })).toBeEnabled();
}

/** Opens a section from the sidebar and waits for its title. */
export async function openSection(
  page: Page,
  section: 'Virtual Machines' | 'Activity' | 'Agent' | 'Settings',
): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: section })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(section);
}

/** The "New VM" flow, whose `data-state` names the job phase on screen. */
export function flow(page: Page): Locator {
  return page.locator('.flow');
}

/** Waits until the flow shows `phase`. */
export async function expectPhase(page: Page, phase: JobPhase['phase']): Promise<void> {
  await expect(flow(page)).toHaveAttribute('data-state', phase);
}

/** Starts "New Virtual Machine" and waits for the invitation; returns the image's name. */
export async function openInvitation(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'New Virtual Machine' }).click();
  await expectPhase(page, 'invited');
  await expect(
    page.getByRole('heading', { name: 'Your organisation has a VM ready for you' }),
  ).toBeVisible();
  return (await flow(page).locator('.image-name').textContent()) ?? '';
}

/** The download's progress bar. */
export function downloadProgress(page: Page): Locator {
  return page.getByRole('progressbar', { name: 'Download progress' });
}

/** Waits for the registered step and the new VM selected in the list; returns the VM's name. */
export async function expectRegistered(page: Page): Promise<string> {
  await expectPhase(page, 'registered');
  const title = await flow(page).getByRole('heading').textContent();
  const vmName = /^(.+) is ready$/.exec(title ?? '')?.[1] ?? '';
  expect(vmName).not.toBe('');
  const nameButton = page.getByRole('button', { name: vmName, exact: true });
  await expect(nameButton).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('tr[aria-current="true"]')).toContainText(vmName);
  return vmName;
}
