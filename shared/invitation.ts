import type { Arch } from './protocol.ts';

/** A golden image the Mac already runs in an older version: what the update offer says. */
export interface UpdateOffer {
  /** The registered VM made from the previous version. */
  readonly vm: { readonly uuid: string; readonly name: string };
  readonly fromSha256: string;
  /** Size of the previous version's archive, when its policy told it. */
  readonly fromSizeBytes?: number;
  /** Replace removes the previous VM once the new one is registered; false when policy prevents removal. */
  readonly replaceRemovesPrevious: boolean;
  /** Keep both is allowed (the policy does not limit users to one corporate VM). */
  readonly keepBothAllowed: boolean;
}

/** What the user is asked before a golden image is downloaded. */
export interface Invitation {
  readonly goldenImageId: string;
  readonly name: string;
  readonly description: string;
  readonly arch: Arch;
  /** Size of the archive, when the portal told it. */
  readonly sizeBytes?: number;
  /** Disk space the download and the unpacked VM need, when the size is known. */
  readonly requiredBytes?: number;
  /** Free space on the volume that will hold the VM. */
  readonly freeBytes?: number;
  /** Bytes already downloaded by an earlier, interrupted run. */
  readonly resumeFromBytes: number;
  /** Whether declining leaves the user without a way to create a VM. */
  readonly corporateOnly: boolean;
  /** Set when this is a new version of a golden image a registered VM came from. */
  readonly update?: UpdateOffer;
}

/** Every answer to an invitation: `replace` and `keep-both` answer an update offer (accept = replace). */
export const INVITATION_ANSWERS = ['accept', 'decline', 'replace', 'keep-both'] as const;

/** The user's answer to an invitation; `decline` is "Not now" for an update. */
export type InvitationAnswer = (typeof INVITATION_ANSWERS)[number];
