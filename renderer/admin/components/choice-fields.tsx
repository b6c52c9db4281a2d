import { useId } from 'react';
import { FieldFrame, describedBy } from '../../components/form-fields.tsx';

/** One option of a checkbox group; a `disabled` one says why in its `note`. */
export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly disabled?: boolean;
  readonly note?: string;
}

/** Props of a labelled group of checkboxes. */
export interface CheckboxGroupProps {
  readonly legend: string;
  readonly choices: readonly Choice[];
  readonly selected: readonly string[];
  readonly onChange: (selected: string[]) => void;
  readonly hint?: string;
  readonly error?: string | undefined;
}

/** A fieldset of checkboxes choosing several values, as "Assign to" needs. */
export function CheckboxGroup(props: CheckboxGroupProps) {
  const { legend, choices, selected, onChange, hint, error } = props;
  const id = useId();
  const toggle = (value: string, on: boolean): void =>
    onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return (
    <fieldset
      className="choice"
      aria-describedby={described.length > 0 ? described.join(' ') : undefined}
      aria-invalid={error ? true : undefined}
    >
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {choices.length === 0 && <p className="field-hint">None yet.</p>}
      {choices.map((choice) => (
        <div key={choice.value} className="check-row">
          <label className="check" data-disabled={choice.disabled || undefined}>
            <input
              type="checkbox"
              checked={selected.includes(choice.value)}
              disabled={choice.disabled}
              aria-describedby={choice.note ? `${id}-${choice.value}-note` : undefined}
              onChange={(event) => toggle(choice.value, event.target.checked)}
            />
            {choice.label}
          </label>
          {choice.note && (
            <span id={`${id}-${choice.value}-note`} className="choice-note">
              {choice.note}
            </span>
          )}
        </div>
      ))}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Props of a labelled single checkbox. */
export interface CheckboxFieldProps {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

/** One checkbox with its label after it. */
export function CheckboxField({ label, checked, onChange }: CheckboxFieldProps) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      {label}
    </label>
  );
}

/** Props of a labelled multi-line text field. */
export interface TextAreaFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly rows?: number;
}

/** A labelled text area whose hint and error are announced with it. */
export function TextAreaField(props: TextAreaFieldProps) {
  const { label, value, onChange, hint, error, rows = 3 } = props;
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        rows={rows}
        value={value}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.target.value)}
      />
    </FieldFrame>
  );
}

/**
 * Target choices for `assignedTo` / `appliesTo`: the primary key's users, then each group. A
 * target `takenBy` another entry is shown disabled, naming that entry.
 */
export function targetChoices(
  groups: readonly { id: string; name: string }[],
  takenBy: (target: string) => string | undefined = () => undefined,
): Choice[] {
  const choice = (value: string, label: string): Choice => {
    const holder = takenBy(value);
    return holder === undefined ? { value, label } : { value, label, disabled: true, note: holder };
  };
  return [
    choice('primary', 'Primary license key'),
    ...groups.map((group) => choice(group.id, `${group.name} (${group.id})`)),
  ];
}
