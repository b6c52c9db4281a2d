import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from '../../renderer/components/confirm-dialog.tsx';

function Harness({ onDelete }: { onDelete: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Remove…
      </button>
      {open && (
        <ConfirmDialog
          title="Remove ACME?"
          onDismiss={() => setOpen(false)}
          choices={[
            { label: 'Move to Trash', tone: 'danger', onChoose: onDelete },
            { label: 'Cancel', initial: true, onChoose: () => setOpen(false) },
          ]}
        >
          Its files go to the Trash.
        </ConfirmDialog>
      )}
    </>
  );
}

describe('ConfirmDialog', () => {
  it('opens as a named modal with the safe choice focused, and gives the focus back on Escape', async () => {
    const user = userEvent.setup();
    const onDelete = vi.fn();
    render(<Harness onDelete={onDelete} />);
    const opener = screen.getByRole('button', { name: 'Remove…' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Remove ACME?' });
    expect(dialog).toHaveAccessibleDescription('Its files go to the Trash.');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
    expect(onDelete).not.toHaveBeenCalled();
  });

  it('runs the chosen action', async () => {
    const user = userEvent.setup();
    const onDelete = vi.fn();
    render(<Harness onDelete={onDelete} />);
    await user.click(screen.getByRole('button', { name: 'Remove…' }));
    await user.click(screen.getByRole('button', { name: 'Move to Trash' }));
    expect(onDelete).toHaveBeenCalledOnce();
  });
});
