import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { Result, Settings } from '../../shared/ipc-contract.ts';
import { licenseKeyProblem } from '../../renderer/model/settings-form.ts';
import { SettingsView } from '../../renderer/views/settings-view.tsx';
import { someSettings } from './fixtures.ts';

function renderSettings(settings = someSettings(), result?: Result<Settings>) {
  const onSave = vi.fn(
    async (saved: Settings): Promise<Result<Settings>> => result ?? { ok: true, value: saved },
  );
  render(<SettingsView settings={settings} onSave={onSave} />);
  return onSave;
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
    });
    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
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

  it("shows the user's sentence when the agent refuses the new key", async () => {
    const user = userEvent.setup();
    renderSettings(someSettings(), {
      ok: false,
      error: { code: 'LICENSE_UNKNOWN', message: 'HTTP 403', retryable: false },
    });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(ERROR_SENTENCES.LICENSE_UNKNOWN)).toBeInTheDocument();
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
