import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { OrgConfigError, loadOrgConfig, parseOrgConfig } from '../../electron/portal/org-config.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { PASTED_CHECKSUM, sampleOrgData } from './portal-fixtures.ts';

const tempDir = useTempDirs();

function problemsOf(data: unknown, file = 'org.yaml'): { path: string; reason: string }[] {
  try {
    parseOrgConfig(data, file);
  } catch (error) {
    expect(error).toBeInstanceOf(OrgConfigError);
    return (error as OrgConfigError).problems.map(({ path, reason }) => ({ path, reason }));
  }
  throw new Error('expected the configuration to be refused');
}

function paths(data: unknown): string[] {
  return problemsOf(data).map((p) => p.path);
}

describe('loadOrgConfig', () => {
  it('loads a YAML file and keeps the pasted checksum line as it is', async () => {
    const file = join(await tempDir(), 'org.yaml');
    await writeFile(file, stringify(sampleOrgData()));
    const org = await loadOrgConfig(file);
    expect(org.checkInIntervalSec).toBe(600);
    expect(org.licenseKeys).toHaveLength(6);
    expect(org.goldenImages[0]?.images.arm64).toEqual({
      enabled: true,
      url: '/images/win11-arm64.pvmp',
      checksum: PASTED_CHECKSUM,
    });
  });

  it('loads a JSON file and fills in the defaults', async () => {
    const file = join(await tempDir(), 'org.json');
    const data = sampleOrgData();
    delete data.checkInIntervalSec;
    delete data.policies;
    delete (data.goldenImages as Record<string, unknown>[])[1]!.description;
    await writeFile(file, JSON.stringify(data, null, 2));
    const org = await loadOrgConfig(file);
    expect(org.checkInIntervalSec).toBe(900);
    expect(org.policies).toEqual([]);
    expect(org.goldenImages[1]?.description).toBe('');
  });

  it('names the file and the line of a YAML syntax error', async () => {
    const file = join(await tempDir(), 'broken.yaml');
    await writeFile(file, 'licenseKeys: [ { key: A\n');
    const error = await loadOrgConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrgConfigError);
    const [problem] = (error as OrgConfigError).problems;
    expect(problem?.file).toBe(file);
    expect(problem?.path).toMatch(/^line \d+, column \d+$/);
  });

  it('reports a file that cannot be read', async () => {
    const file = join(await tempDir(), 'missing.yaml');
    const error = await loadOrgConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrgConfigError);
    expect((error as OrgConfigError).problems).toEqual([
      { file, path: '(file)', reason: 'cannot be read (ENOENT)' },
    ]);
  });

  it('refuses a file that is not a mapping', async () => {
    const file = join(await tempDir(), 'list.yaml');
    await writeFile(file, '- a\n- b\n');
    await expect(loadOrgConfig(file)).rejects.toThrow(
      /list\.yaml: \(top level\): must be a mapping/,
    );
  });
});

describe('parseOrgConfig', () => {
  it('lists every problem at once, one per line with file and path', () => {
    const data = sampleOrgData();
    data.checkInIntervalSec = 0;
    data.colour = 'blue';
    const images = data.goldenImages as Record<string, unknown>[];
    images[0]!.name = ' ';
    images[0]!.images = { arm64: { enabled: true, url: 'not a url' } };
    (data.userGroups as Record<string, unknown>[])[1]!.licenseKey = 'ACME-NOPE';
    let error: unknown;
    try {
      parseOrgConfig(data, 'acme.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OrgConfigError);
    const { problems, message } = error as OrgConfigError;
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        'checkInIntervalSec',
        'colour',
        'goldenImages[0].name',
        'goldenImages[0].images.arm64.url',
        'goldenImages[0].images.arm64.checksum',
        'userGroups[1].licenseKey',
      ].sort(),
    );
    expect(problems.every((p) => p.file === 'acme.yaml')).toBe(true);
    const lines = message.split('\n');
    expect(lines[0]).toBe('The organisation configuration has 6 problems:');
    expect(lines).toContain('acme.yaml: goldenImages[0].images.arm64.checksum: is required');
    expect(lines).toContain('acme.yaml: colour: is not a known setting');
  });

  it('refuses a group that two golden images are assigned to', () => {
    const data = sampleOrgData();
    (data.goldenImages as Record<string, unknown>[])[1]!.assignedTo = ['primary', 'engineering'];
    expect(problemsOf(data)).toEqual([
      {
        path: 'goldenImages[1].assignedTo[1]',
        reason: '"engineering" already has golden image "win11-dev"; only one is allowed per group',
      },
    ]);
  });

  it('checks the references of an entry that has shape problems too', () => {
    const data = sampleOrgData();
    const image = (data.goldenImages as Record<string, unknown>[])[0]!;
    delete image.name;
    image.assignedTo = ['ghosts'];
    expect(paths(data)).toEqual(['goldenImages[0].name', 'goldenImages[0].assignedTo[0]']);
  });

  it('requires exactly one primary key', () => {
    const none = sampleOrgData();
    (none.licenseKeys as Record<string, unknown>[])[0]!.kind = 'sublicense';
    expect(paths(none)).toEqual(['licenseKeys']);
    const two = sampleOrgData();
    (two.licenseKeys as Record<string, unknown>[])[1]!.kind = 'primary';
    // The second primary key is also one a group now uses.
    expect(paths(two)).toEqual(['licenseKeys[1].kind', 'userGroups[0].licenseKey']);
  });

  it('refuses duplicate keys and ids', () => {
    const data = sampleOrgData();
    (data.licenseKeys as Record<string, unknown>[])[4]!.key = 'ACME-OLD-0004';
    (data.policies as Record<string, unknown>[]).push({ id: 'strict' });
    expect(problemsOf(data)).toEqual([
      { path: 'licenseKeys[4].key', reason: '"ACME-OLD-0004" is already used by licenseKeys[3]' },
      { path: 'policies[1].id', reason: '"strict" is already used by policies[0]' },
    ]);
  });

  it('refuses a group on the primary key, two groups on one key and the reserved group id', () => {
    const data = sampleOrgData();
    data.userGroups = [
      { id: 'a', name: 'A', licenseKey: 'ACME-PRIMARY-0001' },
      { id: 'b', name: 'B', licenseKey: 'ACME-ENG-0002' },
      { id: 'c', name: 'C', licenseKey: 'ACME-ENG-0002' },
      { id: 'primary', name: 'P', licenseKey: 'ACME-FIN-0003' },
    ];
    data.goldenImages = [];
    data.policies = [];
    expect(problemsOf(data)).toEqual([
      { path: 'userGroups[0].licenseKey', reason: expect.stringContaining('must be a sublicense') },
      { path: 'userGroups[2].licenseKey', reason: '"ACME-ENG-0002" is already used by group "b"' },
      { path: 'userGroups[3].id', reason: expect.stringContaining('reserved') },
    ]);
  });

  it('refuses unknown references in policies and profiles, and a target given twice', () => {
    const data = sampleOrgData();
    data.policies = [
      { id: 'p1', appliesTo: ['nobody', 'primary'] },
      { id: 'p2', appliesTo: ['primary'] },
    ];
    (data.configurationProfiles as Record<string, unknown>[])[0]!.appliesToKeys = [
      'ACME-MISSING',
      'ACME-BE-0006',
      'ACME-BE-0006',
    ];
    expect(problemsOf(data)).toEqual([
      { path: 'policies[0].appliesTo[0]', reason: expect.stringContaining('"nobody"') },
      { path: 'policies[1].appliesTo[0]', reason: '"primary" already has policy "p1"' },
      {
        path: 'configurationProfiles[0].appliesToKeys[0]',
        reason: expect.stringContaining('"ACME-MISSING"'),
      },
      {
        path: 'configurationProfiles[0].appliesToKeys[2]',
        reason: '"ACME-BE-0006" is listed twice',
      },
    ]);
  });

  it('requires name, url and checksum of an enabled profile payload only', () => {
    const data = sampleOrgData();
    const profile = (data.configurationProfiles as Record<string, unknown>[])[0]!;
    profile.vmForMSeriesMac = { enabled: true, description: 'VPN first' };
    profile.vmForIntelMac = { enabled: false, url: 'kept while disabled' };
    expect(paths(data)).toEqual([
      'configurationProfiles[0].vmForMSeriesMac.name',
      'configurationProfiles[0].vmForMSeriesMac.url',
      'configurationProfiles[0].vmForMSeriesMac.checksum',
    ]);
  });

  it('does not judge the checksum text beyond requiring it', () => {
    const data = sampleOrgData();
    const image = (data.goldenImages as Record<string, unknown>[])[1]!;
    image.images = { arm64: { enabled: true, url: '/images/a.pvmp', checksum: 'not hex at all' } };
    expect(parseOrgConfig(data, 'org.yaml').goldenImages[1]?.images.arm64).toMatchObject({
      checksum: 'not hex at all',
    });
    image.images = { arm64: { enabled: true, url: '/images/a.pvmp', checksum: '' } };
    expect(paths(data)).toEqual(['goldenImages[1].images.arm64.checksum']);
  });

  it('asks for the enabled switch of an architecture image', () => {
    const data = sampleOrgData();
    const image = (data.goldenImages as Record<string, unknown>[])[1]!;
    image.images = { x86_64: { url: '/images/a.pvmp', checksum: 'x' } };
    expect(problemsOf(data)).toEqual([
      {
        path: 'goldenImages[1].images.x86_64.enabled',
        reason: 'needs "enabled: true" or "enabled: false"',
      },
    ]);
  });
});
