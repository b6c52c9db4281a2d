import type { FleetDevice, FleetPhase, FleetVm } from '../../../shared/admin-fleet.ts';
import type { AgentEventType } from '../../../shared/protocol.ts';
import { redactLicenseKey } from '../../../shared/redact.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import type { DeviceRecord, PortalState, StoredEvent } from '../portal-state.ts';
import { ONE_SHOT_ONLINE_MS, downloadRate, type AdminFleetDevice } from './fleet-device-facts.ts';
import { versionsOf } from './fleet-versions.ts';
import type { RetrievalBoard } from './retrieval-board.ts';

/** What the fleet view is built from. */
export interface FleetSources {
  readonly state: PortalState;
  readonly org: () => OrgConfig;
  readonly board: RetrievalBoard;
  readonly now: () => number;
}

// The job phase each event type leaves a device in; null means idle (a new action started).
const PHASES: Readonly<Record<AgentEventType, Exclude<FleetPhase, 'idle'> | null>> = {
  'checked-in': null,
  invited: 'invited',
  accepted: 'accepted',
  declined: 'declined',
  'download-started': 'downloading',
  'download-progress': 'downloading',
  'download-resumed': 'downloading',
  'download-redirected': 'downloading',
  'download-restarted': 'downloading',
  'download-retrying': 'downloading',
  'download-finished': 'downloaded',
  'download-failed': 'failed',
  verified: 'verified',
  'verify-failed': 'failed',
  unpacked: 'unpacked',
  registered: 'registered',
  'install-failed': 'failed',
  'vm-created': 'vm-created',
  // An update is a job on a Mac that has the VM: it reads like the first one, and ends registered.
  'update-offered': 'update-offered',
  'update-accepted': 'accepted',
  'update-declined': 'declined',
  updated: 'registered',
};

/** Every device that checked in at least once, as the admin's fleet view shows it. */
export function fleetDevices(sources: FleetSources): AdminFleetDevice[] {
  return sources.state.devices().flatMap((device) => {
    const fleetDevice = toFleetDevice(device, sources);
    return fleetDevice ? [fleetDevice] : [];
  });
}

function toFleetDevice(device: DeviceRecord, sources: FleetSources): AdminFleetDevice | undefined {
  const { hostname, arch, licenseKey, agentVersion, lastCheckInAt } = device;
  // Events alone (no check-in yet) tell too little for a row; GET /events still lists them.
  if (!hostname || !arch || !licenseKey || !agentVersion || !lastCheckInAt) return undefined;
  const org = sources.org();
  const events = sources.state.events({ deviceId: device.id });
  const retrieval = sources.board.retrieval(device.id);
  const groupId = groupOf(org, licenseKey);
  const online = isOnline(device.id, lastCheckInAt, events, org, sources);
  const phase = phaseOf(events);
  return {
    deviceId: device.id,
    hostname,
    serialNumber: device.serialNumber,
    arch,
    licenseKey: redactLicenseKey(licenseKey),
    groupId,
    agentVersion,
    lastCheckInAt,
    online,
    ...phase,
    goldenImageId: imageOf(events) ?? assignedImage(org, groupId),
    corporateVms: corporateVms(events, arch),
    retrieval: retrieval ? { requestedAt: retrieval.requestedAt, state: retrieval.state } : null,
    refusedWith: device.lastCheckInError,
    download: phase.progress ? downloadRate(events, phase.progress.total) : null,
    versions: versionsOf(events, arch, org),
  };
}

// An agent checks in on schedule: online within two intervals of its last check-in. A Mac that
// never kept a channel ran once and exits: online only while it is heard from (its events).
function isOnline(
  deviceId: string,
  lastCheckInAt: string,
  events: readonly StoredEvent[],
  org: OrgConfig,
  sources: FleetSources,
): boolean {
  const { board, now } = sources;
  if (board.channelOpen(deviceId)) return true;
  const intervalMs = 2 * org.checkInIntervalSec * 1000;
  const checkedIn = Date.parse(lastCheckInAt);
  if (board.keepsChannel(deviceId)) return now() - checkedIn <= intervalMs;
  const heard = Math.max(checkedIn, Date.parse(events.at(-1)?.receivedAt ?? lastCheckInAt));
  return now() - heard <= Math.min(intervalMs, ONE_SHOT_ONLINE_MS);
}

/** The group a license key activates: a group id, `primary`, or null. */
export function groupOf(org: OrgConfig, licenseKey: string): string | null {
  const group = org.userGroups.find((g) => g.licenseKey === licenseKey);
  if (group) return group.id;
  const key = org.licenseKeys.find((k) => k.key === licenseKey);
  return key?.kind === 'primary' ? 'primary' : null;
}

function imageOf(events: readonly StoredEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i]!;
    if ('goldenImageId' in event && typeof event.goldenImageId === 'string') {
      return event.goldenImageId;
    }
  }
  return undefined;
}

function assignedImage(org: OrgConfig, groupId: string | null): string | null {
  if (groupId === null) return null;
  return org.goldenImages.find((image) => image.assignedTo.includes(groupId))?.id ?? null;
}

function phaseOf(events: readonly StoredEvent[]): Pick<FleetDevice, 'phase' | 'progress'> {
  const last = events.at(-1);
  const phase = last ? PHASES[last.type] : null;
  if (phase !== 'downloading') return { phase, progress: null };
  const start = events.findLastIndex((e) => e.type === 'download-started');
  const latest = events.slice(Math.max(start, 0)).findLast(isDownloadStep);
  if (!latest) return { phase, progress: { transferred: 0, total: null } };
  const transferred = latest.type === 'download-progress' ? latest.transferred : latest.offset;
  return { phase, progress: { transferred, total: latest.total ?? null } };
}

type DownloadStep = StoredEvent & {
  type: 'download-started' | 'download-progress' | 'download-resumed';
};

function isDownloadStep(event: StoredEvent): event is DownloadStep {
  const { type } = event;
  return type === 'download-started' || type === 'download-progress' || type === 'download-resumed';
}

function corporateVms(events: readonly StoredEvent[], arch: FleetVm['arch']): FleetVm[] {
  const vms = new Map<string, FleetVm>();
  for (const event of events) {
    if (event.type !== 'registered' && event.type !== 'updated') continue;
    const { name, vmUuid: key, goldenImageId } = event;
    // The agent registers the new version before it reports the update: keep the first time.
    const registeredAt = vms.get(key)?.registeredAt ?? event.at;
    vms.set(key, { name, goldenImageId, arch, registeredAt });
    if (event.type === 'updated' && event.previousRemoved) vms.delete(event.previousVmUuid);
  }
  return [...vms.values()];
}
