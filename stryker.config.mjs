// Mutation testing of the rules that keep hostile archives, servers and policies out:
// `npm run test:mutation`. Too slow for `npm test`; run it when these files or their tests change.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'electron/archive/tar-entry-rules.ts',
    'electron/archive/entry-safety.ts',
    'electron/agent/download/retry-policy.ts',
    'electron/agent/download/response-decision.ts',
    'electron/agent/policy-validation.ts',
  ],
  coverageAnalysis: 'perTest',
  // Two cores: one test process per core.
  concurrency: 2,
  // Copy only what the tests import into the sandbox (not dist/, .bench/ or test-results/).
  ignorePatterns: [
    '/*',
    '!/electron',
    '!/shared',
    '!/test',
    '!/package.json',
    '!/tsconfig*.json',
    '!/vitest.mutation.config.ts',
  ],
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { allowColor: true, logTests: false, reportTests: false },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  // Always: a sandbox left behind would hold a second copy of electron/ and test/ for eslint.
  cleanTempDir: 'always',
};
