import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run test:mutation` runs against each mutant: the unit tests of the five
 * mutated rules and the extractor tests that feed them hostile archives on disk. Nothing that
 * starts the CLI or a portal, so a mutant is judged in seconds.
 */
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: [
      'test/archive/entry-safety.test.ts',
      'test/archive/tar-entry-rules.test.ts',
      'test/archive/tar-extractor-hostile.test.ts',
      'test/agent/policy-validation.test.ts',
      'test/agent/download/retry-policy.test.ts',
      'test/agent/download/response-decision.test.ts',
    ],
  },
});
