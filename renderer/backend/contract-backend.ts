import { assertNever } from '../../shared/assert-never.ts';
import type { ContractClient, Result, TransferArchive } from '../../shared/ipc-contract.ts';
import type { AppBackend, VmAction } from '../model/app-backend.ts';
import { ContractState } from './contract-state.ts';

/** The answer, its value replaced by the sentence saying where the result went, if any. */
async function saying<T>(
  pending: Promise<Result<T>>,
  sentence: (value: T) => string | null = () => null,
): Promise<Result<string | null>> {
  const result = await pending;
  return result.ok ? { ok: true, value: sentence(result.value) } : result;
}

/** Where the archive went; a pack the user cancelled is what they asked for, not an error. */
async function preparedForTransfer(
  pending: Promise<Result<TransferArchive>>,
): Promise<Result<string | null>> {
  const result = await pending;
  if (result.ok) {
    const { archivePath, sha256Path } = result.value;
    return { ok: true, value: `Prepared for transfer: ${archivePath}, checksum in ${sha256Path}` };
  }
  if (result.error.code === 'CANCELLED') {
    return { ok: true, value: 'Prepare for Transfer was cancelled.' };
  }
  return result;
}

function runVmAction(
  client: ContractClient,
  uuid: string,
  action: VmAction,
): Promise<Result<string | null>> {
  switch (action) {
    case 'start':
      return saying(client.invoke('vm:start', { uuid }));
    case 'stop':
      return saying(client.invoke('vm:stop', { uuid }));
    case 'remove':
    case 'delete':
      return saying(client.invoke('vm:remove', { uuid, deleteFiles: action === 'delete' }));
    case 'show-in-folder':
      return saying(
        client.invoke('vm:show-in-folder', { uuid }),
        ({ path }) => `Its folder: ${path}`,
      );
    case 'prepare-for-transfer':
      return preparedForTransfer(client.invoke('vm:prepare-transfer', { uuid }));
    case 'cancel-transfer':
      return saying(client.invoke('vm:cancel-transfer', { uuid }));
    default:
      return assertNever(action);
  }
}

/** The Control Center's backend over a contract client: the Electron preload or the web client. */
export function createContractBackend(client: ContractClient): AppBackend {
  const state = new ContractState(client);
  return {
    subscribe: (listener) => state.subscribe(listener),
    startNewVm: () => client.invoke('job:start-new-vm'),
    answerInvitation: (answer) => client.invoke('job:answer-invitation', { answer }),
    pause: () => client.invoke('job:pause'),
    resume: () => client.invoke('job:resume'),
    cancel: () => client.invoke('job:cancel'),
    dismiss: () => client.invoke('job:dismiss'),
    createVm: (spec) => client.invoke('assistant:create-vm', spec),
    vmAction: (vmId, action) => runVmAction(client, vmId, action),
    saveSettings: (settings) => client.invoke('settings:save', settings),
    connect: () => client.invoke('agent:connect'),
    createReport: (send) => client.invoke('report:create', { send }),
  };
}
