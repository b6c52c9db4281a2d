import type { Locator, Page } from '@playwright/test';

/** Where the keyboard focus is: the role and accessible name, or `body` when nothing has it. */
export interface FocusStop {
  readonly role: string;
  readonly name: string;
}

// Enough for every control of one window; a target further away than this is not reachable.
const MAX_TAB_PRESSES = 40;

// The first line of an ARIA snapshot names the element itself: `- button "Pause"`.
const SNAPSHOT_LINE = /^- (\w+)(?: "((?:[^"\\]|\\.)*)")?/;

/** The element that has the keyboard focus, as a screen reader would announce it. */
export async function focusedStop(page: Page): Promise<FocusStop> {
  const focused = page.locator('*:focus');
  if ((await focused.count()) === 0) return { role: 'body', name: '' };
  const [, role = 'generic', name = ''] = SNAPSHOT_LINE.exec(await focused.ariaSnapshot()) ?? [];
  return { role, name: name.replace(/\\(.)/g, '$1') };
}

/** `role "name"`, as failure messages show a focus stop. */
export function describeStop({ role, name }: FocusStop): string {
  return name ? `${role} "${name}"` : role;
}

/** Presses Tab `count` times and returns each element the focus reached. */
export async function tabStops(page: Page, count: number): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press('Tab');
    stops.push(await focusedStop(page));
  }
  return stops;
}

/** Presses Tab until `target` has the focus; fails with the stops passed when it never does. */
export async function tabTo(page: Page, target: Locator): Promise<void> {
  const passed: string[] = [];
  const hasFocus = target.and(page.locator('*:focus'));
  for (let i = 0; i < MAX_TAB_PRESSES; i += 1) {
    if ((await hasFocus.count()) > 0) return;
    await page.keyboard.press('Tab');
    passed.push(describeStop(await focusedStop(page)));
  }
  throw new Error(`Tab never reached ${target.toString()}; it went to:\n${passed.join('\n')}`);
}

// Logs every element that holds the focus, including <body> for a moment: after a focusout to
// nowhere (a focused button disabled), after each DOM change (a focused element removed loses it
// without an event) and on every focusin. A focusout with a relatedTarget is a move between two
// elements, during which activeElement reads <body> though nothing was lost.
const TRACK_FOCUS = `(() => {
  const log = [];
  const describe = (el) => {
    if (!el || el === document.body || el === document.documentElement) return 'body';
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
    return el.tagName.toLowerCase() + (text ? ' "' + text.slice(0, 60) + '"' : '');
  };
  const note = () => {
    const now = describe(document.activeElement);
    if (log[log.length - 1] !== now) log.push(now);
  };
  document.addEventListener('focusin', note, true);
  document.addEventListener('focusout', (event) => {
    if (!event.relatedTarget) queueMicrotask(note);
  }, true);
  new MutationObserver(note).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['disabled', 'hidden'],
  });
  globalThis.__focusLog = log;
  note();
})()`;

/** Starts logging where the focus goes on this page, from now on. */
export async function trackFocus(page: Page): Promise<void> {
  await page.evaluate(TRACK_FOCUS);
}

/** Every element that held the focus since `trackFocus`, `body` when nothing did. */
export async function focusLog(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('globalThis.__focusLog ?? []');
}
