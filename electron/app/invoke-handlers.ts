import type { z } from 'zod';
import {
  invokeSchemas,
  isInvokeChannel,
  type InvokeChannel,
  type InvokeResults,
  type Result,
} from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import type { AgentService } from '../agent/agent-service.ts';
import type { ActivityLog } from './activity-log.ts';
import type { AppSettings } from './app-settings.ts';
import type { AppStateView } from './app-state.ts';
import { assistantOptions, createWithAssistant } from './assistant-actions.ts';
import type { EffectiveBackend } from './effective-backend.ts';
import type { EmbeddedPortal } from './embedded-portal.ts';
import { busy, failure, invalidPayload, notNow, unknownChannel } from './ipc-errors.ts';
import type { JobRunner } from './job-runner.ts';
import { findResumable } from './partial-downloads.ts';
import { createReport } from './problem-report-action.ts';
import { saveSettings } from './settings-save.ts';
import type { VmActions } from './vm-actions.ts';

/** The parts of the app service the handlers drive. */
export interface AppParts {
  readonly home: string;
  readonly settings: AppSettings;
  readonly detectedArch: Arch;
  readonly agent: AgentService;
  readonly runner: JobRunner;
  readonly vms: VmActions;
  readonly activity: ActivityLog;
  readonly state: AppStateView;
  readonly embedded: EmbeddedPortal;
  readonly backend: EffectiveBackend;
}

/** One handler per invoke channel, taking the payload its schema produced. */
export type InvokeHandlers = {
  readonly [C in InvokeChannel]: (
    payload: z.output<(typeof invokeSchemas)[C]>,
  ) => Promise<InvokeResults[C]>;
};

/** The handlers of every invoke channel. */
export function createInvokeHandlers(parts: AppParts): InvokeHandlers {
  const { runner, vms, settings, embedded, agent } = parts;
  const embeddedUrl = async () => (await embedded.ensure()).url;
  const resumable = () => findResumable(parts.home, settings.store.get('policyCache'));
  const done = async <T>(action: () => unknown | Promise<unknown>, value: T): Promise<T> => {
    await action();
    return value;
  };
  return {
    'state:get': () => parts.state.refresh(),
    'settings:get': async () => settings.read(),
    'settings:save': async (next) => {
      if (runner.busy) throw busy('A job is running: save the settings once it has ended.');
      const saved = await saveSettings({ ...parts, embeddedUrl }, next);
      // The portal the settings name from now on, and check-ins with the new values.
      if (settings.embedded) await embedded.ensure();
      else await embedded.close();
      await agent.stop();
      agent.start();
      return saved;
    },
    'agent:connect': async () => {
      const { changed } = await agent.checkInNow();
      return { agent: (await parts.state.refresh()).agent, policyChanged: changed };
    },
    'activity:list': async () => {
      await parts.activity.refresh();
      return parts.activity.list();
    },
    'job:start-new-vm': (payload) => done(() => runner.startNewVm({ force: payload?.force }), null),
    'job:answer-invitation': ({ answer }) => done(() => runner.answer(answer), null),
    'job:pause': () => done(() => runner.pause(), null),
    'job:resume': async () => {
      if (runner.busy) throw busy('A job is already running.');
      if (!(await resumable())) {
        throw notNow('There is no paused or interrupted download to resume.');
      }
      return done(() => runner.startNewVm({ resuming: true }), null);
    },
    'job:cancel': async () => done(async () => runner.cancel((await resumable()) !== null), null),
    'job:dismiss': () => done(() => runner.dismiss(), null),
    'assistant:get-options': async () =>
      assistantOptions(settings.store, settings.arch(parts.detectedArch)),
    'assistant:create-vm': (request) =>
      createWithAssistant(
        {
          ...parts,
          config: () => settings.config(parts.detectedArch, embeddedUrl),
          onEvent: (e) => parts.activity.add(e),
        },
        request,
      ),
    'vm:start': ({ uuid }) => vms.setState(uuid, 'running'),
    'vm:stop': ({ uuid }) => vms.setState(uuid, 'stopped'),
    'vm:remove': ({ uuid, deleteFiles }) => done(() => vms.remove(uuid, deleteFiles), null),
    'vm:show-in-folder': ({ uuid }) => vms.folderOf(uuid),
    'vm:prepare-transfer': ({ uuid }) => vms.prepareTransfer(uuid),
    'vm:cancel-transfer': ({ uuid }) => done(() => vms.cancelTransfer(uuid), null),
    'report:create': ({ send }) =>
      createReport(
        {
          home: parts.home,
          backend: parts.backend.kind,
          config: () => settings.forJob(parts.detectedArch, embeddedUrl),
        },
        send,
      ),
  };
}

/** Validates the channel and payload, runs the handler and answers with a Result, never a throw. */
export async function dispatch(
  handlers: InvokeHandlers,
  channel: string,
  payload: unknown,
  afterEach: () => Promise<unknown>,
): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) return failure(unknownChannel(channel));
  const parsed = invokeSchemas[channel].safeParse(payload);
  if (!parsed.success) return failure(invalidPayload(channel, parsed.error.issues));
  const handler = handlers[channel] as (payload: unknown) => Promise<unknown>;
  try {
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    return failure(error);
  } finally {
    // The answer goes after the state it caused, so a window never sees stale data with it.
    await afterEach().catch(() => undefined);
  }
}
