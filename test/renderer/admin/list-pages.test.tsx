import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { LicenseKey } from '../../../renderer/admin/api/admin-types.ts';
import { FaultsPage } from '../../../renderer/admin/pages/faults-page.tsx';
import { LicenseKeysPage } from '../../../renderer/admin/pages/license-keys-page.tsx';
import { UserGroupsPage } from '../../../renderer/admin/pages/user-groups-page.tsx';
import { fail, fakeClient } from './fake-portal.ts';

const KEYS_PATH = '/api/v1/admin/license-keys';
const IN_USE =
  'License key "ACME-OPS-0007" is used by the group "operations"; delete the group first.';
const NAME_SENTENCE = 'The user group cannot be saved: name is required.';

function licenseKeysPortal(refuseDelete: boolean) {
  let keys: LicenseKey[] = [{ key: 'ACME-OPS-0007', kind: 'sublicense', state: 'active' }];
  return fakeClient({
    [`GET ${KEYS_PATH}`]: () => ({ status: 200, body: { licenseKeys: keys } }),
    [`POST ${KEYS_PATH}`]: ({ body }) => {
      keys = [...keys, body as LicenseKey];
      return { status: 201, body: { licenseKey: body } };
    },
    [`DELETE ${KEYS_PATH}/ACME-OPS-0007`]: () => {
      if (refuseDelete) {
        return fail(409, 'IN_USE', IN_USE, [
          { code: 'IN_USE', path: 'userGroups "operations"', reason: 'uses it' },
        ]);
      }
      keys = [];
      return { status: 200, body: {} };
    },
  });
}

describe('the admin list pages', () => {
  it('adds an entry, empties the form, and lists the entry once the portal took it', async () => {
    const user = userEvent.setup();
    const { client, sent } = licenseKeysPortal(false);
    render(<LicenseKeysPage client={client} />);
    const table = screen.getByRole('table', { name: 'License keys' });
    expect(await within(table).findByRole('cell', { name: 'ACME-OPS-0007' })).toBeVisible();

    const form = screen.getByRole('form', { name: 'Add a license key' });
    await user.type(within(form).getByLabelText('License key'), ' ACME-FIN-0003 ');
    await user.click(within(form).getByRole('button', { name: 'Add key' }));
    expect(await within(table).findByRole('cell', { name: 'ACME-FIN-0003' })).toBeVisible();
    expect(within(form).getByLabelText('License key')).toHaveValue('');
    expect(sent.find((r) => r.method === 'POST')?.body).toEqual({
      key: 'ACME-FIN-0003',
      kind: 'sublicense',
      state: 'active',
    });
  });

  it('deletes a row without asking, and the row is gone after the list loads again', async () => {
    const user = userEvent.setup();
    const { client, sent } = licenseKeysPortal(false);
    render(<LicenseKeysPage client={client} />);
    await user.click(await screen.findByRole('button', { name: 'Delete ACME-OPS-0007' }));
    await expect.poll(() => screen.queryByRole('cell', { name: 'ACME-OPS-0007' })).toBeNull();
    expect(sent.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  it('shows a refused delete under the list, not in the add form, and keeps the row', async () => {
    const user = userEvent.setup();
    const { client } = licenseKeysPortal(true);
    render(<LicenseKeysPage client={client} />);
    await user.click(await screen.findByRole('button', { name: 'Delete ACME-OPS-0007' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      '“ACME-OPS-0007” is still used by the group “operations”. Remove it there first, then delete it.',
    );
    expect(alert.previousElementSibling).toBe(screen.getByRole('table', { name: 'License keys' }));
    expect(within(screen.getByRole('form')).queryByRole('alert')).toBeNull();
    expect(screen.getByRole('row', { name: /ACME-OPS-0007/ })).toHaveAttribute(
      'data-state',
      'active',
    );
  });

  it('shows a refused add inside the form, marks the field, and keeps what was typed', async () => {
    const user = userEvent.setup();
    const { client } = fakeClient({
      'GET /api/v1/admin/user-groups': { status: 200, body: { userGroups: [] } },
      [`GET ${KEYS_PATH}`]: { status: 200, body: { licenseKeys: [] } },
      'POST /api/v1/admin/user-groups': fail(400, 'NAME_REQUIRED', NAME_SENTENCE, [
        { code: 'NAME_REQUIRED', path: 'name', reason: 'is required' },
      ]),
    });
    render(<UserGroupsPage client={client} />);
    const form = screen.getByRole('form', { name: 'Add a user group' });
    await user.type(within(form).getByLabelText('Group name'), ' ');
    await user.click(within(form).getByRole('button', { name: 'Add group' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'The group was not saved: see the field marked.',
    );
    expect(within(form).getByLabelText('Group name')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByLabelText('Group name')).toHaveAccessibleDescription(
      'Give the group a name.',
    );
    expect(form).not.toHaveTextContent(NAME_SENTENCE);
    expect(within(form).getByLabelText('Group name')).toHaveValue(' ');
  });

  it('removes a fault with its Remove button, and refuses a spec that is not JSON without sending it', async () => {
    const user = userEvent.setup();
    let faults = [{ id: 'slow', type: 'bandwidth', bytesPerSec: 1024, attempts: 3, hits: 1 }];
    const { client, sent } = fakeClient({
      'GET /api/v1/faults': () => ({ status: 200, body: { faults } }),
      'DELETE /api/v1/faults/slow': () => {
        faults = [];
        return { status: 204 };
      },
    });
    render(<FaultsPage client={client} />);
    const row = await screen.findByRole('row', { name: /slow/ });
    expect(row).toHaveTextContent('{"id":"slow","type":"bandwidth","bytesPerSec":1024}');
    await user.click(within(row).getByRole('button', { name: 'Remove slow' }));
    expect(await screen.findByText('No fault is active: the portal behaves.')).toBeVisible();
    expect(screen.queryByRole('table')).toBeNull();

    await user.type(screen.getByLabelText('Fault spec (JSON)'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Add fault' }));
    expect(screen.getByLabelText('Fault spec (JSON)')).toHaveAccessibleDescription(
      /The fault spec is not valid JSON/,
    );
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
