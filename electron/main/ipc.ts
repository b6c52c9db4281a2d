import { ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  PUSH_CHANNELS,
  invokeSchemas,
  isInvokeChannel,
  type InvokeChannel,
  type InvokeResults,
  type PushChannel,
  type PushPayloads,
  type Result,
} from '../../shared/ipc-contract.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import type { AppService } from '../app/app-service.ts';
import { failure, unknownChannel } from '../app/ipc-errors.ts';
import { isAppUrl } from './navigation.ts';

/** What the IPC adapter needs from the app service. */
export type ServicePort = Pick<AppService, 'handle' | 'subscribe'>;

/** Our window (when it exists) and the only page allowed to talk to us. */
export interface IpcTarget {
  readonly window: () => BrowserWindow | undefined;
  readonly appUrl: string;
}

/** Whether an IPC event came from our window's main frame showing our own page. */
export function isTrustedSender(event: IpcMainInvokeEvent, target: IpcTarget): boolean {
  const window = target.window();
  if (!window || window.isDestroyed() || event.sender !== window.webContents) return false;
  // senderFrame is null once the frame navigated away or was destroyed; a frame with a parent
  // is an iframe, which could be anyone's page even inside our window.
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url, target.appUrl);
}

/** Checks sender and channel, then asks the service, which validates the payload; always answers with a Result. */
export async function handleInvoke(
  service: ServicePort,
  target: IpcTarget,
  channel: string,
  event: IpcMainInvokeEvent,
  payload: unknown,
): Promise<Result<unknown>> {
  if (!isTrustedSender(event, target)) {
    return failure(
      new ProvisimError('UNKNOWN_CHANNEL', {
        message: 'This request did not come from the Control Center window, so it was refused.',
      }),
    );
  }
  if (!isInvokeChannel(channel)) return failure(unknownChannel(channel));
  try {
    // The service's dispatch parses the payload: one place for the Electron and the web host.
    const result = await service.handle(channel, payload);
    if (result.ok) afterSuccess(channel, result.value);
    return result;
  } catch (error) {
    // Only a thrown error's message would cross IPC: answer with data instead.
    return failure(error);
  }
}

// Side effects only the desktop can perform, run with the service's own answer (never renderer input).
function afterSuccess(channel: InvokeChannel, value: unknown): void {
  if (channel === 'vm:show-in-folder') {
    shell.showItemInFolder((value as InvokeResults['vm:show-in-folder']).path);
  }
}

/** Sends a push message to our window only (dropped while there is none). */
export function sendPush<C extends PushChannel>(
  target: IpcTarget,
  channel: C,
  payload: PushPayloads[C],
): void {
  const window = target.window();
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
  window.webContents.send(channel, payload);
}

/** One ipcMain.handle per contract channel, and every push channel forwarded to our window. */
export function setupIpc(service: ServicePort, target: IpcTarget): () => void {
  const channels = Object.keys(invokeSchemas) as InvokeChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      handleInvoke(service, target, channel, event, payload),
    );
  }
  const unsubscribes = PUSH_CHANNELS.map((channel) =>
    service.subscribe(channel, (payload) => sendPush(target, channel, payload)),
  );
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
