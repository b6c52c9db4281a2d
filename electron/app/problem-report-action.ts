import type { BackendKind } from '../../shared/agent-store-schema.ts';
import type { ProblemReport } from '../../shared/ipc-contract.ts';
import type { AgentConfig } from '../agent/agent-config.ts';
import { createProblemReport } from '../agent/report/problem-report.ts';
import { sendProblemReport } from '../agent/report/send-report.ts';
import { createTransport } from '../agent/transport.ts';
import { toIpcError } from './ipc-errors.ts';

/** What Help → Send Problem Report needs from the app. */
export interface ReportContext {
  readonly home: string;
  /** The backend in use, which the report's environment names. */
  readonly backend: BackendKind;
  /** The portal and key to send with; throws NOT_CONFIGURED when there are none. */
  readonly config: () => Promise<AgentConfig>;
}

/**
 * Writes a problem report bundle and, when `send`, uploads it. A failed upload is not a failed
 * request: the bundle is on this Mac, so the answer says where, with `sendError` saying why.
 */
export async function createReport(context: ReportContext, send: boolean): Promise<ProblemReport> {
  const { home, backend } = context;
  const { id, path, sizeBytes } = await createProblemReport({ home, backend });
  const written: ProblemReport = { id, path, sizeBytes, sent: false, sendError: null };
  if (!send) return written;
  try {
    const config = await context.config();
    await sendProblemReport({ home, config, transport: createTransport(config), path, id });
    return { ...written, sent: true };
  } catch (error) {
    return { ...written, sendError: toIpcError(error) };
  }
}
