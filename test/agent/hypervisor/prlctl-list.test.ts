import { describe, expect, it } from 'vitest';
import { mergeVmLists } from '../../../electron/agent/hypervisor/merged-vms.ts';
import { parseVmList } from '../../../electron/agent/hypervisor/prlctl-list.ts';
import type { VmRecord } from '../../../shared/agent-store-schema.ts';

// The shape of `prlctl list -a -i --json` (keys as Parallels Desktop prints them; most left out).
const LISTED = [
  {
    ID: '{BD70007C-83B8-4642-B1D0-FA8DDFA0A4CF}',
    Name: 'my-vm',
    Description: '',
    Type: 'VM',
    State: 'running',
    'Home path': '/Users/user/Parallels/my-vm.pvm/',
    Home: '/Users/user/Parallels/my-vm.pvm/',
    Hardware: { net0: { mac: '001C42371AB2' } },
  },
  {
    ID: '0c7954c9-7ca4-4e5a-a84d-5927f4d2d710',
    Name: 'packed',
    State: 'suspended',
    Home: '/Users/user/vm-images/packed.pvmp',
  },
];

describe("reading prlctl's VM list", () => {
  it('takes ids without braces in lower case, homes without a trailing slash, two states', () => {
    expect(parseVmList(JSON.stringify(LISTED, null, 4).replace(/\//g, '\\/'))).toEqual([
      {
        uuid: 'bd70007c-83b8-4642-b1d0-fa8ddfa0a4cf',
        name: 'my-vm',
        path: '/Users/user/Parallels/my-vm.pvm',
        state: 'running',
      },
      {
        uuid: '0c7954c9-7ca4-4e5a-a84d-5927f4d2d710',
        name: 'packed',
        path: '/Users/user/vm-images/packed.pvmp',
        state: 'stopped',
      },
    ]);
  });

  it('takes no output as no VMs and skips a line of noise around the JSON', () => {
    expect(parseVmList('\n')).toEqual([]);
    expect(
      parseVmList(`Login failed, retrying\n${JSON.stringify(LISTED.slice(1))}\n`),
    ).toHaveLength(1);
  });

  it('says PARALLELS_COMMAND_FAILED for output of another shape', () => {
    for (const output of ['{"ID": "x"}', '[{"Name": "no id"}]', 'not json']) {
      expect(() => parseVmList(output)).toThrow(
        expect.objectContaining({ code: 'PARALLELS_COMMAND_FAILED' }),
      );
    }
  });
});

describe("merging Parallels' list with Provisim's registry", () => {
  it("marks Provisim's VMs with their source and keeps those Parallels does not list", () => {
    const record = (uuid: string, name: string): VmRecord => ({
      uuid,
      name,
      path: `/vms/${name}.pvm`,
      arch: 'arm64',
      source: { kind: 'assistant', os: 'fedora-40' },
      registeredAt: '2026-01-01T00:00:00.000Z',
      state: 'stopped',
    });
    const listed = [
      {
        uuid: 'aaaa',
        name: 'Renamed in Control Center',
        path: '/vms/A.pvm',
        state: 'running' as const,
      },
      { uuid: 'bbbb', name: 'Theirs', path: '/other/B.pvm', state: 'stopped' as const },
    ];
    expect(mergeVmLists(listed, [record('AAAA', 'A'), record('cccc', 'C')])).toEqual([
      {
        uuid: 'aaaa',
        name: 'Renamed in Control Center',
        path: '/vms/A.pvm',
        state: 'running',
        arch: 'arm64',
        provisim: true,
        inHypervisor: true,
        source: { kind: 'assistant', os: 'fedora-40' },
      },
      {
        uuid: 'bbbb',
        name: 'Theirs',
        path: '/other/B.pvm',
        state: 'stopped',
        arch: null,
        provisim: false,
        inHypervisor: true,
        source: null,
      },
      expect.objectContaining({ uuid: 'cccc', provisim: true, inHypervisor: false }),
    ]);
  });
});
