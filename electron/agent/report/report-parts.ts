import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  BACKEND_CHOICES,
  type BackendChoice,
  type BackendKind,
} from '../../../shared/agent-store-schema.ts';
import { homeLayout } from '../home-layout.ts';
import { agentVersion } from '../identity.ts';
import type { BundleFolder } from './bundle-folder.ts';
import { recentEvents, REPORT_EVENT_LIMIT } from './report-events.ts';
import { describeEnvironment } from './report-environment.ts';
import { filesIn, LOG_TAIL_BYTES, readTail } from './report-files.ts';
import { manifestText } from './report-manifest.ts';
import { checkNetwork } from './report-network.ts';
import { redactSettingsText, type SettingsFile } from './report-settings.ts';

/** What the parts of a report are made from. */
export interface ReportSources {
  readonly id: string;
  readonly home: string;
  /** agent.json and app.json of the home, as read (their secrets are already in the redactor). */
  readonly settings: { readonly agent: SettingsFile; readonly app: SettingsFile };
  readonly backend?: BackendKind;
  readonly signal?: AbortSignal;
}

/** Fills the report's folder: settings, logs, resume states, outbox, events, environment, network, README.txt. */
export async function fillBundle(folder: BundleFolder, sources: ReportSources): Promise<void> {
  const { signal } = sources;
  const layout = homeLayout(sources.home);
  const saved = parsed(sources.settings.agent);
  const step = async (what: string, work: () => Promise<void>) => {
    signal?.throwIfAborted();
    await folder.attempt(what, work, signal);
  };
  for (const [name, file] of Object.entries(sources.settings)) {
    await step(`settings/${name}.json`, async () => {
      if (file.state === 'unreadable') {
        throw new Error(`${name}.json cannot be read (${file.reason})`);
      }
      // app.json exists only where the desktop app ran; agent.json wherever the agent did.
      if (file.state === 'missing') {
        if (name === 'agent') throw new Error('no agent.json in the home yet');
        return;
      }
      const about = `the ${name === 'agent' ? "agent's" : "app's"} settings, secrets redacted`;
      await folder.text(`settings/${name}.json`, redactSettingsText(file.text), about);
    });
  }
  const logs = await filesIn(layout.logs).catch(() => []);
  for (const log of logs) {
    await step(`logs/${basename(log)}`, async () => {
      const { text, omittedBytes } = await readTail(log, LOG_TAIL_BYTES);
      const cut = omittedBytes > 0 ? `; its first ${omittedBytes} bytes left out` : '';
      await folder.text(`logs/${basename(log)}`, text, `component log (JSON lines)${cut}`);
    });
  }
  await step('downloads', async () => {
    for (const state of await filesIn(layout.downloads, '.json')) {
      const about = 'resume state of a partial download';
      await folder.text(`downloads/${basename(state)}`, await readFile(state, 'utf8'), about);
    }
  });
  await step('outbox.json', async () => {
    const text = await readFile(layout.outbox, 'utf8').catch(ifMissing(undefined));
    if (text === undefined) return;
    await folder.text('outbox.json', text, 'events not yet delivered to the portal');
  });
  await step('events.ndjson', async () => {
    const events = await recentEvents(logs, layout.outbox);
    const text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    const about = `the last ${REPORT_EVENT_LIMIT} events at most (logs and outbox), oldest first`;
    await folder.text('events.ndjson', text, about);
  });
  const environment = await describeEnvironment({
    home: layout.home,
    vmDir: text(saved.vmDir) ?? layout.defaultVmDir,
    backend: sources.backend,
    backendSetting: BACKEND_CHOICES.find(
      (choice): choice is BackendChoice => choice === saved.backend,
    ),
  });
  await step('environment.json', () =>
    folder.json('environment.json', environment, 'OS, architecture, versions, free disk, backend'),
  );
  await step('network.json', async () => {
    const settings = {
      portalUrl: text(saved.portalUrl),
      caFile: text(saved.caFile),
      proxyUrl: text(saved.proxyUrl),
    };
    const network = await checkNetwork(settings, { signal });
    signal?.throwIfAborted();
    await folder.json('network.json', network, 'portal reachable, proxy in use, TLS chain');
  });
  signal?.throwIfAborted();
  const readme = manifestText({
    id: sources.id,
    createdAt: environment.createdAt,
    agentVersion: agentVersion(),
    parts: [...folder.parts],
    problems: folder.problems,
  });
  await folder.text('README.txt', readme, 'what this bundle holds');
}

function parsed(file: SettingsFile): Record<string, unknown> {
  if (file.state !== 'read') return {};
  try {
    const value: unknown = JSON.parse(file.text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function ifMissing<T>(fallback: T) {
  return (error: unknown): T => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  };
}
