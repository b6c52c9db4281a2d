import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema, scenarioSchema } from '../../electron/scenarios/scenario-schema.ts';

const SCHEMA_FILE = new URL('../../docs/scenario-schema.json', import.meta.url);

describe('scenario JSON Schema', () => {
  it('matches docs/scenario-schema.json (run with UPDATE_SCHEMA=1 to rewrite it)', async () => {
    const expected = scenarioJsonSchema();
    if (process.env.UPDATE_SCHEMA === '1') {
      await writeFile(SCHEMA_FILE, `${JSON.stringify(expected, null, 2)}\n`);
    }
    // Compared as data so that reformatting the file (prettier) does not make it stale.
    const committed: unknown = JSON.parse(await readFile(SCHEMA_FILE, 'utf8').catch(() => 'null'));
    expect(committed, 'docs/scenario-schema.json is stale').toEqual(expected);
  });

  it('has an id and title and lists the required settings', () => {
    const schema = scenarioJsonSchema();
    expect(schema).toMatchObject({ $id: expect.any(String), title: 'Provisim scenario' });
    expect(schema.required).toEqual(['name', 'org', 'agent', 'expect']);
  });

  it('fills in the default answer and rejects a cancel-at with no point', () => {
    const base = { name: 'n', org: { fixture: 'demo' }, expect: { outcome: 'declined' } };
    const parsed = scenarioSchema.parse({ ...base, agent: { license: 'k' } });
    expect(parsed.agent.answer).toBe('accept');
    const bad = scenarioSchema.safeParse({
      ...base,
      agent: { license: 'k' },
      steps: [{ do: 'cancel-at' }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('needs exactly one of: bytes, percent');
  });
});
