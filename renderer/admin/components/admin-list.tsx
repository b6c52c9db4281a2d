import { useId, type FormEvent, type ReactNode } from 'react';
import type { Action, Loaded } from './api-error-notice.tsx';
import { useAction, useLoad } from './api-error-notice.tsx';
import { FormAlert, SubmitButton, type FormErrors } from './form-errors.tsx';

/**
 * A list page's list and its three kinds of change: `add` (refused in the add form), `edit`
 * (refused in the row being edited) and `change` (refused under the list). Each success loads
 * the list again and clears every refusal, which the change has made stale.
 */
export interface AdminList<T> extends Loaded<T> {
  readonly adding: Action;
  readonly editing: Action;
  readonly changing: Action;
  add(send: () => Promise<unknown>, after?: () => void): void;
  edit(send: () => Promise<unknown>, after?: () => void): void;
  change(send: () => Promise<unknown>): void;
}

/** Loads a page's list with `load()` and loads it again after every addition or change. */
export function useAdminList<T>(load: () => Promise<T>): AdminList<T> {
  const loaded = useLoad(load);
  const adding = useAction();
  const editing = useAction();
  const changing = useAction();
  const done = (after?: () => void) => () => {
    for (const action of [adding, editing, changing]) action.clear();
    after?.();
    loaded.reload();
  };
  return {
    ...loaded,
    adding,
    editing,
    changing,
    add: (send, after) => void adding.run(send, done(after)),
    edit: (send, after) => void editing.run(send, done(after)),
    change: (send) => void changing.run(send, done()),
  };
}

/** Props of a card form that adds an entry, or edits one in place. */
export interface AddFormProps {
  readonly title: string;
  readonly submitLabel: string;
  readonly action: Action;
  readonly errors: FormErrors;
  readonly onSubmit: () => void;
  /** Shows a Cancel button (an edit in place). */
  readonly onCancel?: () => void;
  readonly className?: string;
  readonly children: ReactNode;
}

/** A form titled by its heading: the fields, the refusal in the page's words, Save (and Cancel). */
export function AddForm(props: AddFormProps) {
  const { title, submitLabel, action, errors, onSubmit, onCancel, className, children } = props;
  const titleId = useId();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!action.busy) onSubmit();
  };
  return (
    <form
      className={className ?? 'card entry-form'}
      aria-labelledby={titleId}
      aria-busy={action.busy || undefined}
      onSubmit={submit}
      noValidate
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      <FormAlert errors={errors} />
      <div className="actions">
        <SubmitButton busy={action.busy}>{submitLabel}</SubmitButton>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** Props of an entry's edit or delete button. */
export interface RowButtonProps {
  readonly label?: string | undefined;
  readonly name: string;
  readonly onClick: () => void;
}

/** "Delete", named after its entry for screen readers; it acts at once, without asking. */
export function DeleteButton({ label = 'Delete', name, onClick }: RowButtonProps) {
  return (
    <button type="button" className="danger" onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}

/** "Edit", named after its entry for screen readers: turns the entry into a form. */
export function EditButton({ label = 'Edit', name, onClick }: RowButtonProps) {
  return (
    <button type="button" onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}
