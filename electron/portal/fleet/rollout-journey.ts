import type { RolloutStage } from '../../../shared/admin-rollout.ts';
import type { AgentEvent, AgentEventType } from '../../../shared/protocol.ts';

/** One Mac's way through the rollout of one golden image, as its events tell it so far. */
export interface Journey {
  /** The stage of its newest job event; a registered Mac is reported registered whatever comes. */
  stage: Exclude<RolloutStage, 'registered'>;
  registered: boolean;
  /** Agent time of its first invitation, in ms; null when no invitation was kept. */
  invitedAt: number | null;
  /** Agent time of its first registered VM of the image, in ms. */
  registeredAt: number | null;
  /** Code of its newest failure. */
  failureCode: string | null;
  /** The name its newest invitation (or update offer) showed. */
  name: string | null;
}

// The stage each event type leaves a journey in; null for events outside an image's job:
// `checked-in` names the image on every run, also when the Mac has the VM and nothing is offered.
const STAGES: Readonly<Record<AgentEventType, RolloutStage | null>> = {
  'checked-in': null,
  invited: 'unanswered',
  accepted: 'accepted',
  declined: 'declined',
  'download-started': 'downloading',
  'download-progress': 'downloading',
  'download-resumed': 'downloading',
  'download-redirected': 'downloading',
  'download-restarted': 'downloading',
  'download-retrying': 'downloading',
  'download-finished': 'installing',
  'download-failed': 'failed',
  verified: 'installing',
  'verify-failed': 'failed',
  unpacked: 'installing',
  registered: 'registered',
  'install-failed': 'failed',
  'vm-created': null,
  // Only a Mac with a VM of the image is offered an update of it: whatever it answers, and
  // however the update's download goes, the Mac stays registered; `updated` registers one more.
  'update-offered': 'registered',
  'update-accepted': 'registered',
  'update-declined': 'registered',
  updated: 'registered',
};

// Events that register a VM, whose time counts for time to VM; update offers and answers tell
// only that a VM is there.
const REGISTERS: ReadonlySet<AgentEventType> = new Set(['registered', 'updated']);

/** The golden image an event moves a journey of, or undefined for events that move none. */
export function journeyImage(event: AgentEvent): string | undefined {
  if (STAGES[event.type] === null || !('goldenImageId' in event)) return undefined;
  return event.goldenImageId;
}

/** A journey before its first event. */
export function newJourney(): Journey {
  return {
    stage: 'unanswered',
    registered: false,
    invitedAt: null,
    registeredAt: null,
    failureCode: null,
    name: null,
  };
}

/** Moves a journey by one of its image's events, in the order the Mac sent them. */
export function advance(journey: Journey, event: AgentEvent): void {
  const stage = STAGES[event.type];
  if (stage === null) return;
  if (event.type === 'invited') journey.invitedAt ??= Date.parse(event.at);
  if (event.type === 'invited' || event.type === 'update-offered') journey.name = event.name;
  if (stage === 'registered') {
    journey.registered = true;
    if (REGISTERS.has(event.type)) journey.registeredAt ??= Date.parse(event.at);
    return;
  }
  journey.stage = stage;
  if ('error' in event && stage === 'failed') journey.failureCode = event.error.code;
}

/** Where the journey stands: registered once a VM was registered, else its newest stage. */
export function stageOf(journey: Journey): RolloutStage {
  return journey.registered ? 'registered' : journey.stage;
}

/** Invitation to VM in ms, or null when either end is unknown (or the clocks disagree). */
export function timeToVm(journey: Journey): number | null {
  const { invitedAt, registeredAt } = journey;
  if (invitedAt === null || registeredAt === null || registeredAt < invitedAt) return null;
  return registeredAt - invitedAt;
}
