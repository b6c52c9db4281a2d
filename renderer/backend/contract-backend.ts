import type { ContractClient, Result } from '../../shared/ipc-contract.ts';
import type { ActionResult, AppBackend } from '../model/app-backend.ts';
import { assertNever, type VmAction } from '../model/view-types.ts';
import { ContractState } from './contract-state.ts';

/** A contract Result as the ActionResult the views read, with `extra` taken from the value. */
function toActionResult<T, E extends object>(
  result: Result<T>,
  extra: (value: T) => E,
): ActionResult<E> {
  return result.ok ? { ok: true, ...extra(result.value) } : { ok: false, error: result.error };
}

type VmActionResult = ActionResult<{ readonly message?: string }>;

const nothing = () => ({});

async function answer(pending: Promise<Result<unknown>>): Promise<ActionResult> {
  return toActionResult(await pending, nothing);
}

async function runVmAction(
  client: ContractClient,
  uuid: string,
  action: VmAction,
): Promise<VmActionResult> {
  switch (action) {
    case 'start':
      return answer(client.invoke('vm:start', { uuid }));
    case 'stop':
      return answer(client.invoke('vm:stop', { uuid }));
    case 'remove':
    case 'delete':
      return answer(client.invoke('vm:remove', { uuid, deleteFiles: action === 'delete' }));
    case 'show-in-folder':
      return toActionResult(await client.invoke('vm:show-in-folder', { uuid }), ({ path }) => ({
        message: `Its folder: ${path}`,
      }));
    case 'prepare-for-transfer':
      return toActionResult(await client.invoke('vm:prepare-transfer', { uuid }), (archive) => ({
        message: `Prepared for transfer: ${archive.archivePath}, checksum in ${archive.sha256Path}`,
      }));
    default:
      return assertNever(action);
  }
}

/** The Control Center's backend over a contract client: the Electron preload or the web client. */
export function createContractBackend(client: ContractClient): AppBackend {
  const state = new ContractState(client);
  return {
    subscribe: (listener) => state.subscribe(listener),
    startNewVm: () => answer(client.invoke('job:start-new-vm')),
    answerInvitation: (reply) => answer(client.invoke('job:answer-invitation', { answer: reply })),
    pause: () => answer(client.invoke('job:pause')),
    resume: () => answer(client.invoke('job:resume')),
    cancel: () => answer(client.invoke('job:cancel')),
    dismiss: () => answer(client.invoke('job:dismiss')),
    createVm: (spec) => answer(client.invoke('assistant:create-vm', spec)),
    vmAction: (vmId, action) => runVmAction(client, vmId, action),
    saveSettings: (settings) => answer(client.invoke('settings:save', settings)),
    connect: async () =>
      toActionResult(await client.invoke('agent:connect'), ({ policyChanged }) => ({
        policyChanged,
      })),
  };
}
