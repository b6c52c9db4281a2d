import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FleetVersion, ImageVersions } from '../../../shared/admin-fleet.ts';
import type { AdminFleetDevice } from '../../../renderer/admin/api/fleet-words.ts';
import { FleetTable } from '../../../renderer/admin/pages/fleet-table.tsx';
import { GoldenImagesPage } from '../../../renderer/admin/pages/golden-images-page.tsx';
import { fakeClient, someDevice } from './fake-portal.ts';

const OLD = `3f9a0c1d${'0'.repeat(56)}`;
const NEW = `77aa1234${'f'.repeat(56)}`;
const IMAGE = 'win11-fin';

function version(change: Partial<FleetVersion>): FleetVersion {
  return { goldenImageId: IMAGE, sha256: NEW, currentSha256: NEW, state: 'current', ...change };
}

function renderTable(devices: AdminFleetDevice[]) {
  render(
    <FleetTable
      devices={devices}
      selected={[]}
      onSelect={() => undefined}
      retrievalOf={() => null}
      groupName={(id) => id}
      imageName={(id) => (id === IMAGE ? 'Windows 11 for Finance' : 'Linux for Finance')}
    />,
  );
}

function versionCell(hostname: string): HTMLElement {
  const row = screen.getByRole('row', { name: new RegExp(hostname) });
  return row.querySelector<HTMLElement>('td.version')!;
}

describe('the Version column of the fleet table', () => {
  it('says which version each Mac runs: current, previous (with its checksum), update offered, unknown', () => {
    const mac = (n: number, versions: FleetVersion[] | undefined) =>
      someDevice({ deviceId: `dev-${n}`, hostname: `mac-${n}`, goldenImageId: IMAGE, versions });
    renderTable([
      mac(1, [version({})]),
      mac(2, [version({ sha256: OLD, state: 'previous' })]),
      mac(3, [version({ sha256: OLD, state: 'update-offered' })]),
      mac(4, [version({ sha256: null, state: 'unknown' })]),
      mac(5, []),
    ]);
    expect(screen.getByRole('columnheader', { name: 'Version' })).toBeVisible();
    expect(versionCell('mac-1')).toHaveTextContent(/^Current$/);
    expect(versionCell('mac-1')).toHaveAttribute('data-version', 'current');
    expect(versionCell('mac-2')).toHaveTextContent('Previous version (3f9a0c1d…)');
    expect(versionCell('mac-2')).toHaveAttribute('data-version', 'previous');
    expect(versionCell('mac-3')).toHaveTextContent('Update offered');
    expect(versionCell('mac-4')).toHaveTextContent('Unknown: its agent does not report versions');
    expect(versionCell('mac-5')).toHaveTextContent('—');
    expect(versionCell('mac-5')).toHaveAttribute('data-version', 'none');
  });

  it('names the image of each version when a Mac has VMs of several, and keys the cell to its current one', () => {
    renderTable([
      someDevice({
        goldenImageId: IMAGE,
        versions: [
          version({ goldenImageId: 'linux-fin', sha256: OLD, state: 'previous' }),
          version({}),
        ],
      }),
    ]);
    const cell = versionCell('mac-finance-01');
    expect(cell).toHaveTextContent(
      'Linux for Finance: Previous version (3f9a0c1d…); Windows 11 for Finance: Current',
    );
    expect(cell).toHaveAttribute('data-version', 'current');
  });
});

describe('the golden image card', () => {
  it('counts the Macs on the current version and on older ones, and names the older versions', async () => {
    const image = {
      id: IMAGE,
      name: 'Windows 11 for Finance',
      description: '',
      images: { arm64: { enabled: true, url: 'https://f.example/w.pvmp', checksum: NEW } },
      assignedTo: [],
    };
    const counted: ImageVersions = {
      goldenImageId: IMAGE,
      macs: { current: 5, previous: 2, 'update-offered': 1, unknown: 1 },
      older: [{ sha256: OLD, macs: 3 }],
    };
    const { client } = fakeClient({
      'GET /api/v1/admin/golden-images': { status: 200, body: { goldenImages: [image] } },
      'GET /api/v1/admin/user-groups': { status: 200, body: { userGroups: [] } },
      'GET /api/v1/admin/image-versions': { status: 200, body: { images: [counted] } },
    });
    render(<GoldenImagesPage client={client} />);
    const card = await screen.findByRole('listitem', { name: image.name });
    const facts = await within(card).findByText(/on the current version/);
    expect(facts.closest('dd')).toHaveTextContent(
      '5 Macs on the current version · 3 on an older one (1 offered the update) · 1 on a version not reported Older versions: 3f9a0c1d… on 3 Macs',
    );
  });
});
