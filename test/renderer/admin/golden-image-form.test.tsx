import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { GoldenImageForm } from '../../../renderer/admin/pages/golden-image-form.tsx';
import { fail, fakeClient, type FakeRoutes } from './fake-portal.ts';

const NAME_SENTENCE =
  'The golden image cannot be saved: name is required. Give it the name your users will see.';
const CHECKSUM_SENTENCE =
  'The golden image "win11" cannot be saved: images.arm64.checksum is required. Paste the contents of the .sha256.txt file.';
const HEX = 'a'.repeat(64);
const groups = [{ id: 'finance', name: 'Finance', licenseKey: 'ACME-FIN-0003' }];

function renderForm(routes: FakeRoutes) {
  const { client, sent } = fakeClient(routes);
  const onSaved = vi.fn();
  render(
    <GoldenImageForm
      client={client}
      groups={groups}
      onSaved={onSaved}
      onDeleted={vi.fn()}
      onCancel={vi.fn()}
    />,
  );
  return { sent, onSaved };
}

describe('GoldenImageForm', () => {
  it('shows the API’s sentence and marks the name when it is missing', async () => {
    const user = userEvent.setup();
    const { sent, onSaved } = renderForm({
      'POST /api/v1/admin/golden-images': fail(400, 'NAME_REQUIRED', NAME_SENTENCE, [
        { code: 'NAME_REQUIRED', path: 'name', reason: 'is required' },
      ]),
    });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(NAME_SENTENCE);
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(sent[0]!.body).toEqual({ name: '', description: '', images: {}, assignedTo: [] });
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('leaves a blank URL or checksum out, so the API names what is missing next to the field', async () => {
    const user = userEvent.setup();
    const { sent } = renderForm({
      'POST /api/v1/admin/golden-images': fail(400, 'CHECKSUM_REQUIRED', CHECKSUM_SENTENCE, [
        { code: 'IMAGE_URL_REQUIRED', path: 'images.x86_64.url', reason: 'is required' },
        { code: 'CHECKSUM_REQUIRED', path: 'images.arm64.checksum', reason: 'is required' },
      ]),
    });
    await user.type(screen.getByLabelText('Name'), 'Win 11');
    await user.click(screen.getByLabelText('Enable for Apple silicon'));
    await user.type(screen.getByLabelText('Download URL for Apple silicon'), '/images/win11.pvmp');
    await user.click(screen.getByLabelText('Enable for Intel'));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(CHECKSUM_SENTENCE);
    // Several problems: each is listed under the sentence.
    expect(within(alert).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByLabelText('Checksum (SHA-256) for Apple silicon')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.getByLabelText('Download URL for Intel')).toHaveAttribute('aria-invalid', 'true');
    expect(sent[0]!.body).toMatchObject({
      images: { arm64: { enabled: true, url: '/images/win11.pvmp' }, x86_64: { enabled: true } },
    });
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
