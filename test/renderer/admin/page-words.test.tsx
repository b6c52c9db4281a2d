import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AdminApiError } from '../../../renderer/admin/api/admin-client.ts';
import { pageErrors } from '../../../renderer/admin/api/problem-words.ts';
import { FaultsPage } from '../../../renderer/admin/pages/faults-page.tsx';
import { GoldenImagesPage } from '../../../renderer/admin/pages/golden-images-page.tsx';
import { fail, fakeClient } from './fake-portal.ts';

const API_WORDS = /images\.|assignedTo|api\/v1|PUT|DELETE|\?confirm|Bearer|discriminator/;

describe('the admin pages’ words for refusals', () => {
  it('words each problem for its field and keeps API paths out of every sentence', () => {
    const error = new AdminApiError(
      400,
      'IMAGE_URL_INVALID',
      'The golden image "w" cannot be saved: images.x86_64.url must be an http:// link; images.arm64.checksum is required.',
      [
        { code: 'IMAGE_URL_INVALID', path: 'images.x86_64.url', reason: 'is not http' },
        { code: 'CHECKSUM_REQUIRED', path: 'images.arm64.checksum', reason: 'is required' },
        { code: 'DUPLICATE_ID', path: 'goldenImages "w"', reason: 'is taken' },
      ],
    );
    const words = pageErrors(error, { form: 'golden-image' });
    expect(words.fields).toEqual({
      'images.x86_64.url':
        'Intel image: the download link must start with http:// or https://, or be a path under /images/ for a file this portal hosts.',
      'images.arm64.checksum':
        'Apple silicon image: paste the SHA-256 checksum from the image’s .sha256.txt file.',
    });
    expect(words.summary).toBe(
      'The golden image was not saved: see the fields marked. There is already a golden image with this id. Choose another.',
    );
    expect([...Object.values(words.fields), words.summary].join(' ')).not.toMatch(API_WORDS);
  });

  it('says a wrong admin token is not right, and a full disk plainly', () => {
    const refused = new AdminApiError(
      401,
      'UNAUTHORIZED',
      'Send "Authorization: Bearer <token>".',
      [],
    );
    expect(pageErrors(refused, { form: 'list' }).summary).toMatch(
      /^This admin token is not right\./,
    );
    const full = new AdminApiError(500, 'STATE_NOT_SAVED', 'ENOSPC writing org-state.json', []);
    expect(pageErrors(full, { form: 'policy' }).summary).toMatch(/free space/);
  });

  it('words a fault of no known type beside the spec, before sending and from the portal', async () => {
    const user = userEvent.setup();
    const { client, sent } = fakeClient({
      'GET /api/v1/faults': { status: 200, body: { faults: [] } },
      'POST /api/v1/faults': fail(
        400,
        'BAD_REQUEST',
        'The fault is not valid (latencyMs: Invalid input: expected number, received string).',
        [{ code: 'BAD_REQUEST', path: 'latencyMs', reason: 'must be a number' }],
      ),
    });
    render(<FaultsPage client={client} />);
    const spec = await screen.findByLabelText('Fault spec (JSON)');
    await user.type(spec, '{{"type": "latencey"}');
    await user.click(screen.getByRole('button', { name: 'Add fault' }));
    expect(spec).toHaveAccessibleDescription(
      /There is no fault type “latencey”\. Use one of: latency, bandwidth,/,
    );
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    await user.clear(spec);
    await user.type(spec, '{{"type": "latency", "latencyMs": "fast"}');
    await user.click(screen.getByRole('button', { name: 'Add fault' }));
    const form = screen.getByRole('form', { name: 'Add a fault' });
    expect(await within(form).findByRole('alert')).toHaveTextContent('The fault was not added');
    expect(spec).toHaveAccessibleDescription(/In the fault spec, “latencyMs” must be a number\./);
    expect(form).not.toHaveTextContent(/Invalid input|discriminator/);
  });

  it('says a golden image was saved in a success style, not a warning’s', async () => {
    const user = userEvent.setup();
    const image = { id: 'w', name: 'Win 11', description: '', images: {}, assignedTo: [] };
    const { client } = fakeClient({
      'GET /api/v1/admin/golden-images': { status: 200, body: { goldenImages: [image] } },
      'GET /api/v1/admin/user-groups': { status: 200, body: { userGroups: [] } },
      'PUT /api/v1/admin/golden-images/w': {
        status: 200,
        body: { goldenImage: image, changedPolicies: [] },
      },
    });
    render(<GoldenImagesPage client={client} />);
    await user.click(await screen.findByRole('button', { name: 'Edit Win 11' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent('Golden image “Win 11” saved.');
    expect(notice).toHaveClass('success');
    expect(notice).not.toHaveClass('warning');
  });
});
