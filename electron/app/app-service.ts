import { resolve } from 'node:path';
import type { FaultSpecInput } from '../../shared/faults.ts';
import type { AppState, PushChannel, PushPayloads, Result } from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import { acquireAgentLock } from '../agent/agent-lock.ts';
import { AgentService } from '../agent/agent-service.ts';
import type { DownloadTuning } from '../agent/golden-image-install.ts';
import { detectHostArch, loadIdentity } from '../agent/identity.ts';
import { createComponentLogger } from '../agent/logger.ts';
import type { RunningPortal } from '../portal/server.ts';
import { ActivityLog } from './activity-log.ts';
import { toIpcError } from './ipc-errors.ts';
import { AppSettings } from './app-settings.ts';
import { AppStateView } from './app-state.ts';
import { EffectiveBackend } from './effective-backend.ts';
import { EMBEDDED_LICENSE_KEY, EmbeddedPortal } from './embedded-portal.ts';
import { createInvokeHandlers, dispatch } from './invoke-handlers.ts';
import { JobRunner } from './job-runner.ts';
import { ProgressMeter } from './progress-meter.ts';
import { PushBus } from './push-bus.ts';
import { VmActions } from './vm-actions.ts';

/** Options of the app service. */
export interface AppServiceOptions {
  /** The agent home (settings store, downloads, logs, default VM folder). */
  readonly home: string;
  /** This Mac's architecture, used for "Auto" (Electron passes detectArch(...)); default: this process's. */
  readonly detectedArch?: Arch;
  /** How the embedded demo portal is made (image size, faults). */
  readonly embeddedPortal?: {
    readonly sizeBytes?: number;
    readonly faults?: readonly FaultSpecInput[];
  };
  readonly tuning?: DownloadTuning;
  /** Shortest time between two job:progress messages (default 250 ms). */
  readonly progressIntervalMs?: number;
  /** Where prlctl is looked for (PROVISIM_PRLCTL, PATH); default: this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The Node side of the desktop app, shared by the Electron adapter and the web host. */
export interface AppService {
  /** Answers one invoke channel; the payload is checked against the contract before anything runs. */
  handle(channel: string, payload: unknown): Promise<Result<unknown>>;
  /** Listens to a push channel; returns the unsubscribe function. */
  subscribe<C extends PushChannel>(
    channel: C,
    listener: (payload: PushPayloads[C]) => void,
  ): () => void;
  /** The state last broadcast. */
  state(): AppState;
  /** The embedded demo portal while it runs. */
  embeddedPortal(): RunningPortal | undefined;
  /** Stops check-ins and the job (its partial download is kept), the embedded portal, and the lock. */
  close(): Promise<void>;
}

/** Starts the app service: takes the home folder's lock, the embedded portal when needed, check-ins. */
export async function createAppService(options: AppServiceOptions): Promise<AppService> {
  const home = resolve(options.home);
  // Held while the app runs, as the headless agent does: a CLI run on this home gets AGENT_BUSY.
  const release = await acquireAgentLock(home);
  try {
    return await assemble(home, options, release);
  } catch (error) {
    await release();
    throw error;
  }
}

async function assemble(home: string, options: AppServiceOptions, release: () => Promise<void>) {
  const logger = createComponentLogger(home, 'app');
  const detectedArch = options.detectedArch ?? detectHostArch();
  const bus = new PushBus((error) => logger.warn({ err: error }, 'push listener failed'));
  const settings = new AppSettings(home, EMBEDDED_LICENSE_KEY);
  loadIdentity(settings.store, { archOverride: settings.arch(detectedArch) });
  const embedded = new EmbeddedPortal({ home, ...options.embeddedPortal });
  const backend = new EffectiveBackend({ logger, env: options.env });
  const embeddedUrl = async () => (await embedded.ensure()).url;
  const refresh = () =>
    state.refresh().catch((error) => logger.warn({ err: error }, 'state refresh failed'));
  const meter = new ProgressMeter({
    emit: (progress) => bus.emit('job:progress', progress),
    intervalMs: options.progressIntervalMs,
  });
  const activity = new ActivityLog(home, (entries) => bus.emit('activity:changed', { entries }));
  const runner: JobRunner = new JobRunner({
    home,
    config: () => settings.forJob(detectedArch, embeddedUrl),
    tuning: options.tuning,
    backend: () => backend.current(),
    // A Replace keeps the previous VM while Prepare for Transfer reads it.
    isVmBusy: (uuid) => vms.isPacking(uuid),
    onPhase: () => {
      const { phase } = runner.phase;
      if (phase === 'checking-policy') meter.reset();
      else if (phase !== 'downloading') meter.flush();
      if (!runner.busy) void activity.refresh();
      void refresh();
    },
    onEvent: (event) => activity.add(event),
    onProgress: (progress) => meter.update(progress),
  });
  const afterCheckIn = () => void activity.refresh().then(refresh);
  const agent = new AgentService({
    home,
    config: () => settings.forJob(detectedArch, embeddedUrl),
    intervalSec: () => settings.read().checkInIntervalSec ?? undefined,
    onCheckIn: afterCheckIn,
    onError: afterCheckIn,
  });
  const vms = new VmActions(settings.store, () => void refresh(), backend.delegate());
  const state: AppStateView = new AppStateView(
    {
      home,
      settings,
      runner,
      vms,
      detectedArch,
      embeddedUrl: () => embedded.url,
      lastCheckInError: () => (agent.lastError === undefined ? null : toIpcError(agent.lastError)),
      backendKind: () => backend.kind,
    },
    (next) => bus.emit('state:changed', next),
  );
  const parts = {
    home,
    settings,
    detectedArch,
    agent,
    runner,
    vms,
    activity,
    state,
    embedded,
    backend,
  };
  const handlers = createInvokeHandlers(parts);

  if (settings.embedded) await embedded.ensure();
  await backend.load(settings.read().backend);
  await activity.load();
  await vms.sweepPartials();
  await state.refresh();
  agent.start();
  let closing: Promise<void> | undefined;
  return {
    handle: (channel, payload) => dispatch(handlers, channel, payload, refresh),
    subscribe: (channel, listener) => bus.subscribe(channel, listener),
    state: () => state.current,
    embeddedPortal: () => embedded.portal,
    close: () =>
      (closing ??= (async () => {
        await agent.stop();
        await runner.close();
        await vms.settle();
        meter.reset();
        await embedded.close();
        await release();
      })()),
  } satisfies AppService;
}
