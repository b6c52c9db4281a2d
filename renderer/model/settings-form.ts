import type { ErrorCode } from '../../shared/codes.ts';
import {
  LICENSE_KEY_PATTERN,
  type AgentProperties,
  type Settings,
} from '../../shared/ipc-contract.ts';
import { isWebUrl } from '../../shared/web-values.ts';

/** The Settings form as typed: every field a string until it is checked. */
export interface SettingsForm {
  readonly licenseKey: string;
  readonly portalMode: 'embedded' | 'external';
  readonly portalUrl: string;
  readonly arch: Settings['arch'];
  readonly vmDir: string;
  readonly checkInMinutes: string;
  readonly proxyUrl: string;
  readonly caFile: string;
  readonly backend: Settings['backend'];
}

/** A field of the Settings form. */
export type SettingsField = keyof SettingsForm;

/** One sentence per field that is wrong. */
export type SettingsErrors = Partial<Record<SettingsField, string>>;

/** The outcome of checking the form: settings ready to save, or what to fix. */
export type SettingsCheck =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly errors: SettingsErrors };

const MAX_INTERVAL_MINUTES = 24 * 60;

/** The form filled in from the saved settings. */
export function formFromSettings(settings: Settings): SettingsForm {
  const interval = settings.checkInIntervalSec;
  return {
    licenseKey: settings.licenseKey,
    portalMode: settings.portalUrl === null ? 'embedded' : 'external',
    portalUrl: settings.portalUrl ?? '',
    arch: settings.arch,
    vmDir: settings.vmDir,
    checkInMinutes: interval === null ? '' : String(Math.max(1, Math.round(interval / 60))),
    proxyUrl: settings.proxyUrl ?? '',
    caFile: settings.caFile ?? '',
    backend: settings.backend,
  };
}

/** Why a license key is malformed, or undefined when it looks right. */
export function licenseKeyProblem(key: string): string | undefined {
  if (key.trim() === '') return 'Enter the license key your administrator gave you.';
  if (!LICENSE_KEY_PATTERN.test(key.trim())) {
    return 'A license key is groups of capital letters and digits joined by dashes, such as ACME-ENG-0002.';
  }
  return undefined;
}

function webUrlProblem(value: string, what: string): string | undefined {
  try {
    return isWebUrl(new URL(value))
      ? undefined
      : `The ${what} must start with http:// or https://.`;
  } catch {
    return `The ${what} is not a complete address, such as https://portal.example.com.`;
  }
}

function optional(value: string): string | null {
  return value.trim() === '' ? null : value.trim();
}

/** Checks every field and returns either the settings to save or one sentence per bad field. */
export function checkSettingsForm(form: SettingsForm): SettingsCheck {
  const errors: SettingsErrors = {};
  const licenseError = licenseKeyProblem(form.licenseKey);
  if (licenseError) errors.licenseKey = licenseError;
  if (form.portalMode === 'external') {
    const portalError = webUrlProblem(form.portalUrl.trim(), 'portal URL');
    if (portalError) errors.portalUrl = portalError;
  }
  if (form.vmDir.trim() === '') errors.vmDir = 'Enter the folder that holds your VMs.';
  const minutes = optional(form.checkInMinutes) === null ? null : Number(form.checkInMinutes);
  if (minutes !== null && !(Number.isInteger(minutes) && minutes >= 1)) {
    errors.checkInMinutes = `The check-in interval is a whole number of minutes from 1 to ${MAX_INTERVAL_MINUTES}, or empty.`;
  } else if (minutes !== null && minutes > MAX_INTERVAL_MINUTES) {
    errors.checkInMinutes = `Check in at least once a day: at most ${MAX_INTERVAL_MINUTES} minutes.`;
  }
  const proxyUrl = optional(form.proxyUrl);
  if (proxyUrl !== null) {
    const proxyError = webUrlProblem(proxyUrl, 'proxy');
    if (proxyError) errors.proxyUrl = proxyError;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      licenseKey: form.licenseKey.trim(),
      portalUrl: form.portalMode === 'external' ? form.portalUrl.trim() : null,
      arch: form.arch,
      vmDir: form.vmDir.trim(),
      checkInIntervalSec: minutes === null ? null : minutes * 60,
      proxyUrl,
      caFile: optional(form.caFile),
      backend: form.backend,
    },
  };
}

/** The name of each field, as its label says it. */
export const FIELD_NAMES: Readonly<Record<SettingsField, string>> = {
  licenseKey: 'license key',
  portalMode: 'management portal',
  portalUrl: 'portal URL',
  arch: 'architecture',
  vmDir: 'VM folder',
  checkInMinutes: 'check-in interval',
  proxyUrl: 'proxy',
  caFile: 'extra CA certificate file',
  backend: 'virtualization backend',
};

// What each refusal of a save is about: its sentence goes beside that field.
const FIELD_OF_CODE: Partial<Record<ErrorCode, SettingsField>> = {
  LICENSE_UNKNOWN: 'licenseKey',
  LICENSE_EXPIRED: 'licenseKey',
  LICENSE_REVOKED: 'licenseKey',
  LICENSE_KEY_FORMAT: 'licenseKey',
  CHECK_IN_THROTTLED: 'licenseKey',
  DEVICE_LIMIT_REACHED: 'licenseKey',
  PORTAL_UNREACHABLE: 'portalUrl',
  PORTAL_ANSWER_TOO_LARGE: 'portalUrl',
  TLS_UNTRUSTED: 'portalUrl',
  PROXY_UNREACHABLE: 'proxyUrl',
  PROXY_AUTH_REQUIRED: 'proxyUrl',
  PROXY_TUNNEL_REFUSED: 'proxyUrl',
  FOLDER_NOT_WRITABLE: 'vmDir',
  PARALLELS_NOT_INSTALLED: 'backend',
  PARALLELS_NOT_LICENSED: 'backend',
};

/** The field a refused save is about, or undefined when it is about none in particular. */
export function fieldOfError(code: ErrorCode, form: SettingsForm): SettingsField | undefined {
  const field = FIELD_OF_CODE[code];
  // With the built-in portal there is no address to correct: the sentence stays by Save.
  if (field === 'portalUrl' && form.portalMode === 'embedded') return undefined;
  return field;
}

/** What "saved" means for the agent: the key, its group, and what the policy that applies offers. */
export function savedMessage(settings: Settings, agent: AgentProperties): string {
  if (agent.policyRevision === null) return 'Settings saved.';
  const portal = agent.embeddedPortal ? 'the demo portal' : 'your portal';
  const holder = agent.groupName === null ? '' : ` for the ${agent.groupName} group`;
  const offer =
    agent.goldenImageName === null
      ? 'It offers no corporate VM for this Mac.'
      : `It offers ${agent.goldenImageName}.`;
  const only = agent.corporateOnly ? ' Corporate VMs only.' : '';
  return `Settings saved. ${settings.licenseKey} is active with ${portal}: revision ${agent.policyRevision} of the policy${holder} applies. ${offer}${only}`;
}
