import type { Arch } from './protocol.ts';

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
}

/** The user's answer to an invitation. */
export type InvitationAnswer = 'accept' | 'decline';
