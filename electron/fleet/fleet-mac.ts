import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { AnnouncedPhase } from '../../shared/ipc-contract.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { failedResult, type ResultError } from '../../shared/run-result.ts';
import type { AgentConfig } from '../agent/agent-config.ts';
import { runAssistantAction } from '../agent/assistant-job.ts';
import type { DiskMode, DownloadTuning } from '../agent/golden-image-install.ts';
import { runNewVmAction } from '../agent/provisioning-job.ts';
import type { MacPlan } from './fleet-plan.ts';

/** Where a Mac of the fleet stands, for the live summary. */
export type MacPhase = 'waiting' | AnnouncedPhase['phase'] | 'invited' | 'creating' | 'done';

/** How one Mac ended: the run's outcome, with what the fleet's tables need. */
export interface MacOutcome {
  readonly type: 'mac';
  readonly hostname: string;
  readonly serialNumber: string;
  readonly arch: MacPlan['arch'];
  readonly outcome: 'registered' | 'already-registered' | 'declined' | 'no-image' | 'failed';
  /** After a decline: the Installation Assistant made a VM, or policy allowed corporate VMs only. */
  readonly assistant?: 'created' | 'corporate-only' | 'failed';
  readonly error?: ResultError;
  /** From the Mac's start to its registered VM. */
  readonly timeToVmMs?: number;
  readonly retries: number;
  /** Image bytes this run received (not those resumed from an earlier run). */
  readonly bytes: number;
}

/** What every Mac of a fleet shares. */
export interface FleetMacContext {
  readonly home: string;
  readonly connection: Omit<AgentConfig, 'licenseKey' | 'arch' | 'hostname' | 'vmDir'>;
  readonly tuning?: DownloadTuning;
  /** `none`: every image byte checked, none written, each VM registered as simulated. */
  readonly disk: DiskMode;
  /** Least time between one Mac's download-progress events. */
  readonly progressEveryMs: number;
  readonly signal: AbortSignal;
  readonly onPhase: (mac: MacPlan, phase: MacPhase) => void;
  readonly onBytes: (bytes: number) => void;
}

/** Runs one simulated Mac: waits its turn, runs the New VM action as `provisim run` does, answers as planned. */
export async function runFleetMac(mac: MacPlan, fleet: FleetMacContext): Promise<MacOutcome> {
  const { signal } = fleet;
  const home = join(fleet.home, 'fleet', mac.hostname);
  const config: AgentConfig = {
    ...fleet.connection,
    licenseKey: mac.licenseKey,
    arch: mac.arch,
    hostname: mac.hostname,
    serialNumber: mac.serialNumber,
    // Hundreds of Macs share this one thread: an fsync per event would stall them all. Their
    // queues still survive the fleet being killed; a power cut is not what a fleet simulates.
    fsyncEvents: false,
  };
  const { hostname, serialNumber, arch } = mac;
  const base = { type: 'mac', hostname, serialNumber, arch } as const;
  let retries = 0;
  let bytes = 0;
  try {
    await pause(mac.startDelayMs, signal);
  } catch (error) {
    return { ...base, outcome: 'failed', error: toResultError(error), retries, bytes };
  }
  const startedAt = performance.now();
  const result = await runNewVmAction({
    home,
    config,
    signal,
    tuning: fleet.tuning,
    disk: fleet.disk,
    progressEveryMs: fleet.progressEveryMs,
    decide: async () => {
      fleet.onPhase(mac, 'invited');
      await pause(mac.thinkMs, signal);
      return mac.accepts ? 'accept' : 'decline';
    },
    onPhase: (phase) => fleet.onPhase(mac, phase.phase),
    onEvent: (event) => {
      if (event.type === 'download-retrying') retries += 1;
    },
    onProgress: (progress) => {
      const received = progress.transferred - progress.resumedFrom;
      fleet.onBytes(received - bytes);
      bytes = received;
    },
  });
  const counts = { retries, bytes };
  // A fleet Mac that accepts an update replaces its VM: it has its new VM, as a first download.
  if (result.outcome === 'registered' || result.outcome === 'updated') {
    return { ...base, outcome: 'registered', timeToVmMs: performance.now() - startedAt, ...counts };
  }
  if (result.outcome === 'failed' && result.error.code === 'CORPORATE_ONLY' && !mac.accepts) {
    return { ...base, outcome: 'declined', assistant: 'corporate-only', ...counts };
  }
  if (result.outcome !== 'declined') return { ...base, ...pickOutcome(result), ...counts };
  fleet.onPhase(mac, 'creating');
  const created = await runAssistantAction({
    home,
    name: `${mac.hostname} VM`,
    os: 'ubuntu-24.04',
    config,
  });
  return created.outcome === 'created'
    ? { ...base, outcome: 'declined', assistant: 'created', ...counts }
    : { ...base, outcome: 'declined', assistant: 'failed', error: created.error, ...counts };
}

function pickOutcome(
  result: Awaited<ReturnType<typeof runNewVmAction>>,
): Pick<MacOutcome, 'outcome' | 'error'> {
  if (result.outcome === 'failed') return { outcome: 'failed', error: result.error };
  return { outcome: result.outcome === 'updated' ? 'registered' : result.outcome };
}

// A wait of the ramp or of the simulated user; Ctrl-C ends it at once, as CANCELLED.
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    throw new ProvisimError('CANCELLED', { cause: error });
  }
}

function toResultError(error: unknown): ResultError {
  return failedResult(error).error;
}
