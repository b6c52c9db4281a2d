import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { UpdateOffer } from '../../shared/invitation.ts';
import { NewVmFlow, type FlowHandlers } from '../../renderer/views/new-vm-flow.tsx';
import { UpdateOfferView } from '../../renderer/views/update-offer-view.tsx';
import { anAppState, anInvitation } from './fixtures.ts';

function anUpdate(overrides: Partial<UpdateOffer> = {}): UpdateOffer {
  return {
    vm: { uuid: 'vm-old', name: 'Windows 11 Engineering (2024)' },
    fromSha256: 'b'.repeat(64),
    fromSizeBytes: 6_000_000_000,
    replaceRemovesPrevious: true,
    keepBothAllowed: true,
    ...overrides,
  };
}

function renderOffer(update = anUpdate()) {
  const onAnswer = vi.fn();
  render(
    <UpdateOfferView invitation={anInvitation({ update })} update={update} onAnswer={onAnswer} />,
  );
  return onAnswer;
}

describe('UpdateOfferView', () => {
  it('names the image and the VM it updates, its description and how its size changes', () => {
    renderOffer();
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(
      'Update available for “Windows 11 Engineering (2024)”',
    );
    expect(
      screen.getByText((_, element) =>
        element?.tagName === 'P'
          ? element.textContent ===
            'An update of “Windows 11 Engineering” is available for the VM “Windows 11 Engineering (2024)”.'
          : false,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Connect to the VPN before you download.')).toBeInTheDocument();
    expect(screen.getByText('Image size').nextElementSibling).toHaveTextContent('6 GB → to 8 GB');
  });

  it('shows the new size alone when the previous one is not known', () => {
    renderOffer(anUpdate({ fromSizeBytes: undefined }));
    expect(screen.getByText('Image size').nextElementSibling).toHaveTextContent(/^8 GB$/);
  });

  it('answers replace, keep-both and decline from its three buttons', async () => {
    const user = userEvent.setup();
    const onAnswer = renderOffer();
    await user.click(screen.getByRole('button', { name: 'Replace' }));
    await user.click(screen.getByRole('button', { name: 'Keep both' }));
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(onAnswer.mock.calls).toEqual([['replace'], ['keep-both'], ['decline']]);
    expect(
      screen.getByText(/then removes “Windows 11 Engineering \(2024\)” from this Mac/),
    ).toBeInTheDocument();
  });

  it('turns Keep both off, saying why, where policy allows one corporate VM per user', async () => {
    const user = userEvent.setup();
    const onAnswer = renderOffer(anUpdate({ keepBothAllowed: false }));
    const keepBoth = screen.getByRole('button', { name: 'Keep both' });
    expect(keepBoth).toBeDisabled();
    expect(keepBoth).toHaveAccessibleDescription(
      'Keep both is not available: your organisation allows one corporate VM per user.',
    );
    await user.click(keepBoth);
    expect(onAnswer).not.toHaveBeenCalled();
  });

  it('says before the choice that Replace keeps the previous VM where policy prevents removal', () => {
    renderOffer(anUpdate({ replaceRemovesPrevious: false }));
    const notice = screen.getByText(/Replace keeps the previous VM/);
    expect(notice).toHaveTextContent(
      'Replace keeps the previous VM “Windows 11 Engineering (2024)” beside the new one: your organisation prevents removing corporate VMs.',
    );
    expect(screen.queryByText(/then removes/)).not.toBeInTheDocument();
    // Before the buttons, so it is read before the choice is made.
    const replace = screen.getByRole('button', { name: 'Replace' });
    expect(notice.compareDocumentPosition(replace) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});

describe('the New VM flow with an update', () => {
  it('shows the update offer instead of the first invitation when the invitation carries one', () => {
    const on = { onAnswer: vi.fn() } as unknown as FlowHandlers;
    const invitation = anInvitation({ update: anUpdate() });
    render(
      <NewVmFlow state={anAppState({ job: { phase: 'invited', invitation } })} handlers={on} />,
    );
    expect(screen.getByRole('button', { name: 'Replace' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Download' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2 })).toHaveFocus();
  });
});
