import { useId, type FormEvent, type ReactNode } from 'react';
import type { Action, Loaded } from './api-error-notice.tsx';
import { ApiErrorNotice, useAction, useLoad } from './api-error-notice.tsx';

/** A list page's list; `add` (refused in the form) and `change` (refused under the list) reload it. */
export interface AdminList<T> extends Loaded<T> {
  readonly adding: Action;
  readonly changing: Action;
  add(send: () => Promise<unknown>, after?: () => void): void;
  change(send: () => Promise<unknown>): void;
}

/** Loads a page's list with `load()` and loads it again after every addition or change. */
export function useAdminList<T>(load: () => Promise<T>): AdminList<T> {
  const loaded = useLoad(load);
  const adding = useAction();
  const changing = useAction();
  return {
    ...loaded,
    adding,
    changing,
    add: (send, after) =>
      void adding.run(send, () => {
        after?.();
        loaded.reload();
      }),
    change: (send) => void changing.run(send, loaded.reload),
  };
}

/** Props of the form under an admin list that adds an entry to it. */
export interface AddFormProps {
  readonly title: string;
  readonly submitLabel: string;
  readonly action: Action;
  readonly onSubmit: () => void;
  readonly children: ReactNode;
}

/** A card titled by its heading: the page's fields, the API's refusal, a button held while busy. */
export function AddForm({ title, submitLabel, action, onSubmit, children }: AddFormProps) {
  const titleId = useId();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="card entry-form" aria-labelledby={titleId} onSubmit={submit} noValidate>
      <h2 id={titleId}>{title}</h2>
      {children}
      <ApiErrorNotice error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/** Props of an entry's delete button. */
export interface DeleteButtonProps {
  readonly label?: string | undefined;
  readonly name: string;
  readonly onClick: () => void;
}

/** "Delete", named after its entry for screen readers; it acts at once, without asking. */
export function DeleteButton({ label = 'Delete', name, onClick }: DeleteButtonProps) {
  return (
    <button type="button" className="danger" onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}
