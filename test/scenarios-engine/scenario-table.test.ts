import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../electron/scenarios/run-scenario.ts';
import {
  renderScenarioSummary,
  renderScenarioTable,
} from '../../electron/scenarios/scenario-table.ts';

// eslint-disable-next-line no-control-regex -- raw control characters are what must not appear
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const hostile: ScenarioReport = {
  file: 'test/scenarios/\u001b]0;title\u0007.yaml',
  name: 'resume \u001b[2J after a drop\nok   forged row',
  passed: false,
  outcome: 'failed (\u009b31mDOWNLOAD_FAILED)',
  expected: 'registered \u202eexe.txt',
  seconds: 1.5,
  bytes: 2048,
  failures: ['outcome failed, expected registered\n  with \u001b[31mred\u001b[0m detail'],
  keptDir: 'scenario-work/\u2066x\u2069',
};

describe('the scenario table', () => {
  it('prints names and expectations from files with their control characters escaped', () => {
    const table = renderScenarioTable([hostile]);
    expect(table).not.toMatch(RAW);
    // One heading and one row: a newline in a name does not make a row of its own.
    expect(table.split('\n')).toHaveLength(2);
    expect(table).toContain('FAIL resume \\x1b[2J after a drop\\nok   forged row');
    expect(table).toContain('registered \\u202eexe.txt');
  });

  it('prints the summary of a failure with its control characters escaped, lines kept', () => {
    const summary = renderScenarioSummary([hostile]);
    expect(summary).not.toMatch(RAW);
    expect(summary).toContain('(test/scenarios/\\x1b]0;title\\x07.yaml)');
    expect(summary).toContain('  - outcome failed, expected registered\n  with \\x1b[31mred');
    expect(summary).toContain('logs and event trace: scenario-work/\\u2066x\\u2069');
  });
});
