import { useId } from 'react';
import type { Invitation, InvitationAnswer, UpdateOffer } from '../../shared/invitation.ts';
import { FlowStep } from '../components/flow-step.tsx';
import { formatBytes } from '../model/format.ts';
import { ImageFacts } from './invitation-view.tsx';

/** Props of the offer to update a VM to a new version of its golden image. */
export interface UpdateOfferViewProps {
  readonly invitation: Invitation;
  readonly update: UpdateOffer;
  readonly onAnswer: (answer: InvitationAnswer) => void;
}

// "6 GB → 8 GB" when both sizes are known; the arrow is read as "to".
function SizeChange({ from, to }: { readonly from?: number; readonly to?: number }) {
  if (to === undefined) return <>Not given by the portal</>;
  if (from === undefined) return <>{formatBytes(to)}</>;
  return (
    <>
      {formatBytes(from)} <span aria-hidden="true">→</span>
      <span className="visually-hidden"> to</span> {formatBytes(to)}
    </>
  );
}

/** Offers a new version of the golden image a VM came from: Replace, Keep both, or Not now. */
export function UpdateOfferView({ invitation, update, onAnswer }: UpdateOfferViewProps) {
  const blockedId = useId();
  const previous = update.vm.name;
  return (
    <FlowStep
      phase="invited"
      title={`Update available for “${previous}”`}
      actions={
        <>
          <button type="button" className="primary" onClick={() => onAnswer('replace')}>
            Replace
          </button>
          <button
            type="button"
            disabled={!update.keepBothAllowed}
            aria-describedby={update.keepBothAllowed ? undefined : blockedId}
            onClick={() => onAnswer('keep-both')}
          >
            Keep both
          </button>
          <button type="button" onClick={() => onAnswer('decline')}>
            Not now
          </button>
        </>
      }
    >
      <p>
        An update of <strong>“{invitation.name}”</strong> is available for the VM “{previous}”.
      </p>
      {invitation.description && <p className="image-description">{invitation.description}</p>}
      <ImageFacts
        invitation={invitation}
        size={<SizeChange from={update.fromSizeBytes} to={invitation.sizeBytes} />}
      />
      {update.replaceRemovesPrevious ? (
        <p>Replace downloads the new version, then removes “{previous}” from this Mac.</p>
      ) : (
        <p className="warning">
          Replace keeps the previous VM “{previous}” beside the new one: your organisation prevents
          removing corporate VMs.
        </p>
      )}
      {update.keepBothAllowed ? (
        <p>Keep both downloads the new version and keeps “{previous}” beside it.</p>
      ) : (
        <p id={blockedId} className="hint">
          Keep both is not available: your organisation allows one corporate VM per user.
        </p>
      )}
      <p className="hint">
        Not now keeps “{previous}” as it is; the update is offered again later.
      </p>
    </FlowStep>
  );
}
