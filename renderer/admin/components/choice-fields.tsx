import { useId } from 'react';
import { FieldFrame, describedBy } from '../../components/form-fields.tsx';

/** One option of a checkbox group. */
export interface Choice {
  readonly value: string;
  readonly label: string;
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
  return (
    <fieldset className="choice" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {choices.length === 0 && <p className="field-hint">None yet.</p>}
      {choices.map((choice) => (
        <label key={choice.value} className="check">
          <input
            type="checkbox"
            checked={selected.includes(choice.value)}
            onChange={(event) => toggle(choice.value, event.target.checked)}
          />
          {choice.label}
        </label>
      ))}
      {error && <p className="field-error">{error}</p>}
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

/** Target choices for `assignedTo` / `appliesTo`: the primary key's users, then each group. */
export function targetChoices(groups: readonly { id: string; name: string }[]): Choice[] {
  return [
    { value: 'primary', label: 'Primary license key' },
    ...groups.map((group) => ({ value: group.id, label: `${group.name} (${group.id})` })),
  ];
}
