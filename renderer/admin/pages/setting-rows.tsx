import { Fragment, useId } from 'react';
import type { SettingDraft, SettingKind, SettingRowProblem } from './profile-draft.ts';

/** Props of the settings of a configuration profile, one row each. */
export interface SettingRowsProps {
  readonly rows: readonly SettingDraft[];
  readonly onChange: (rows: SettingDraft[]) => void;
  /** What is wrong with the settings as a whole. */
  readonly error?: string | undefined;
  /** What is wrong with each row, by index, shown beside that row. */
  readonly rowErrors?: readonly (SettingRowProblem | undefined)[];
}

const KINDS: readonly { readonly value: SettingKind; readonly label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'switch', label: 'On or off' },
];

/** Parallels Desktop settings as rows of name, kind and value, with Add and Remove. */
export function SettingRows({ rows, onChange, error, rowErrors = [] }: SettingRowsProps) {
  const id = useId();
  const set = (index: number, change: Partial<SettingDraft>): void =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const kindChanged = (index: number, kind: SettingKind): void =>
    set(index, { kind, value: kind === 'switch' ? 'on' : '' });
  return (
    <fieldset
      className="choice setting-rows"
      aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
      aria-invalid={error || rowErrors.some(Boolean) ? true : undefined}
    >
      <legend>Settings</legend>
      <p id={`${id}-hint`} className="field-hint">
        Parallels Desktop settings by name, like vm.startupView set to coherence.
      </p>
      {rows.map((row, index) => {
        const n = index + 1;
        const rowError = rowErrors[index];
        const errorId = `${id}-row-${n}-error`;
        const marked = (field: SettingRowProblem['field']) =>
          rowError?.field === field ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
        return (
          <Fragment key={index}>
            <div className="setting-row">
              <input
                aria-label={`Setting ${n} name`}
                {...marked('name')}
                placeholder="vm.startupView"
                value={row.name}
                spellCheck={false}
                onChange={(event) => set(index, { name: event.target.value })}
              />
              <select
                aria-label={`Setting ${n} kind`}
                value={row.kind}
                onChange={(event) => kindChanged(index, event.target.value as SettingKind)}
              >
                {KINDS.map((kind) => (
                  <option key={kind.value} value={kind.value}>
                    {kind.label}
                  </option>
                ))}
              </select>
              {row.kind === 'switch' ? (
                <select
                  aria-label={`Setting ${n} value`}
                  value={row.value}
                  onChange={(event) => set(index, { value: event.target.value })}
                >
                  <option value="on">On</option>
                  <option value="off">Off</option>
                </select>
              ) : (
                <input
                  aria-label={`Setting ${n} value`}
                  {...marked('value')}
                  inputMode={row.kind === 'number' ? 'decimal' : undefined}
                  value={row.value}
                  spellCheck={false}
                  onChange={(event) => set(index, { value: event.target.value })}
                />
              )}
              <button type="button" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                Remove<span className="visually-hidden"> setting {n}</span>
              </button>
            </div>
            {rowError !== undefined && (
              <p id={errorId} className="field-error">
                {rowError.sentence}
              </p>
            )}
          </Fragment>
        );
      })}
      <div className="actions">
        <button
          type="button"
          onClick={() => onChange([...rows, { name: '', kind: 'text', value: '' }])}
        >
          Add setting
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
