import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import axe, { type Result } from 'axe-core';

/**
 * The rule sets every state is held to: WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus Deque's
 * best practices (landmarks, one h1, headings in order, focusable scroll regions).
 */
export const AXE_TAGS = [
  'wcag2a',
  'wcag2aa',
  'wcag21a',
  'wcag21aa',
  'wcag22aa',
  'best-practice',
] as const;

/** The rules of those sets whose outcome depends on the colours, so on the light or dark scheme. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'] as const;

/** One line per element a rule found: rule, impact, the element's selector and what is wrong. */
export function describeViolations(violations: readonly Result[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => {
      const target = node.target.map(String).join(' >> ');
      // axe's summary is several indented lines; one line keeps the list scannable.
      const why = (node.failureSummary ?? violation.help).replace(/\s*\n\s*/g, ' ');
      return `${violation.id} (${violation.impact ?? 'no impact'}) at ${target}: ${why}`;
    }),
  );
}

/**
 * Runs axe-core on the page as it is now and fails with every violation, named by `state`:
 * every rule of `AXE_TAGS`, or only `rules` (the colour rules, for the same state in dark).
 */
export async function expectNoAxeViolations(
  page: Page,
  state: string,
  rules?: readonly string[],
): Promise<void> {
  // axe-core goes into each document once (1.5 MB to parse); the builder then brings no source.
  if (!(await page.evaluate<boolean>('typeof globalThis.axe?.run === "function"'))) {
    await page.evaluate(axe.source);
  }
  const builder = new AxeBuilder({ page, axeSource: ';' })
    // axe.run in the page itself: these windows have no frames to reach, and the default mode
    // opens a blank page to finish every run, which more than doubles the time of a check.
    .setLegacyMode();
  // No rule is disabled: a rule that does not fit a state is a finding to discuss, not to hide.
  if (rules) builder.withRules([...rules]);
  else builder.withTags([...AXE_TAGS]);
  const results = await builder.analyze();
  expect(
    describeViolations(results.violations),
    `axe-core found accessibility violations in the state "${state}"`,
  ).toEqual([]);
}
