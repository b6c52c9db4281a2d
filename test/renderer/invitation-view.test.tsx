import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { InvitationView } from '../../renderer/views/invitation-view.tsx';
import { anInvitation } from './fixtures.ts';

describe('InvitationView', () => {
  it("shows the administrator's image name and description, its size and the free disk space", () => {
    render(<InvitationView invitation={anInvitation()} onAnswer={vi.fn()} />);
    expect(screen.getByText('Windows 11 Engineering')).toBeInTheDocument();
    expect(screen.getByText('Connect to the VPN before you download.')).toBeInTheDocument();
    expect(screen.getByText('Image size').nextElementSibling).toHaveTextContent('8 GB');
    expect(screen.getByText('Space needed').nextElementSibling).toHaveTextContent('24 GB');
    expect(screen.getByText('Free disk space').nextElementSibling).toHaveTextContent('120 GB');
    expect(screen.getByText('Built for').nextElementSibling).toHaveTextContent('Apple silicon');
  });

  it('answers accept on Download and decline on Not now', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    render(<InvitationView invitation={anInvitation()} onAnswer={onAnswer} />);
    await user.click(screen.getByRole('button', { name: 'Download' }));
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(onAnswer.mock.calls).toEqual([['accept'], ['decline']]);
  });

  it('puts the focus on its title so the first Tab reaches Download, and Enter accepts', async () => {
    const user = userEvent.setup();
    const onAnswer = vi.fn();
    render(<InvitationView invitation={anInvitation()} onAnswer={onAnswer} />);
    expect(screen.getByRole('heading', { level: 2 })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Download' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onAnswer).toHaveBeenCalledWith('accept');
  });

  it('warns when the Mac has less free space than the image needs', () => {
    render(
      <InvitationView
        invitation={anInvitation({ freeBytes: 10_000_000_000 })}
        onAnswer={vi.fn()}
      />,
    );
    expect(screen.getByText(/less free space than the image/)).toBeInTheDocument();
  });

  it('says that declining leaves no way to create a VM when policy allows corporate VMs only', () => {
    render(
      <InvitationView invitation={anInvitation({ corporateOnly: true })} onAnswer={vi.fn()} />,
    );
    expect(screen.getByText(/allows corporate VMs only/)).toBeInTheDocument();
    expect(screen.queryByText(/Installation Assistant/)).not.toBeInTheDocument();
  });

  it('says a download continues from the bytes an earlier attempt left', () => {
    render(
      <InvitationView
        invitation={anInvitation({ resumeFromBytes: 3_000_000_000 })}
        onAnswer={vi.fn()}
      />,
    );
    expect(screen.getByText(/3 GB arrived in an earlier attempt/)).toBeInTheDocument();
  });
});
