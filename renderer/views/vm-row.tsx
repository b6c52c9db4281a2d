import { formatArch, formatBytes } from '../model/format.ts';
import type { VmAction, VmState, VmView } from '../model/view-types.ts';

const STATE_LABELS: Readonly<Record<VmState, string>> = {
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
  const busy = vm.state === 'packing';
  const running = vm.state === 'running';
  const lockNote = `vm-${vm.id}-locked`;
  // Each button's visible verb is completed by the VM's name for screen readers.
  const named = <span className="visually-hidden">{vm.name}</span>;
  return (
    <tr aria-current={selected ? 'true' : undefined} data-state={vm.state} data-vm-id={vm.id}>
      <th scope="row">
        <button type="button" className="link" aria-pressed={selected} onClick={onSelect}>
          {vm.name}
        </button>
        {vm.corporate && <span className="tag">Corporate</span>}
      </th>
      <td>{formatArch(vm.arch)}</td>
      <td>{vm.sourceImage ?? 'Created on this Mac'}</td>
      <td>{vm.sizeBytes === undefined ? 'Unknown' : formatBytes(vm.sizeBytes)}</td>
      <td>{STATE_LABELS[vm.state]}</td>
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
