import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import {
  PUSH_CHANNELS,
  isInvokeChannel,
  type ContractClient,
  type InvokeChannel,
  type InvokeResults,
  type PushChannel,
  type Result,
} from '../../shared/ipc-contract.ts';

/** The name of the API object in the renderer's `window`. */
export const PROVISIM_API_KEY = 'provisim';

/** The part of `ipcRenderer` the API uses (tests pass a fake). */
export type IpcRendererPort = Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>;

const isPushChannel = (channel: string): channel is PushChannel =>
  (PUSH_CHANNELS as readonly string[]).includes(channel);

// Answered here, without a round trip: a compromised page gets no raw ipcRenderer to probe with.
function refused<T>(channel: string): Result<T> {
  const name = JSON.stringify(String(channel).slice(0, 80));
  return {
    ok: false,
    error: {
      code: 'UNKNOWN_CHANNEL',
      message: `There is no request named ${name}. ${ERROR_SENTENCES.UNKNOWN_CHANNEL}`,
      retryable: false,
    },
  };
}

/** The contract client the Control Center reaches the main process through. */
export function createProvisimApi(ipc: IpcRendererPort): ContractClient {
  return {
    async invoke<C extends InvokeChannel>(channel: C, payload?: unknown) {
      if (!isInvokeChannel(channel)) return refused<InvokeResults[C]>(channel);
      return (await ipc.invoke(channel, payload)) as Result<InvokeResults[C]>;
    },
    subscribe(channel, listener) {
      if (!isPushChannel(channel)) {
        throw new TypeError(`Unknown push channel: ${JSON.stringify(String(channel))}`);
      }
      // The Electron event stays here: it carries `sender`, which the page must never hold.
      const forward = (_event: IpcRendererEvent, payload: unknown) =>
        listener(payload as Parameters<typeof listener>[0]);
      ipc.on(channel, forward);
      return () => void ipc.removeListener(channel, forward);
    },
  };
}

contextBridge.exposeInMainWorld(PROVISIM_API_KEY, createProvisimApi(ipcRenderer));
