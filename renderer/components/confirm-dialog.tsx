import { useEffect, useId, useRef, type ReactNode } from 'react';

/** Props of a modal confirmation: a question, what it does, and the buttons that answer it. */
export interface ConfirmDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  /** The buttons, the safe choice last; the one marked `initial` gets the focus when it opens. */
  readonly choices: readonly DialogChoice[];
  /** Escape, or the dialog closed another way: the same as the safe choice. */
  readonly onDismiss: () => void;
  /** Set as `data-state`, for a dialog that goes through steps (tests wait on it). */
  readonly state?: string;
}

/** One answer of a confirmation dialog. */
export interface DialogChoice {
  readonly label: string;
  readonly onChoose: () => void;
  readonly tone?: 'danger' | 'primary';
  readonly initial?: boolean;
  /** Held while something runs: announced as unavailable and does nothing. */
  readonly disabled?: boolean;
}

/** A modal sheet, as a Mac app asks before doing something that cannot be undone. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { title, children, choices, onDismiss, state } = props;
  const ref = useRef<HTMLDialogElement>(null);
  // Taken while rendering, before autoFocus moves the focus: closing hands it back to the opener.
  const opener = useRef(document.activeElement);
  const titleId = useId();
  const textId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = opener.current;
    if (!dialog.open) dialog.showModal();
    // autoFocus ran while the dialog was closed, which a browser ignores; showModal() then
    // focused the first button, often the destructive one.
    dialog.querySelector<HTMLButtonElement>('button[data-initial]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);
  // A dialog that goes to its next step replaces its buttons: the new initial one gets the focus,
  // which would otherwise be lost with the button that was pressed.
  const initialLabel = choices.find((choice) => choice.initial)?.label;
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button[data-initial]')?.focus();
  }, [initialLabel]);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-state={state}
      // Escape is handled here so the dialog closes through React's state, not on its own.
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        onDismiss();
      }}
      onCancel={(event) => {
        event.preventDefault();
        onDismiss();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      <div id={textId} className="dialog-text">
        {children}
      </div>
      <div className="actions dialog-actions">
        {choices.map((choice) => (
          <button
            key={choice.label}
            type="button"
            className={choice.tone}
            data-initial={choice.initial ? '' : undefined}
            // Still focusable while held (aria-disabled): the focus stays where the user left it.
            aria-disabled={choice.disabled ? true : undefined}
            onClick={choice.disabled ? undefined : choice.onChoose}
          >
            {choice.label}
          </button>
        ))}
      </div>
    </dialog>
  );
}
