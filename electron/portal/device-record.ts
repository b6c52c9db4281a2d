import type { ErrorCode } from '../../shared/codes.ts';
import type { AgentEvent, AgentEventType, Arch } from '../../shared/protocol.ts';

/** What the portal knows about one device. */
export interface DeviceRecord {
  readonly id: string;
  readonly hostname: string | null;
  readonly serialNumber: string | null;
  readonly arch: Arch | null;
  readonly licenseKey: string | null;
  /** Group id, `primary`, or null (sublicense key without group, or never checked in). */
  readonly group: string | null;
  readonly agentVersion: string | null;
  readonly policyId: string | null;
  readonly policyRevision: number | null;
  readonly lastCheckInAt: string | null;
  /** Why the last check-in was refused, or null when it succeeded. */
  readonly lastCheckInError: ErrorCode | null;
  /** Type of the newest event received. */
  readonly lastPhase: AgentEventType | null;
  readonly lastEventAt: string | null;
}

/** Facts a check-in leaves about its device. */
export type CheckIn = Pick<
  DeviceRecord,
  | 'id'
  | 'hostname'
  | 'serialNumber'
  | 'arch'
  | 'licenseKey'
  | 'group'
  | 'agentVersion'
  | 'lastCheckInError'
> &
  Partial<Pick<DeviceRecord, 'policyId' | 'policyRevision'>>;

/** An event as the portal keeps it. */
export type StoredEvent = AgentEvent & { readonly deviceId: string; readonly receivedAt: string };

/** A device record with nothing known yet but its id. */
export function emptyDevice(id: string): DeviceRecord {
  return {
    id,
    hostname: null,
    serialNumber: null,
    arch: null,
    licenseKey: null,
    group: null,
    agentVersion: null,
    policyId: null,
    policyRevision: null,
    lastCheckInAt: null,
    lastCheckInError: null,
    lastPhase: null,
    lastEventAt: null,
  };
}
