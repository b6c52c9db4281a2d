import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { ProblemReport, Result } from '../../shared/ipc-contract.ts';
import { App } from '../../renderer/app.tsx';
import { ProblemReportDialog } from '../../renderer/views/problem-report-dialog.tsx';
import { aProblemReport, fakeBackend } from './fixtures.ts';

function renderDialog(answer: (send: boolean) => Result<ProblemReport>) {
  const onCreate = vi.fn(async (send: boolean) => answer(send));
  const onClose = vi.fn();
  render(<ProblemReportDialog onCreate={onCreate} onClose={onClose} />);
  return { onCreate, onClose, dialog: screen.getByRole('dialog', { name: 'Send Problem Report' }) };
}

describe('ProblemReportDialog', () => {
  it('says what a report holds before anything is collected, the license key redacted', () => {
    const { onCreate, dialog } = renderDialog(() => ({ ok: true, value: aProblemReport() }));
    expect(dialog).toHaveAttribute('data-state', 'ask');
    const items = screen.getAllByRole('listitem').map((item) => item.textContent);
    expect(items.join('\n')).toMatch(/logs/);
    expect(items.join('\n')).toMatch(/license key redacted/);
    expect(items.join('\n')).toMatch(/events/);
    expect(items.join('\n')).toMatch(/environment/);
    expect(items.join('\n')).toMatch(/Network checks/);
    expect(screen.getByRole('checkbox', { name: 'Send to my administrator' })).not.toBeChecked();
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('sends it when the box is ticked, then shows its ID, its file and that it was sent', async () => {
    const user = userEvent.setup();
    const { onCreate, dialog } = renderDialog((send) => ({
      ok: true,
      value: aProblemReport({ sent: send }),
    }));
    await user.click(screen.getByRole('checkbox', { name: 'Send to my administrator' }));
    await user.click(screen.getByRole('button', { name: 'Create Report' }));
    expect(onCreate).toHaveBeenCalledWith(true);
    expect(dialog).toHaveAttribute('data-state', 'created');
    expect(screen.getByText('Report ID').nextElementSibling).toHaveTextContent(
      'PR-20250101-0A1B2C3D',
    );
    expect(screen.getByText('File').nextElementSibling).toHaveTextContent(
      'Provisim/reports/PR-20250101-0A1B2C3D.tar.gz',
    );
    expect(screen.getByText(/^Sent to your administrator/)).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Problem report PR-20250101-0A1B2C3D created.',
    );
    // The pressed button is gone: Close has the focus, not nothing.
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus();
  });

  it('keeps it on this Mac when the box is not ticked, and says so', async () => {
    const user = userEvent.setup();
    const { onCreate } = renderDialog((send) => ({
      ok: true,
      value: aProblemReport({ sent: send }),
    }));
    await user.click(screen.getByRole('button', { name: 'Create Report' }));
    expect(onCreate).toHaveBeenCalledWith(false);
    expect(screen.getByText(/^Not sent: the report stays on this Mac/)).toBeInTheDocument();
    expect(screen.queryByText(/^Sent to your administrator/)).not.toBeInTheDocument();
  });

  it('shows the sentence of a failed upload beside the file that stays on this Mac', async () => {
    const user = userEvent.setup();
    renderDialog(() => ({
      ok: true,
      value: aProblemReport({
        sent: false,
        sendError: { code: 'PORTAL_UNREACHABLE', message: 'ECONNREFUSED', retryable: true },
      }),
    }));
    await user.click(screen.getByRole('checkbox', { name: 'Send to my administrator' }));
    await user.click(screen.getByRole('button', { name: 'Create Report' }));
    expect(screen.getByText(/^Not sent\./)).toHaveTextContent(ERROR_SENTENCES.PORTAL_UNREACHABLE);
    expect(screen.getByText('File').nextElementSibling).toHaveTextContent(/\.tar\.gz$/);
  });

  it('says no report was made when the agent refused, and offers to try again', async () => {
    const user = userEvent.setup();
    const { onCreate } = renderDialog(() => ({
      ok: false,
      error: { code: 'FOLDER_NOT_WRITABLE', message: 'EACCES', retryable: false },
    }));
    await user.click(screen.getByRole('button', { name: 'Create Report' }));
    expect(screen.getByText(/^No report was created\./)).toHaveTextContent(
      ERROR_SENTENCES.FOLDER_NOT_WRITABLE,
    );
    await user.click(screen.getByRole('button', { name: 'Try Again' }));
    expect(onCreate).toHaveBeenCalledTimes(2);
  });

  it('holds Create Report while the report is made: a second press creates no second one', async () => {
    const user = userEvent.setup();
    let finish: (result: Result<ProblemReport>) => void = () => undefined;
    const onCreate = vi.fn(() => new Promise<Result<ProblemReport>>((done) => (finish = done)));
    render(<ProblemReportDialog onCreate={onCreate} onClose={vi.fn()} />);
    const create = screen.getByRole('button', { name: 'Create Report' });
    await user.click(create);
    expect(create).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('dialog')).toHaveAttribute('data-state', 'creating');
    await user.click(create);
    expect(onCreate).toHaveBeenCalledTimes(1);
    finish({ ok: true, value: aProblemReport() });
    expect(await screen.findByRole('button', { name: 'Close' })).toBeInTheDocument();
  });
});

describe('Help in the Control Center', () => {
  it('opens the report dialog from the sidebar by keyboard and gives the focus back on Escape', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    const help = screen.getByRole('group', { name: 'Help' });
    const open = screen.getByRole('button', { name: 'Send Problem Report…' });
    expect(help).toContainElement(open);
    open.focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('dialog', { name: 'Send Problem Report' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(open).toHaveFocus();
    expect(backend.createReport).not.toHaveBeenCalled();
  });

  it('creates the report through the backend', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    await user.click(screen.getByRole('button', { name: 'Send Problem Report…' }));
    await user.click(screen.getByRole('checkbox', { name: 'Send to my administrator' }));
    await user.click(screen.getByRole('button', { name: 'Create Report' }));
    expect(backend.createReport).toHaveBeenCalledWith(true);
    expect(await screen.findByText(/^Sent to your administrator/)).toBeInTheDocument();
  });
});
