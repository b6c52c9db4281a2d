import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { AdminApp } from '../../../renderer/admin/admin-app.tsx';
import { fail, fakePortal, type SentRequest } from './fake-portal.ts';

const REFUSED =
  'The admin API needs the admin token: send "Authorization: Bearer <token>" with the token from the data folder.';

let tokenWorks: boolean;

function portal() {
  const guarded = (body: unknown) => (request: SentRequest) =>
    tokenWorks && request.authorization === 'Bearer tok-42'
      ? { status: 200, body }
      : fail(401, 'UNAUTHORIZED', REFUSED);
  return fakePortal({
    'GET /api/v1/admin/overview': guarded({ revision: 1, counts: {}, policies: [] }),
    'GET /api/v1/admin/golden-images': guarded({ goldenImages: [] }),
    'GET /api/v1/admin/user-groups': guarded({ userGroups: [] }),
    'GET /api/v1/admin/license-keys': guarded({ licenseKeys: [] }),
  });
}

beforeEach(() => {
  tokenWorks = true;
  sessionStorage.clear();
});

describe('admin sign-in', () => {
  it('keeps a token the portal accepts in sessionStorage and sends it as a bearer token', async () => {
    const user = userEvent.setup();
    const { fetch, sent } = portal();
    render(<AdminApp baseUrl="http://portal.test" fetch={fetch} storage={sessionStorage} />);
    await user.type(screen.getByLabelText('Admin token'), '  tok-42 ');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const title = await screen.findByRole('heading', { level: 1, name: 'Golden Images' });
    expect(title).toBeVisible();
    // The focus goes to the first page's title, not down to the page's body.
    expect(title).toHaveFocus();
    expect(sessionStorage.getItem('provisim.adminToken')).toBe('tok-42');
    expect(sent.every((r) => r.authorization === 'Bearer tok-42')).toBe(true);
  });

  it('stays on the form saying the token is not right, with the focus back in the field', async () => {
    const user = userEvent.setup();
    render(
      <AdminApp baseUrl="http://portal.test" fetch={portal().fetch} storage={sessionStorage} />,
    );
    await user.type(screen.getByLabelText('Admin token'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This admin token is not right.');
    expect(alert).not.toHaveTextContent(/Authorization|Bearer/);
    const field = screen.getByLabelText('Admin token');
    expect(field).toHaveFocus();
    expect(field).toHaveAccessibleDescription(/This admin token is not right/);
    expect(sessionStorage.getItem('provisim.adminToken')).toBeNull();
  });

  it('returns to the form with the message when a later call answers 401', async () => {
    const user = userEvent.setup();
    sessionStorage.setItem('provisim.adminToken', 'tok-42');
    render(
      <AdminApp baseUrl="http://portal.test" fetch={portal().fetch} storage={sessionStorage} />,
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Golden Images' })).toBeVisible();

    // The portal was restarted with another token.
    tokenWorks = false;
    await user.click(screen.getByRole('button', { name: 'License Keys' }));
    expect(await screen.findByLabelText('Admin token')).toBeVisible();
    expect(screen.getByRole('alert')).toHaveTextContent('The admin token stopped working');
    expect(sessionStorage.getItem('provisim.adminToken')).toBeNull();
  });

  it('asks for a token before calling the portal when the field is blank', async () => {
    const user = userEvent.setup();
    const { fetch, sent } = portal();
    render(<AdminApp baseUrl="http://portal.test" fetch={fetch} storage={sessionStorage} />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Admin token')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Enter the admin token.')).toBeVisible();
    expect(sent).toHaveLength(0);
  });
});
