import type { ReactNode } from 'react';
import type { Invitation, InvitationAnswer } from '../../shared/invitation.ts';
import { FlowStep } from '../components/flow-step.tsx';
import { formatArch, formatBytes } from '../model/format.ts';

/** Props of the invitation to download the corporate VM. */
export interface InvitationViewProps {
  readonly invitation: Invitation;
  readonly onAnswer: (answer: InvitationAnswer) => void;
}

function sizeText(bytes: number | undefined): string {
  return bytes === undefined ? 'Not given by the portal' : formatBytes(bytes);
}

/** Props of what an invitation says of the image and this Mac. */
export interface ImageFactsProps {
  readonly invitation: Invitation;
  /** What "Image size" says; the image's size by default. */
  readonly size?: ReactNode;
}

/** The image's size, the space it needs, the free space, and a warning when it does not fit. */
export function ImageFacts({ invitation, size }: ImageFactsProps) {
  const { requiredBytes, freeBytes } = invitation;
  const tooBig =
    requiredBytes !== undefined && freeBytes !== undefined && requiredBytes > freeBytes;
  return (
    <>
      <dl className="facts">
        <dt>Image size</dt>
        <dd>{size ?? sizeText(invitation.sizeBytes)}</dd>
        {requiredBytes !== undefined && (
          <>
            <dt>Space needed</dt>
            <dd>{formatBytes(requiredBytes)}</dd>
          </>
        )}
        <dt>Free disk space</dt>
        <dd>{freeBytes === undefined ? 'Unknown' : formatBytes(freeBytes)}</dd>
        <dt>Built for</dt>
        <dd>{formatArch(invitation.arch)}</dd>
      </dl>
      {tooBig && (
        <p className="warning">
          This Mac has less free space than the image and its unpacked VM need. Free some space
          before you download.
        </p>
      )}
      {invitation.resumeFromBytes > 0 && (
        <p>
          {formatBytes(invitation.resumeFromBytes)} arrived in an earlier attempt; the download
          continues from there.
        </p>
      )}
    </>
  );
}

/** Offers the administrator's golden image: what it is, how big, and whether it fits. */
export function InvitationView({ invitation, onAnswer }: InvitationViewProps) {
  return (
    <FlowStep
      phase="invited"
      title="Your organisation has a VM ready for you"
      actions={
        <>
          <button type="button" className="primary" onClick={() => onAnswer('accept')}>
            Download
          </button>
          <button type="button" onClick={() => onAnswer('decline')}>
            Not now
          </button>
        </>
      }
    >
      <p className="image-name">{invitation.name}</p>
      {invitation.description && <p className="image-description">{invitation.description}</p>}
      <ImageFacts invitation={invitation} />
      <p className="hint">
        {invitation.corporateOnly
          ? 'Your organisation allows corporate VMs only: without this download you cannot create a VM.'
          : 'Not now opens the Installation Assistant, where you can create a VM yourself.'}
      </p>
    </FlowStep>
  );
}
