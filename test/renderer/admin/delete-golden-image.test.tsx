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
  'Deleting golden image "win11-fin" cannot be undone. Send the request again with ?confirm=true to delete it.';
const WARNING =
  'Users in "finance" are restricted to corporate VMs and cannot create VMs until another golden image is assigned to that group (POST /api/v1/admin/assignments).';
const STRANDED =
  'Finance may use only corporate VMs, so its users could not create any VM until you assign another golden image to that group on this page.';
const confirmationRequired = fail(400, 'CONFIRMATION_REQUIRED', ASK, undefined, {
  unassignedGroups: ['finance'],
  strandedGroups: ['finance'],
});

describe('deleting a golden image', () => {
  it('asks in a dialog in the page’s words, then deletes with confirm=true and says which group is stranded', async () => {
    const user = userEvent.setup();
    let images = [image];
    const { client, sent } = fakeClient({
      'GET /api/v1/admin/golden-images': () => ({ status: 200, body: { goldenImages: images } }),
      'GET /api/v1/admin/user-groups': {
        status: 200,
        body: { userGroups: [{ id: 'finance', name: 'Finance', licenseKey: 'ACME-FIN-0003' }] },
      },
      'DELETE /api/v1/admin/golden-images/win11-fin': confirmationRequired,
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
    expect(dialog).toHaveAccessibleDescription(
      `This cannot be undone: to get it back you would create it again. Finance will no longer be offered a golden image. ${STRANDED}`,
    );
    // The API's words for its own clients stay out of the page.
    expect(dialog).not.toHaveTextContent(/confirm=true|POST|api\/v1/);
    expect(screen.getByRole('button', { name: 'Keep it' })).toHaveFocus();
    expect(sent.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/api/v1/admin/golden-images/win11-fin',
    ]);

    await user.click(screen.getByRole('button', { name: 'Delete permanently' }));
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent(`Golden image “${image.name}” deleted. ${STRANDED}`);
    expect(notice).not.toHaveTextContent(WARNING);
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
      'DELETE /api/v1/admin/golden-images/win11-fin': confirmationRequired,
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
