import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { GoldenImagesPage } from '../../../renderer/admin/pages/golden-images-page.tsx';
import { fail, fakeClient } from './fake-portal.ts';

const image = {
  id: 'win11-fin',
  name: 'ACME Windows 11 for Finance',
  description: 'Excel for Windows.',
  images: { arm64: { enabled: true, url: '/images/fin.pvmp', checksum: 'b'.repeat(64) } },
  assignedTo: ['finance'],
};
const ASK =
  'Deleting golden image "win11-fin" cannot be undone; to get it back it must be created again. The groups "finance" are restricted to corporate VMs.';
const WARNING =
  'Users in "finance" are restricted to corporate VMs and cannot create VMs until another golden image is assigned to that group.';

describe('deleting a golden image', () => {
  it('asks for confirmation with the portal’s sentence, then deletes with confirm=true and shows the stranded-groups warning', async () => {
    const user = userEvent.setup();
    let images = [image];
    const { client, sent } = fakeClient({
      'GET /api/v1/admin/golden-images': () => ({ status: 200, body: { goldenImages: images } }),
      'GET /api/v1/admin/user-groups': {
        status: 200,
        body: { userGroups: [{ id: 'finance', name: 'Finance', licenseKey: 'ACME-FIN-0003' }] },
      },
      'DELETE /api/v1/admin/golden-images/win11-fin': fail(400, 'CONFIRMATION_REQUIRED', ASK),
      'DELETE /api/v1/admin/golden-images/win11-fin?confirm=true': () => {
        images = [];
        const body = {
          deleted: 'win11-fin',
          unassignedGroups: ['finance'],
          strandedGroups: ['finance'],
          warning: WARNING,
          changedPolicies: [],
        };
        return { status: 200, body };
      },
    });
    render(<GoldenImagesPage client={client} />);
    const card = await screen.findByRole('listitem', { name: image.name });
    expect(card).toHaveTextContent('Assigned toFinance');

    await user.click(screen.getByRole('button', { name: `Edit ${image.name}` }));
    await user.click(screen.getByRole('button', { name: 'Delete Golden Image' }));
    const dialog = await screen.findByRole('alertdialog', {
      name: `Delete “${image.name}” for good?`,
    });
    expect(dialog).toHaveAccessibleDescription(ASK);
    expect(screen.getByRole('button', { name: 'Keep it' })).toHaveFocus();
    expect(sent.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/api/v1/admin/golden-images/win11-fin',
    ]);

    await user.click(screen.getByRole('button', { name: 'Delete permanently' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      `Golden image “win11-fin” deleted. ${WARNING}`,
    );
    expect(await screen.findByText('No golden images yet.')).toBeVisible();
    expect(sent.map((r) => `${r.method} ${r.path}`)).toContain(
      'DELETE /api/v1/admin/golden-images/win11-fin?confirm=true',
    );
  });

  it('keeps the image when the admin chooses not to delete it', async () => {
    const user = userEvent.setup();
    const { client, sent } = fakeClient({
      'GET /api/v1/admin/golden-images': { status: 200, body: { goldenImages: [image] } },
      'GET /api/v1/admin/user-groups': { status: 200, body: { userGroups: [] } },
      'DELETE /api/v1/admin/golden-images/win11-fin': fail(400, 'CONFIRMATION_REQUIRED', ASK),
    });
    render(<GoldenImagesPage client={client} />);
    await user.click(await screen.findByRole('button', { name: `Edit ${image.name}` }));
    await user.click(screen.getByRole('button', { name: 'Delete Golden Image' }));
    await user.click(await screen.findByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete Golden Image' })).toBeVisible();
    expect(sent.filter((r) => r.path.includes('confirm=true'))).toHaveLength(0);
  });
});
