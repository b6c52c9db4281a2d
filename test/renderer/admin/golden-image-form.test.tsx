import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { GoldenImage } from '../../../renderer/admin/api/admin-types.ts';
import { GoldenImageForm } from '../../../renderer/admin/pages/golden-image-form.tsx';
import { fail, fakeClient, type FakeRoutes } from './fake-portal.ts';

const HEX = 'a'.repeat(64);
const groups = [{ id: 'finance', name: 'Finance', licenseKey: 'ACME-FIN-0003' }];

function renderForm(routes: FakeRoutes, images: GoldenImage[] = []) {
  const { client, sent } = fakeClient(routes);
  const onSaved = vi.fn();
  render(
    <GoldenImageForm
      client={client}
      groups={groups}
      images={images}
      onSaved={onSaved}
      onDeleted={vi.fn()}
      onCancel={vi.fn()}
    />,
  );
  return { sent, onSaved };
}

describe('GoldenImageForm', () => {
  it('names a missing name beside the field, sends nothing, and moves the focus to the alert', async () => {
    const user = userEvent.setup();
    const { sent, onSaved } = renderForm({});
    const save = screen.getByRole('button', { name: 'Save' });
    await user.click(save);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The golden image was not saved: see the field marked.');
    // A refused Save keeps the focus in the form: on the alert, not on the page's body.
    expect(alert).toHaveFocus();
    expect(save).not.toBeDisabled();
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(
      /Give the golden image a name: your users see it in Parallels Desktop\./,
    );
    expect(sent).toHaveLength(0);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('flags every problem of both images on the first save, each beside its field in the page’s words', async () => {
    const user = userEvent.setup();
    const { sent } = renderForm({});
    await user.type(screen.getByLabelText('Name'), 'Win 11');
    await user.click(screen.getByLabelText('Enable for Apple silicon'));
    await user.type(screen.getByLabelText('Download URL for Apple silicon'), '/images/win11.pvmp');
    await user.type(screen.getByLabelText('Checksum (SHA-256) for Apple silicon'), 'xyz');
    await user.click(screen.getByLabelText('Enable for Intel'));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('see the fields marked');
    expect(
      screen.getByLabelText('Checksum (SHA-256) for Apple silicon'),
    ).toHaveAccessibleDescription(/Apple silicon image: this is not a SHA-256 checksum\./);
    expect(screen.getByLabelText('Download URL for Intel')).toHaveAccessibleDescription(
      /Intel image: give the download link, or turn off “Enable for Intel”\./,
    );
    expect(screen.getByLabelText('Checksum (SHA-256) for Intel')).toHaveAccessibleDescription(
      /Intel image: paste the SHA-256 checksum/,
    );
    expect(document.body).not.toHaveTextContent(/images\.x86_64|images\.arm64/);
    expect(sent).toHaveLength(0);

    // Fixing a field clears its sentence; the others stay until the next save.
    await user.clear(screen.getByLabelText('Checksum (SHA-256) for Apple silicon'));
    await user.type(screen.getByLabelText('Checksum (SHA-256) for Apple silicon'), HEX);
    expect(screen.getByLabelText('Checksum (SHA-256) for Apple silicon')).not.toHaveAttribute(
      'aria-invalid',
    );
    expect(screen.getByLabelText('Download URL for Intel')).toHaveAttribute('aria-invalid', 'true');
  });

  it('puts the portal’s refusals beside their fields: a name taken and a group that has an image', async () => {
    const user = userEvent.setup();
    const { sent } = renderForm({
      'POST /api/v1/admin/golden-images': fail(
        409,
        'DUPLICATE_ID',
        'The golden image "win-11" cannot be saved: name "Win 11" is already the name of "win-11"; assignedTo[0] "finance" already has golden image "x" (DELETE /api/v1/admin/assignments/<group>).',
        [
          { code: 'DUPLICATE_ID', path: 'name', reason: 'is taken' },
          { code: 'GROUP_HAS_GOLDEN_IMAGE', path: 'assignedTo[0]', reason: 'has one' },
        ],
      ),
    });
    await user.type(screen.getByLabelText('Name'), 'Win 11');
    await user.click(screen.getByLabelText('Finance (finance)'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('see the fields marked');
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(
      /Another golden image is already called “Win 11”\. Choose another name\./,
    );
    expect(screen.getByRole('group', { name: 'Assign to' })).toHaveAccessibleDescription(
      /Finance already has another golden image, and a group has only one\. To change it, edit that golden image on this page/,
    );
    expect(document.body).not.toHaveTextContent(/DELETE|api\/v1|assignedTo/);
    expect(sent).toHaveLength(1);
  });

  it('offers a group that has a golden image already only disabled, naming that image', async () => {
    const other: GoldenImage = {
      id: 'mac-dev',
      name: 'Developer VM',
      description: '',
      images: {},
      assignedTo: ['finance'],
    };
    renderForm({}, [other]);
    const finance = screen.getByLabelText('Finance (finance)');
    expect(finance).toBeDisabled();
    expect(finance).toHaveAccessibleDescription('Has “Developer VM”');
    expect(screen.getByLabelText('Primary license key')).toBeEnabled();
  });

  it('creates the image with its architectures and groups and reports it saved', async () => {
    const user = userEvent.setup();
    const saved = { id: 'win-11', name: 'Win 11', description: '', images: {}, assignedTo: [] };
    const { sent, onSaved } = renderForm({
      'POST /api/v1/admin/golden-images': {
        status: 201,
        body: { goldenImage: saved, changedPolicies: [] },
      },
    });
    await user.type(screen.getByLabelText('Name'), 'Win 11');
    await user.click(screen.getByLabelText('Enable for Apple silicon'));
    await user.type(screen.getByLabelText('Download URL for Apple silicon'), '/images/w.pvmp');
    await user.type(
      screen.getByLabelText('Checksum (SHA-256) for Apple silicon'),
      `${HEX}  w.pvmp`,
    );
    await user.click(screen.getByLabelText('Finance (finance)'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSaved).toHaveBeenCalledWith(saved);
    expect(sent[0]!.body).toEqual({
      name: 'Win 11',
      description: '',
      images: { arm64: { enabled: true, url: '/images/w.pvmp', checksum: `${HEX}  w.pvmp` } },
      assignedTo: ['finance'],
    });
  });

  it('shows what "Verify link" found out about the URL', async () => {
    const user = userEvent.setup();
    const { sent } = renderForm({
      'POST /api/v1/admin/verify-link': {
        status: 200,
        body: {
          direct: false,
          needsAuthentication: true,
          supportsRanges: false,
          sizeBytes: null,
          contentType: 'text/html',
          problems: ['The link opens a sign-in page, not the file.'],
        },
      },
    });
    await user.type(screen.getByLabelText('Download URL for Intel'), 'https://files.test/x');
    await user.click(screen.getByRole('button', { name: 'Verify link for Intel' }));
    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('The link opens a sign-in page, not the file.');
    expect(status).toHaveTextContent('Needs signing inYes');
    expect(sent[0]!.body).toEqual({ url: 'https://files.test/x' });
  });
});
