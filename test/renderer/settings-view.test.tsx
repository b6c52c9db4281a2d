import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_SENTENCES, type ErrorCode } from '../../shared/codes.ts';
import type { Result, Settings } from '../../shared/ipc-contract.ts';
import { licenseKeyProblem } from '../../renderer/model/settings-form.ts';
import { SettingsView } from '../../renderer/views/settings-view.tsx';
import { anAppState, someSettings } from './fixtures.ts';

function renderSettings(
  settings = someSettings(),
  result?: Result<Settings>,
  agent = anAppState().agent,
) {
  const onSave = vi.fn(
    async (saved: Settings): Promise<Result<Settings>> => result ?? { ok: true, value: saved },
  );
  render(<SettingsView settings={settings} agent={agent} onSave={onSave} />);
  return onSave;
}

function refusal(code: ErrorCode): Result<Settings> {
  return { ok: false, error: { code, message: 'HTTP 403', retryable: false } };
}

describe('SettingsView', () => {
  it('rejects a malformed license key before saving and puts the focus on it', async () => {
    const user = userEvent.setup();
    const onSave = renderSettings();
    const key = screen.getByLabelText('License key');
    await user.clear(key);
    await user.type(key, 'acme eng 2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(key).toHaveAttribute('aria-invalid', 'true');
    expect(key).toHaveFocus();
    expect(screen.getByText(/groups of capital letters and digits/)).toBeInTheDocument();
  });

  it('saves the checked settings: embedded portal and portal interval become null', async () => {
    const user = userEvent.setup();
    const onSave = renderSettings();
    await user.click(screen.getByLabelText('Demo portal built into Provisim'));
    await user.clear(screen.getByLabelText('Check-in interval (minutes)'));
    await user.selectOptions(screen.getByLabelText('Architecture'), 'x86_64');
    await user.type(screen.getByLabelText('Extra CA certificate file'), 'corp-ca.pem');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).toHaveBeenCalledWith({
      licenseKey: 'ACME-ENG-0002',
      portalUrl: null,
      arch: 'x86_64',
      vmDir: 'Parallels',
      checkInIntervalSec: null,
      proxyUrl: null,
      caFile: 'corp-ca.pem',
      backend: 'auto',
    });
    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
  });

  it('saves the virtualization backend chosen, and names the one in use', async () => {
    const user = userEvent.setup();
    const onSave = renderSettings(someSettings(), undefined, {
      ...anAppState().agent,
      backend: 'simulated',
    });
    const field = screen.getByLabelText('Virtualization backend');
    expect(field).toHaveValue('auto');
    expect(field).toHaveAccessibleDescription(/In use now: Simulated\./);
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(
      expect.arrayContaining([
        'Automatic (Parallels Desktop when installed)',
        'Parallels Desktop',
        'Simulated',
      ]),
    );
    await user.selectOptions(field, 'simulated');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ backend: 'simulated' }));
  });

  it('shows PARALLELS_NOT_INSTALLED beside the backend field, and moves the focus there', async () => {
    const user = userEvent.setup();
    renderSettings(someSettings(), refusal('PARALLELS_NOT_INSTALLED'));
    const field = screen.getByLabelText('Virtualization backend');
    await user.selectOptions(field, 'parallels');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(ERROR_SENTENCES.PARALLELS_NOT_INSTALLED)).toBeInTheDocument();
    expect(field).toHaveAccessibleDescription(
      new RegExp(ERROR_SENTENCES.PARALLELS_NOT_INSTALLED.slice(0, 40)),
    );
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveFocus();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Not saved: check the virtualization backend.',
    );
    // Another choice is another question.
    await user.selectOptions(field, 'simulated');
    expect(field).not.toHaveAttribute('aria-invalid');
  });

  it('says which key, group and policy apply once saved, and what that policy offers', async () => {
    const user = userEvent.setup();
    const agent = {
      ...anAppState().agent,
      policyRevision: 3,
      groupName: 'Finance',
      goldenImageName: 'ACME Windows 11 for Finance',
      corporateOnly: true,
    };
    renderSettings(someSettings({ licenseKey: 'ACME-FIN-0003' }), undefined, agent);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Settings saved. ACME-FIN-0003 is active with your portal: revision 3 of the policy for the Finance group applies. It offers ACME Windows 11 for Finance. Corporate VMs only.',
    );
  });

  it('refuses a portal URL that is not http or https', async () => {
    const user = userEvent.setup();
    const onSave = renderSettings();
    const url = screen.getByLabelText('Portal URL');
    await user.clear(url);
    await user.type(url, 'file:///etc/passwd');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(url).toHaveAccessibleDescription('The portal URL must start with http:// or https://.');
  });

  it('turns the portal URL field off while the embedded portal is chosen', async () => {
    const user = userEvent.setup();
    renderSettings(someSettings({ portalUrl: null }));
    expect(screen.getByLabelText('Portal URL')).toBeDisabled();
    await user.click(screen.getByLabelText("My organisation's portal"));
    expect(screen.getByLabelText('Portal URL')).toBeEnabled();
  });

  it("shows the portal's refusal of the key beside the key, and moves the focus there", async () => {
    const user = userEvent.setup();
    renderSettings(someSettings(), refusal('LICENSE_EXPIRED'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const key = screen.getByLabelText('License key');
    expect(await screen.findByText(ERROR_SENTENCES.LICENSE_EXPIRED)).toBeInTheDocument();
    expect(key).toHaveAccessibleDescription(new RegExp(ERROR_SENTENCES.LICENSE_EXPIRED));
    expect(key).toHaveAttribute('aria-invalid', 'true');
    expect(key).toHaveFocus();
    expect(screen.getByRole('status')).toHaveTextContent('Not saved: check the license key.');
    // A new key is another question: what the portal said of the old one goes.
    await user.type(key, '9');
    expect(key).not.toHaveAttribute('aria-invalid');
    expect(key).toHaveFocus();
  });

  it('keeps a refusal that concerns no field by Save', async () => {
    const user = userEvent.setup();
    renderSettings(someSettings(), refusal('INTERNAL_ERROR'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent(ERROR_SENTENCES.INTERNAL_ERROR);
  });
});

describe('licenseKeyProblem', () => {
  it('accepts the keys portals issue and refuses lower case, spaces and single groups', () => {
    expect(licenseKeyProblem('ACME-ENG-0002')).toBeUndefined();
    expect(licenseKeyProblem('  ACME-OLD-0004 ')).toBeUndefined();
    expect(licenseKeyProblem('acme-eng-0002')).toMatch(/capital letters/);
    expect(licenseKeyProblem('ACME ENG 0002')).toMatch(/capital letters/);
    expect(licenseKeyProblem('ACMEENG0002')).toMatch(/capital letters/);
    expect(licenseKeyProblem('')).toMatch(/Enter the license key/);
  });
});
