import { useId, useState, type FormEvent } from 'react';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type {
  AssistantOptions,
  InvokePayload,
  JobPhase,
  Result,
} from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import { FlowStep } from '../components/flow-step.tsx';
import { TextField } from '../components/form-fields.tsx';
import { formatArch } from '../model/format.ts';
import { VmOsIcon, vmOs } from './vm-os.tsx';

const GiB = 2 ** 30;

/** Props of the Installation Assistant. */
export interface InstallationAssistantProps {
  readonly reason: Extract<JobPhase, { phase: 'assistant' }>['reason'];
  readonly corporateOnly: boolean;
  /** Why policy blocks the assistant, in the portal's words when it gave some. */
  readonly blockedReason?: string | null | undefined;
  readonly arch: Arch;
  readonly oses: AssistantOptions['oses'];
  readonly defaults: AssistantOptions['defaults'];
  /** The names in the VM list, which a new VM must not take again. */
  readonly takenNames?: readonly string[];
  /** A corporate VM is in the list already: the block offers no second download. */
  readonly hasCorporateVm?: boolean;
  /** The new VM is being made: the form waits. */
  readonly creating?: boolean;
  readonly onCreate: (spec: InvokePayload<'assistant:create-vm'>) => Promise<Result<unknown>>;
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

/** The sentence for a name already in the VM list. */
export function nameTakenSentence(name: string): string {
  return `A VM named "${name}" is already on this Mac. Choose another name.`;
}

function checkForm(name: string, numbers: Numbers, takenNames: readonly string[]): Errors {
  const errors: Errors = {};
  const wanted = name.trim();
  if (wanted === '') errors.name = 'Give the VM a name.';
  else if (takenNames.some((taken) => taken.toLocaleLowerCase() === wanted.toLocaleLowerCase())) {
    errors.name = nameTakenSentence(wanted);
  }
  for (const { key, what, min, max } of NUMBER_FIELDS) {
    const value = Number(numbers[key]);
    if (!Number.isInteger(value) || value < min || value > max) {
      errors[key] = `The ${what} is a whole number from ${min} to ${max}.`;
    }
  }
  return errors;
}

/** The assistant when policy forbids it: the reason and the way out, no fields to fill in. */
function BlockedAssistant(props: InstallationAssistantProps) {
  const offerDownload = props.reason === 'declined' && !props.hasCorporateVm;
  return (
    <FlowStep
      phase="assistant"
      title="Installation Assistant"
      actions={
        <>
          {offerDownload && (
            <button type="button" className="primary" onClick={props.onGetCorporateVm}>
              Download the corporate VM
            </button>
          )}
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </>
      }
    >
      <p className="blocked" role="alert">
        {props.blockedReason ?? ERROR_SENTENCES.CORPORATE_ONLY}
      </p>
      <p>
        {props.hasCorporateVm
          ? 'Your corporate VM is already in the list below.'
          : offerDownload
            ? 'The corporate VM your organisation prepared is waiting for you.'
            : 'Your organisation offers no corporate VM for this Mac yet: ask your administrator.'}
      </p>
    </FlowStep>
  );
}

/** Creates a VM from scratch; when policy allows corporate VMs only, it says why and stays shut. */
export function InstallationAssistant(props: InstallationAssistantProps) {
  if (props.corporateOnly) return <BlockedAssistant {...props} />;
  return <AssistantForm {...props} />;
}

function AssistantForm(props: InstallationAssistantProps) {
  const { oses, defaults, onCreate, onClose, takenNames = [], creating = false } = props;
  const osHintId = useId();
  const [os, setOs] = useState(oses[0]?.id ?? '');
  const [name, setName] = useState(oses[0]?.label ?? '');
  const [nameEdited, setNameEdited] = useState(false);
  const [numbers, setNumbers] = useState<Numbers>(() => ({
    cpus: String(defaults.cpus),
    memoryGb: String(Math.max(1, Math.round(defaults.memoryMb / 1024))),
    diskGb: String(Math.max(1, Math.round(defaults.diskSizeBytes / GiB))),
  }));
  const [errors, setErrors] = useState<Errors>({});
  const [refusal, setRefusal] = useState<string>();
  // Why the assistant opened, as it first said: it stays while the VM is being made.
  const [reason] = useState(props.reason);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (creating) return;
    const found = checkForm(name, numbers, takenNames);
    setErrors(found);
    setRefusal(undefined);
    if (Object.keys(found).length > 0) return;
    const result = await onCreate({
      os,
      name: name.trim(),
      cpus: Number(numbers.cpus),
      memoryMb: Number(numbers.memoryGb) * 1024,
      diskSizeBytes: Number(numbers.diskGb) * GiB,
    });
    if (!result.ok) setRefusal(ERROR_SENTENCES[result.error.code]);
  }

  return (
    <FlowStep phase="assistant" title="Installation Assistant">
      <p className="assistant-intro">
        {reason === 'no-image'
          ? 'Your organisation offers no corporate VM for this Mac, so create one yourself.'
          : 'Create a new virtual machine on this Mac: choose its system, then its name and hardware.'}
      </p>
      <form className="assistant-form" onSubmit={submit} noValidate aria-label="New VM settings">
        <fieldset className="assistant-section" aria-describedby={osHintId}>
          <legend>Operating system</legend>
          <p id={osHintId} className="field-hint">
            The VM is set up for {formatArch(props.arch)}.
          </p>
          <div className="os-cards">
            {oses.map((option) => (
              <label key={option.id} className="os-card">
                <input
                  type="radio"
                  name="assistant-os"
                  className="os-card-radio"
                  value={option.id}
                  checked={os === option.id}
                  onChange={() => {
                    setOs(option.id);
                    if (!nameEdited) setName(option.label);
                  }}
                />
                <VmOsIcon
                  os={vmOs({ name: option.label, source: { kind: 'assistant', os: option.id } })}
                  size="large"
                />
                <span className="os-card-label">{option.label}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="assistant-section">
          <legend>Name and hardware</legend>
          <TextField
            label="Name"
            value={name}
            error={errors.name}
            hint="As the VM list and the VM's folder show it."
            onChange={(value) => {
              setName(value);
              setNameEdited(true);
            }}
          />
          <div className="hardware-fields">
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
          </div>
        </fieldset>
        {refusal && (
          <p className="inline-error" role="alert">
            {refusal}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" aria-disabled={creating ? true : undefined}>
            {creating ? 'Creating…' : 'Create'}
          </button>
          <button
            type="button"
            onClick={() => creating || onClose()}
            aria-disabled={creating ? true : undefined}
          >
            Cancel
          </button>
        </div>
        <p className="visually-hidden" role="status">
          {creating ? `Creating ${name.trim()}…` : ''}
        </p>
      </form>
    </FlowStep>
  );
}
