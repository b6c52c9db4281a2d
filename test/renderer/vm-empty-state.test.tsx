import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { JobPhase } from '../../shared/ipc-contract.ts';
import { App } from '../../renderer/app.tsx';
import { anAppState, fakeBackend } from './fixtures.ts';

const image = { goldenImageId: 'win11-arm', name: 'Windows 11 Engineering', sizeBytes: 10 };

function renderEmpty(job: JobPhase) {
  const progress = { transferred: 1, total: 10, fraction: 0.1, rate: 1, etaSeconds: 9 };
  render(<App backend={fakeBackend(anAppState({ vms: [], job, progress })).backend} />);
  return document.querySelector('.vm-empty');
}

describe('the empty VM list', () => {
  it('does not send the user to a disabled New Virtual Machine while a download runs', () => {
    const empty = renderEmpty({ phase: 'downloading', image, heldBytes: 0 });
    expect(screen.getByRole('button', { name: 'New Virtual Machine' })).toBeDisabled();
    expect(screen.queryByText(/No virtual machines yet/)).not.toBeInTheDocument();
    expect(screen.queryByText(/Choose New Virtual Machine/)).not.toBeInTheDocument();
    expect(empty).toHaveAttribute('data-empty', 'waiting');
    expect(empty).toHaveTextContent(
      'Your corporate VM will appear here when it is ready.It is downloading now.',
    );
    expect(empty?.querySelector('img')).toHaveAttribute('alt', '');
  });

  it('says where a paused download is picked up again', () => {
    renderEmpty({ phase: 'paused', image });
    expect(screen.getByText(/Its download is paused\. Resume it above/)).toBeInTheDocument();
  });

  it('names the VM the Installation Assistant is creating', () => {
    renderEmpty({ phase: 'creating', vmName: 'Dev box' });
    expect(screen.getByText('Dev box will appear here when it is created.')).toBeInTheDocument();
  });

  it('offers New Virtual Machine when nothing is being set up', () => {
    const empty = renderEmpty({ phase: 'idle' });
    expect(screen.getByRole('button', { name: 'New Virtual Machine' })).toBeEnabled();
    expect(empty).toHaveAttribute('data-empty', 'none');
    expect(empty).toHaveTextContent(/No virtual machines yet\.Choose New Virtual Machine/);
  });
});
