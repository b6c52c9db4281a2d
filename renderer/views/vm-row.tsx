import type { VmView } from '../../shared/ipc-contract.ts';
import type { VmAction } from '../model/app-backend.ts';
import { formatArch, formatBytes } from '../model/format.ts';

const STATE_LABELS: Readonly<Record<ReturnType<typeof rowState>, string>> = {
  stopped: 'Stopped',
  running: 'Running',
  packing: 'Preparing for transfer',
};

/** Props of one VM row. */
export interface VmRowProps {
  readonly vm: VmView;
  readonly selected: boolean;
  readonly confirming: boolean;
  readonly onSelect: () => void;
  readonly onAction: (action: VmAction) => void;
  readonly onConfirm: (confirming: boolean) => void;
}

/** What the row says the VM is doing: packing for transfer wins over its run state. */
function rowState(vm: VmView): VmView['state'] | 'packing' {
  return vm.packing ? 'packing' : vm.state;
}

function RemovalChoice({
  vm,
  onAction,
  onConfirm,
}: Omit<VmRowProps, 'selected' | 'confirming' | 'onSelect'>) {
  return (
    <span role="group" aria-label={`Remove ${vm.name}`} className="row-actions">
      <span>Remove {vm.name}?</span>
      <button type="button" className="danger" onClick={() => onAction('delete')}>
        Move files to Trash
      </button>
      <button type="button" onClick={() => onAction('remove')}>
        Keep files
      </button>
      <button type="button" autoFocus onClick={() => onConfirm(false)}>
        Cancel
      </button>
    </span>
  );
}

/** One VM: its facts, then its actions; Remove asks what to do with the files first. */
export function VmRow({ vm, selected, confirming, onSelect, onAction, onConfirm }: VmRowProps) {
  const state = rowState(vm);
  const busy = state === 'packing';
  const running = state === 'running';
  const lockNote = `vm-${vm.uuid}-locked`;
  // Each button's visible verb is completed by the VM's name for screen readers.
  const named = <span className="visually-hidden">{vm.name}</span>;
  return (
    <tr aria-current={selected ? 'true' : undefined} data-state={state} data-vm-id={vm.uuid}>
      <th scope="row">
        <button type="button" className="link" aria-pressed={selected} onClick={onSelect}>
          {vm.name}
        </button>
        {vm.corporate && <span className="tag">Corporate</span>}
      </th>
      <td>{formatArch(vm.arch)}</td>
      <td>
        {vm.source.kind === 'golden-image' ? vm.source.goldenImageName : 'Created on this Mac'}
      </td>
      <td>{vm.sizeOnDiskBytes === null ? 'Unknown' : formatBytes(vm.sizeOnDiskBytes)}</td>
      <td>{STATE_LABELS[state]}</td>
      <td>
        {confirming ? (
          <RemovalChoice vm={vm} onAction={onAction} onConfirm={onConfirm} />
        ) : (
          <span className="row-actions">
            <button
              type="button"
              disabled={busy}
              onClick={() => onAction(running ? 'stop' : 'start')}
            >
              {running ? 'Stop' : 'Start'} {named}
            </button>
            <button type="button" onClick={() => onAction('show-in-folder')}>
              Show in folder {named}
            </button>
            <button
              type="button"
              disabled={busy || running}
              onClick={() => onAction('prepare-for-transfer')}
            >
              Prepare for Transfer {named}
            </button>
            <button
              type="button"
              disabled={busy || running || !vm.removable}
              aria-describedby={vm.removable ? undefined : lockNote}
              onClick={() => onConfirm(true)}
            >
              Remove {named}
            </button>
            {!vm.removable && (
              <span id={lockNote} className="hint">
                {vm.corporate
                  ? 'Your organisation keeps its corporate VMs on this Mac.'
                  : 'This VM cannot be removed.'}
              </span>
            )}
          </span>
        )}
      </td>
    </tr>
  );
}
