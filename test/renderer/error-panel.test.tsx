import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_SENTENCES, type ErrorCode } from '../../shared/codes.ts';
import { ErrorPanel, type ErrorPanelProps } from '../../renderer/views/error-panel.tsx';

function renderPanel(code: ErrorCode, overrides: Partial<ErrorPanelProps> = {}) {
  const props: ErrorPanelProps = {
    code,
    message: 'sha256 3f2a… expected, 9b1c… received',
    retryable: false,
    onRetry: vi.fn(),
    onOpenSettings: vi.fn(),
    onCopyDetails: vi.fn(async () => {}),
    onClose: vi.fn(),
    ...overrides,
  };
  render(<ErrorPanel {...props} />);
  return props;
}

describe('ErrorPanel', () => {
  it.each<ErrorCode>(['CHECKSUM_MISMATCH', 'NOT_A_DIRECT_LINK', 'INSUFFICIENT_DISK_SPACE'])(
    "shows the user's sentence for %s",
    (code) => {
      renderPanel(code);
      expect(screen.getByText(ERROR_SENTENCES[code])).toBeInTheDocument();
    },
  );

  it('offers Open Settings first for an error that a setting cures', async () => {
    const user = userEvent.setup();
    const props = renderPanel('TLS_UNTRUSTED');
    const buttons = screen.getAllByRole('button').map((button) => button.textContent);
    expect(buttons.slice(0, 2)).toEqual(['Open Settings', 'Try again']);
    await user.click(screen.getByRole('button', { name: 'Open Settings' }));
    expect(props.onOpenSettings).toHaveBeenCalledTimes(1);
  });

  it('offers Open Settings first when Parallels Desktop is chosen but not installed', () => {
    renderPanel('PARALLELS_NOT_INSTALLED');
    const buttons = screen.getAllByRole('button').map((button) => button.textContent);
    expect(buttons.slice(0, 2)).toEqual(['Open Settings', 'Try again']);
  });

  it('offers no Settings for a checksum failure, and Try again retries', async () => {
    const user = userEvent.setup();
    const props = renderPanel('CHECKSUM_MISMATCH');
    expect(screen.queryByRole('button', { name: 'Open Settings' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(props.onRetry).toHaveBeenCalledTimes(1);
  });

  it('copies the code and the technical message, and confirms it', async () => {
    const user = userEvent.setup();
    const props = renderPanel('CHECKSUM_MISMATCH');
    await user.click(screen.getByRole('button', { name: 'Copy details' }));
    expect(props.onCopyDetails).toHaveBeenCalledWith(
      'CHECKSUM_MISMATCH: sha256 3f2a… expected, 9b1c… received',
    );
    expect(await screen.findByRole('status')).toHaveTextContent('Details copied.');
  });

  it('points at the details text when the clipboard is refused', async () => {
    const user = userEvent.setup();
    renderPanel('DOWNLOAD_FAILED', {
      onCopyDetails: vi.fn(async () => Promise.reject(new Error('denied'))),
    });
    await user.click(screen.getByRole('button', { name: 'Copy details' }));
    expect(await screen.findByText(/select the details below/)).toBeInTheDocument();
  });
});
