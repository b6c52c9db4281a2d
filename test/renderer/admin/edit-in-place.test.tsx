import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { LicenseKey, PolicyRule, UserGroup } from '../../../renderer/admin/api/admin-types.ts';
import { LicenseKeysPage } from '../../../renderer/admin/pages/license-keys-page.tsx';
import { PoliciesPage } from '../../../renderer/admin/pages/policies-page.tsx';
import { UserGroupsPage } from '../../../renderer/admin/pages/user-groups-page.tsx';
import { fail, fakeClient } from './fake-portal.ts';

const ADMIN = '/api/v1/admin';

function keysPortal() {
  let keys: LicenseKey[] = [
    { key: 'ACME-PRIMARY-0001', kind: 'primary', state: 'active' },
    { key: 'ACME-OPS-0007', kind: 'sublicense', state: 'active' },
  ];
  return fakeClient({
    [`GET ${ADMIN}/license-keys`]: () => ({ status: 200, body: { licenseKeys: keys } }),
    [`PUT ${ADMIN}/license-keys/ACME-OPS-0007`]: ({ body }) => {
      keys = keys.map((k) => (k.key === 'ACME-OPS-0007' ? { ...k, ...(body as object) } : k));
      return { status: 200, body: { licenseKey: body, changedPolicies: [] } };
    },
    [`DELETE ${ADMIN}/license-keys/ACME-PRIMARY-0001`]: fail(
      409,
      'PRIMARY_KEY_COUNT',
      'The organisation needs exactly one primary license key.',
    ),
    [`POST ${ADMIN}/license-keys`]: ({ body }) => {
      keys = [...keys, body as LicenseKey];
      return { status: 201, body: { licenseKey: body, changedPolicies: [] } };
    },
  });
}

describe('editing entries in place', () => {
  it('turns a license key row into a form with Save and Cancel, and saves its state with PUT', async () => {
    const user = userEvent.setup();
    const { client, sent } = keysPortal();
    render(<LicenseKeysPage client={client} />);
    await user.click(await screen.findByRole('button', { name: 'Edit ACME-OPS-0007' }));
    const form = screen.getByRole('form', { name: 'Edit ACME-OPS-0007' });
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form', { name: 'Edit ACME-OPS-0007' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Edit ACME-OPS-0007' }));
    const again = screen.getByRole('form', { name: 'Edit ACME-OPS-0007' });
    await user.selectOptions(within(again).getByLabelText('State'), 'revoked');
    await user.click(within(again).getByRole('button', { name: 'Save' }));
    const row = await screen.findByRole('row', { name: /ACME-OPS-0007 Sublicense Revoked/ });
    expect(row).toHaveAttribute('data-state', 'revoked');
    expect(sent.find((r) => r.method === 'PUT')?.body).toEqual({
      kind: 'sublicense',
      state: 'revoked',
    });
  });

  it('refuses a license key the Control Center would not take, beside the field, without sending it', async () => {
    const user = userEvent.setup();
    const { client, sent } = keysPortal();
    render(<LicenseKeysPage client={client} />);
    const form = screen.getByRole('form', { name: 'Add a license key' });
    await user.type(within(form).getByLabelText('License key'), 'acme bad');
    await user.click(within(form).getByRole('button', { name: 'Add key' }));
    expect(within(form).getByLabelText('License key')).toHaveAccessibleDescription(
      /This is not a license key\. Enter it as the Control Center expects it: groups of capital letters and digits joined by dashes, like ACME-ENG-0002\./,
    );
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('clears a refusal under the list once a later change works', async () => {
    const user = userEvent.setup();
    const { client } = keysPortal();
    render(<LicenseKeysPage client={client} />);
    await user.click(await screen.findByRole('button', { name: 'Delete ACME-PRIMARY-0001' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The organisation needs exactly one primary license key',
    );
    const form = screen.getByRole('form', { name: 'Add a license key' });
    await user.type(within(form).getByLabelText('License key'), 'ACME-FIN-0003');
    await user.click(within(form).getByRole('button', { name: 'Add key' }));
    await screen.findByRole('cell', { name: 'ACME-FIN-0003' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('renames a group in its row, and says so in the page’s words when another group has the name', async () => {
    const user = userEvent.setup();
    const groups: UserGroup[] = [
      { id: 'eng', name: 'Engineering', licenseKey: 'ACME-ENG-0002' },
      { id: 'fin', name: 'Finance', licenseKey: 'ACME-FIN-0003' },
    ];
    const keys: LicenseKey[] = [
      { key: 'ACME-ENG-0002', kind: 'sublicense', state: 'active' },
      { key: 'ACME-FIN-0003', kind: 'sublicense', state: 'active' },
    ];
    const { client, sent } = fakeClient({
      [`GET ${ADMIN}/user-groups`]: { status: 200, body: { userGroups: groups } },
      [`GET ${ADMIN}/license-keys`]: { status: 200, body: { licenseKeys: keys } },
      [`PUT ${ADMIN}/user-groups/eng`]: fail(
        409,
        'DUPLICATE_ID',
        'The user group "eng" cannot be saved: name "Finance" is already the name of "fin".',
        [{ code: 'DUPLICATE_ID', path: 'name', reason: 'is taken' }],
      ),
    });
    render(<UserGroupsPage client={client} />);
    await user.click(await screen.findByRole('button', { name: 'Edit Engineering' }));
    const form = screen.getByRole('form', { name: 'Edit Engineering' });
    const name = within(form).getByLabelText('Group name');
    expect(within(form).getByLabelText('Sublicense key')).toHaveValue('ACME-ENG-0002');
    await user.clear(name);
    await user.type(name, 'Finance');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByRole('alert')).toHaveFocus();
    expect(name).toHaveAccessibleDescription(
      'Another group is already called “Finance”. Choose another name.',
    );
    expect(sent.find((r) => r.method === 'PUT')?.body).toEqual({
      name: 'Finance',
      licenseKey: 'ACME-ENG-0002',
    });
  });

  it('shows a policy’s restrictions as text, and changes them in a form opened by Edit', async () => {
    const user = userEvent.setup();
    let policy: PolicyRule = {
      id: 'strict',
      appliesTo: ['eng'],
      restrictToCorporateVms: true,
      oneCorporateVmPerUser: false,
      preventCorporateVmRemoval: false,
    };
    const { client, sent } = fakeClient({
      [`GET ${ADMIN}/policies`]: () => ({ status: 200, body: { policies: [policy] } }),
      [`GET ${ADMIN}/user-groups`]: {
        status: 200,
        body: { userGroups: [{ id: 'eng', name: 'Engineering', licenseKey: 'ACME-ENG-0002' }] },
      },
      [`PUT ${ADMIN}/policies/strict`]: ({ body }) => {
        policy = body as PolicyRule;
        return { status: 200, body: { policy, changedPolicies: [] } };
      },
    });
    render(<PoliciesPage client={client} />);
    const card = await screen.findByRole('listitem', { name: 'strict' });
    // Nothing on the card looks like a control that does nothing.
    expect(within(card).queryByRole('checkbox')).toBeNull();
    expect(card).toHaveTextContent('Restrict to corporate VMsOn');
    expect(card).toHaveTextContent('One corporate VM per userOff');

    await user.click(within(card).getByRole('button', { name: 'Edit strict' }));
    const form = screen.getByRole('form', { name: 'Edit strict' });
    await user.click(within(form).getByLabelText('One corporate VM per user'));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('listitem', { name: 'strict' })).toHaveTextContent(
      'One corporate VM per userOn',
    );
    expect(sent.find((r) => r.method === 'PUT')?.body).toEqual({
      id: 'strict',
      appliesTo: ['eng'],
      restrictToCorporateVms: true,
      oneCorporateVmPerUser: true,
      preventCorporateVmRemoval: false,
    });
  });
});
