import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeLoggers, createComponentLogger } from '../../electron/agent/logger.ts';
import { redactLicenseKey } from '../../shared/redact.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const KEY = 'LIC-SECRET-0001-WXYZ';

async function lines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('redactLicenseKey', () => {
  it('keeps only the last four characters', () => {
    expect(redactLicenseKey(KEY)).toBe('****WXYZ');
    expect(redactLicenseKey('SHORT')).toBe('****');
  });
});

describe('createComponentLogger', () => {
  it('writes JSON lines to <home>/logs/<component>.log', async () => {
    const home = await tempDir();
    const logger = createComponentLogger(home, 'agent');
    expect(createComponentLogger(home, 'agent')).toBe(logger);
    logger.info({ policyId: 'p1' }, 'checked in');
    logger.warn('second');
    await closeLoggers();
    const entries = await lines(join(home, 'logs', 'agent.log'));
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      component: 'agent',
      policyId: 'p1',
      msg: 'checked in',
      level: 30,
    });
    expect(typeof entries[0]?.time).toBe('string');
  });

  it('never writes a license key in full', async () => {
    const home = await tempDir();
    const logger = createComponentLogger(home, 'portal-client');
    logger.info(
      { licenseKey: KEY, request: { licenseKey: KEY }, cache: { entry: { licenseKey: KEY } } },
      'sent',
    );
    await closeLoggers();
    const text = await readFile(join(home, 'logs', 'portal-client.log'), 'utf8');
    expect(text).not.toContain(KEY);
    const [entry] = await lines(join(home, 'logs', 'portal-client.log'));
    expect(entry).toMatchObject({
      licenseKey: '****WXYZ',
      request: { licenseKey: '****WXYZ' },
      cache: { entry: { licenseKey: '****WXYZ' } },
    });
  });

  it('appends after closeLoggers when reopened', async () => {
    const home = await tempDir();
    createComponentLogger(home, 'agent').info('one');
    await closeLoggers();
    createComponentLogger(home, 'agent').info('two');
    await closeLoggers();
    expect((await lines(join(home, 'logs', 'agent.log'))).map((e) => e.msg)).toEqual([
      'one',
      'two',
    ]);
  });
});
