import { useState, type FormEvent } from 'react';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { AssistantOptions, InvokePayload, JobPhase } from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import { FlowStep } from '../components/flow-step.tsx';
import { SelectField, TextField } from '../components/form-fields.tsx';
import { formatArch } from '../model/format.ts';

const GiB = 2 ** 30;

/** Props of the Installation Assistant. */
export interface InstallationAssistantProps {
  readonly reason: Extract<JobPhase, { phase: 'assistant' }>['reason'];
  readonly corporateOnly: boolean;
  readonly arch: Arch;
  readonly oses: AssistantOptions['oses'];
  readonly defaults: AssistantOptions['defaults'];
  readonly onCreate: (spec: InvokePayload<'assistant:create-vm'>) => void;
  /** Goes back to the invitation, offered when policy blocks the assistant. */
  readonly onGetCorporateVm: () => void;
  readonly onClose: () => void;
}

type NumberKey = 'cpus' | 'memoryGb' | 'diskGb';
type Numbers = Record<NumberKey, string>;
type Errors = Partial<Record<'name' | NumberKey, string>>;

const NUMBER_FIELDS: readonly {
  key: NumberKey;
  label: string;
  what: string;
  min: number;
  max: number;
  hint?: string;
}[] = [
  { key: 'cpus', label: 'CPUs', what: 'number of CPUs', min: 1, max: 32 },
  { key: 'memoryGb', label: 'Memory (GB)', what: 'memory in GB', min: 1, max: 128 },
  {
    key: 'diskGb',
    label: 'Disk size (GB)',
    what: 'disk size in GB',
    min: 1,
    max: 8192,
    hint: 'The disk grows as the guest writes to it.',
  },
];

function checkForm(name: string, numbers: Numbers): Errors {
  const errors: Errors = {};
  if (name.trim() === '') errors.name = 'Give the VM a name.';
  for (const { key, what, min, max } of NUMBER_FIELDS) {
    const value = Number(numbers[key]);
    if (!Number.isInteger(value) || value < min || value > max) {
      errors[key] = `The ${what} is a whole number from ${min} to ${max}.`;
    }
  }
  return errors;
}

/** Creates a VM from scratch; when policy allows corporate VMs only, it says so and stays shut. */
export function InstallationAssistant(props: InstallationAssistantProps) {
  const { corporateOnly, oses, defaults, onCreate, onClose } = props;
  const [os, setOs] = useState(oses[0]?.id ?? '');
  const [name, setName] = useState(oses[0]?.label ?? '');
  const [nameEdited, setNameEdited] = useState(false);
  const [numbers, setNumbers] = useState<Numbers>(() => ({
    cpus: String(defaults.cpus),
    memoryGb: String(Math.max(1, Math.round(defaults.memoryMb / 1024))),
    diskGb: String(Math.max(1, Math.round(defaults.diskSizeBytes / GiB))),
  }));
  const [errors, setErrors] = useState<Errors>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkForm(name, numbers);
    setErrors(found);
    if (corporateOnly || Object.keys(found).length > 0) return;
    onCreate({
      os,
      name: name.trim(),
      cpus: Number(numbers.cpus),
      memoryMb: Number(numbers.memoryGb) * 1024,
      diskSizeBytes: Number(numbers.diskGb) * GiB,
    });
  }

  return (
    <FlowStep phase="assistant" title="Installation Assistant">
      {corporateOnly && (
        <p className="blocked" role="alert">
          {ERROR_SENTENCES.CORPORATE_ONLY}
        </p>
      )}
      {!corporateOnly && props.reason === 'no-image' && (
        <p>Your organisation offers no corporate VM for this Mac, so create one yourself.</p>
      )}
      <form className="assistant-form" onSubmit={submit} noValidate aria-label="New VM settings">
        <fieldset disabled={corporateOnly}>
          <SelectField
            label="Operating system"
            value={os}
            options={oses.map((option) => ({ value: option.id, label: option.label }))}
            onChange={(value) => {
              setOs(value);
              if (!nameEdited) setName(oses.find((option) => option.id === value)?.label ?? '');
            }}
            hint={`The VM is set up for ${formatArch(props.arch)}.`}
          />
          <TextField
            label="Name"
            value={name}
            error={errors.name}
            onChange={(value) => {
              setName(value);
              setNameEdited(true);
            }}
          />
          {NUMBER_FIELDS.map(({ key, label, min, max, hint }) => (
            <TextField
              key={key}
              label={label}
              type="number"
              min={min}
              max={max}
              value={numbers[key]}
              error={errors[key]}
              hint={hint}
              onChange={(value) => setNumbers((current) => ({ ...current, [key]: value }))}
            />
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={corporateOnly}>
            Create
          </button>
          {corporateOnly && props.reason === 'declined' && (
            <button type="button" onClick={props.onGetCorporateVm}>
              Download the corporate VM
            </button>
          )}
          <button type="button" onClick={onClose}>
            {corporateOnly ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </FlowStep>
  );
}
