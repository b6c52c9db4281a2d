import { useEffect, useRef, useState, type FormEvent } from 'react';
import { BACKEND_CHOICES } from '../../shared/agent-store-schema.ts';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { AgentProperties, Result, Settings } from '../../shared/ipc-contract.ts';
import { SelectField, TextField } from '../components/form-fields.tsx';
import { formatArch, formatBackend } from '../model/format.ts';
import {
  checkSettingsForm,
  FIELD_NAMES,
  fieldOfError,
  formFromSettings,
  savedMessage,
  type SettingsErrors,
  type SettingsForm,
} from '../model/settings-form.ts';

/** Props of the Settings view. */
export interface SettingsViewProps {
  readonly settings: Settings;
  /** The agent as the last check-in left it: the policy the saved settings brought. */
  readonly agent: AgentProperties;
  readonly onSave: (settings: Settings) => Promise<Result<Settings>>;
}

type SaveStatus =
  | { kind: 'idle' | 'saving' }
  | { kind: 'saved'; settings: Settings }
  | { kind: 'failed'; sentence: string };

/** The agent's settings; nothing malformed reaches `onSave`, and its answer is shown by its field. */
export function SettingsView({ settings, agent, onSave }: SettingsViewProps) {
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  // Counted, so the focus moves to a wrong field after a save only, never while typing.
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const edit = (field: keyof SettingsForm) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }));
    // What the portal said of the old value does not hold for the new one.
    setErrors(({ [field]: _old, ...rest }) => rest);
  };

  useEffect(() => {
    if (refusals === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkSettingsForm(form);
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) {
      setStatus({ kind: 'idle' });
      setRefusals((count) => count + 1);
      return;
    }
    setStatus({ kind: 'saving' });
    const result = await onSave(checked.settings);
    if (result.ok) {
      setStatus({ kind: 'saved', settings: result.value });
      return;
    }
    const sentence = ERROR_SENTENCES[result.error.code];
    const field = fieldOfError(result.error.code, form);
    if (field === undefined) {
      setStatus({ kind: 'failed', sentence });
      return;
    }
    setErrors({ [field]: sentence });
    setStatus({ kind: 'failed', sentence: `Not saved: check the ${FIELD_NAMES[field]}.` });
    setRefusals((count) => count + 1);
  }

  const external = form.portalMode === 'external';
  return (
    <form
      ref={formRef}
      className="settings-form"
      onSubmit={submit}
      noValidate
      aria-label="Settings"
    >
      <TextField
        label="License key"
        value={form.licenseKey}
        error={errors.licenseKey}
        hint="From your administrator. Saving a new key checks it with the portal."
        onChange={edit('licenseKey')}
      />
      <fieldset className="choice">
        <legend>Management portal</legend>
        <label>
          <input
            type="radio"
            name="portal-mode"
            checked={!external}
            onChange={() => edit('portalMode')('embedded')}
          />
          Demo portal built into Provisim
        </label>
        <label>
          <input
            type="radio"
            name="portal-mode"
            checked={external}
            onChange={() => edit('portalMode')('external')}
          />
          My organisation&apos;s portal
        </label>
        <TextField
          label="Portal URL"
          type="url"
          value={form.portalUrl}
          error={errors.portalUrl}
          disabled={!external}
          placeholder="https://portal.example.com"
          onChange={edit('portalUrl')}
        />
      </fieldset>
      <SelectField
        label="Architecture"
        value={form.arch}
        options={[
          { value: 'auto', label: 'Automatic' },
          { value: 'arm64', label: formatArch('arm64') },
          { value: 'x86_64', label: formatArch('x86_64') },
        ]}
        hint="Decides which of your organisation's images this Mac is offered. Automatic sees through Rosetta."
        onChange={edit('arch')}
      />
      <SelectField
        label="Virtualization backend"
        value={form.backend}
        options={BACKEND_CHOICES.map((choice) => ({ value: choice, label: formatBackend(choice) }))}
        error={errors.backend}
        hint={`Which hypervisor registers the VMs Provisim sets up. In use now: ${formatBackend(agent.backend)}.`}
        onChange={edit('backend')}
      />
      <TextField
        label="VM folder"
        value={form.vmDir}
        error={errors.vmDir}
        onChange={edit('vmDir')}
      />
      <TextField
        label="Check-in interval (minutes)"
        type="number"
        min={1}
        max={1440}
        value={form.checkInMinutes}
        error={errors.checkInMinutes}
        hint="Leave empty to use the interval your portal sets."
        onChange={edit('checkInMinutes')}
      />
      <TextField
        label="Proxy"
        type="url"
        value={form.proxyUrl}
        error={errors.proxyUrl}
        hint="Leave empty to connect directly."
        onChange={edit('proxyUrl')}
      />
      <TextField
        label="Extra CA certificate file"
        value={form.caFile}
        error={errors.caFile}
        hint="A PEM file with your organisation's CA, trusted in addition to the system's."
        onChange={edit('caFile')}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={status.kind === 'saving'}>
          Save
        </button>
        <p role="status" className={status.kind === 'failed' ? 'inline-error' : 'hint'}>
          {status.kind === 'saving' && 'Saving…'}
          {status.kind === 'saved' && savedMessage(status.settings, agent)}
          {status.kind === 'failed' && status.sentence}
        </p>
      </div>
    </form>
  );
}
