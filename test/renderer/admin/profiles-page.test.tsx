import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConfigurationProfile } from '../../../renderer/admin/api/admin-types.ts';
import { ProfilesPage } from '../../../renderer/admin/pages/profiles-page.tsx';
import { fakeClient } from './fake-portal.ts';

const ADMIN = '/api/v1/admin';

function profilesPortal(start: ConfigurationProfile[]) {
  let profiles = start;
  return fakeClient({
    [`GET ${ADMIN}/configuration-profiles`]: () => ({
      status: 200,
      body: { configurationProfiles: profiles },
    }),
    [`GET ${ADMIN}/user-groups`]: {
      status: 200,
      body: {
        userGroups: [
          { id: 'eng', name: 'Engineering', licenseKey: 'ACME-ENG-0002' },
          { id: 'fin', name: 'Finance', licenseKey: 'ACME-FIN-0003' },
        ],
      },
    },
    [`GET ${ADMIN}/license-keys`]: {
      status: 200,
      body: {
        licenseKeys: [
          { key: 'ACME-PRIMARY-0001', kind: 'primary', state: 'active' },
          { key: 'ACME-ENG-0002', kind: 'sublicense', state: 'active' },
          { key: 'ACME-FIN-0003', kind: 'sublicense', state: 'active' },
          { key: 'ACME-BE-0006', kind: 'sublicense', state: 'active' },
        ],
      },
    },
    [`POST ${ADMIN}/configuration-profiles`]: ({ body }) => {
      profiles = [...profiles, { id: 'new', ...(body as object) } as ConfigurationProfile];
      return { status: 201, body: {} };
    },
    [`PUT ${ADMIN}/configuration-profiles/eng-settings`]: ({ body }) => {
      profiles = [{ id: 'eng-settings', ...(body as object) } as ConfigurationProfile];
      return { status: 200, body: {} };
    },
  });
}

const engSettings: ConfigurationProfile = {
  id: 'eng-settings',
  name: 'Engineering settings',
  settings: { 'vm.startupView': 'coherence', 'app.autoUpdate': false },
  assignedTo: ['eng'],
  appliesToKeys: [],
};

describe('the Configuration Profiles page', () => {
  it('adds a profile from setting rows and one list of who gets it, without a JSON box', async () => {
    const user = userEvent.setup();
    const { client, sent } = profilesPortal([engSettings]);
    render(<ProfilesPage client={client} />);
    const form = screen.getByRole('form', { name: 'Add a configuration profile' });
    expect(within(form).queryByLabelText(/JSON/)).toBeNull();
    await user.type(within(form).getByLabelText('Profile name'), 'Finance settings');
    await user.type(within(form).getByLabelText('Setting 1 name'), 'vm.memoryMiB');
    await user.selectOptions(within(form).getByLabelText('Setting 1 kind'), 'number');
    await user.type(within(form).getByLabelText('Setting 1 value'), '8192');
    await user.click(within(form).getByRole('button', { name: 'Add setting' }));
    await user.type(within(form).getByLabelText('Setting 2 name'), 'app.autoUpdate');
    await user.selectOptions(within(form).getByLabelText('Setting 2 kind'), 'switch');
    await user.selectOptions(within(form).getByLabelText('Setting 2 value'), 'off');

    // One list: groups, then the keys that have no group; a group's key is not offered twice.
    const targets = within(form).getByRole('group', { name: 'Applies to' });
    const labels = within(targets)
      .getAllByRole('checkbox')
      .map((box) => box.closest('label')?.textContent);
    expect(labels).toEqual([
      'Primary license key',
      'Engineering (eng)',
      'Finance (fin)',
      'License key ACME-BE-0006 (no group)',
    ]);
    // Engineering has a profile already: it cannot get a second one.
    expect(within(targets).getByLabelText('Engineering (eng)')).toBeDisabled();
    await user.click(within(targets).getByLabelText('Finance (fin)'));
    await user.click(within(targets).getByLabelText('License key ACME-BE-0006 (no group)'));
    await user.click(within(form).getByRole('button', { name: 'Add profile' }));

    await screen.findByRole('listitem', { name: 'Finance settings' });
    expect(sent.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'Finance settings',
      settings: { 'vm.memoryMiB': 8192, 'app.autoUpdate': false },
      assignedTo: ['fin'],
      appliesToKeys: ['ACME-BE-0006'],
    });
  });

  it('edits a profile in its card with Save and Cancel', async () => {
    const user = userEvent.setup();
    const { client, sent } = profilesPortal([engSettings]);
    render(<ProfilesPage client={client} />);
    const card = await screen.findByRole('listitem', { name: 'Engineering settings' });
    expect(card).toHaveTextContent('vm.startupView: coherence');
    expect(card).toHaveTextContent('app.autoUpdate: Off');
    await user.click(within(card).getByRole('button', { name: 'Edit Engineering settings' }));
    const form = screen.getByRole('form', { name: 'Edit Engineering settings' });
    expect(within(form).getByLabelText('Setting 1 value')).toHaveValue('coherence');
    await user.clear(within(form).getByLabelText('Setting 1 value'));
    await user.type(within(form).getByLabelText('Setting 1 value'), 'window');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('listitem', { name: 'Engineering settings' })).toHaveTextContent(
      'vm.startupView: window',
    );
    expect(sent.find((r) => r.method === 'PUT')?.body).toEqual({
      name: 'Engineering settings',
      settings: { 'vm.startupView': 'window', 'app.autoUpdate': false },
      assignedTo: ['eng'],
      appliesToKeys: [],
    });
  });

  it('refuses a number setting left empty or not a number, beside its row, and sends nothing', async () => {
    const user = userEvent.setup();
    const { client, sent } = profilesPortal([]);
    render(<ProfilesPage client={client} />);
    const form = screen.getByRole('form', { name: 'Add a configuration profile' });
    await user.type(within(form).getByLabelText('Profile name'), 'Finance settings');
    await user.type(within(form).getByLabelText('Setting 1 name'), 'vm.memoryMiB');
    await user.selectOptions(within(form).getByLabelText('Setting 1 kind'), 'number');
    await user.click(within(form).getByRole('button', { name: 'Add profile' }));

    const value = within(form).getByLabelText('Setting 1 value');
    expect(value).toBeInvalid();
    expect(value).toHaveAccessibleDescription('Enter a number for vm.memoryMiB, like 8192.');
    expect(within(form).getByLabelText('Setting 1 name')).toBeValid();
    expect(within(form).getByRole('alert')).toHaveTextContent(
      'The configuration profile was not saved: see the field marked.',
    );

    await user.type(value, 'lots');
    expect(value).toBeValid();
    await user.click(within(form).getByRole('button', { name: 'Add profile' }));
    expect(value).toHaveAccessibleDescription(
      '“lots” is not a number. Enter one for vm.memoryMiB, like 8192 or 1.5.',
    );
    expect(sent.filter((r) => r.method === 'POST')).toEqual([]);

    await user.clear(value);
    await user.type(value, '8192');
    await user.click(within(form).getByRole('button', { name: 'Add profile' }));
    await screen.findByRole('listitem', { name: 'Finance settings' });
    expect(sent.find((r) => r.method === 'POST')?.body).toMatchObject({
      settings: { 'vm.memoryMiB': 8192 },
    });
  });
});
