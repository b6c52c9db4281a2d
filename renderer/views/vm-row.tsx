import type { VmView } from '../../shared/ipc-contract.ts';
import type { VmAction } from '../model/app-backend.ts';
import { formatArch, formatBytes } from '../model/format.ts';
import { VmRowActions } from './vm-actions.tsx';
import { vmOs, VmOsIcon } from './vm-os.tsx';
import { vmStateLabel } from './vm-properties.tsx';
import { VmTransferBar } from './vm-transfer-progress.tsx';

/** Props of one VM row. */
export interface VmRowProps {
  readonly vm: VmView;
  readonly selected: boolean;
  readonly onSelect: () => void;
  readonly onAction: (action: VmAction) => void;
  readonly onRemove: () => void;
}

/** One VM: its icon, name and system, where it came from, its size, state and actions. */
export function VmRow({ vm, selected, onSelect, onAction, onRemove }: VmRowProps) {
  const os = vmOs(vm);
  const state = vm.packing ? 'packing' : vm.state;
  return (
    // A click anywhere in the row selects the VM, as in a Mac list; the name is the keyboard's way.
    <tr
      aria-current={selected ? 'true' : undefined}
      data-state={state}
      data-vm-id={vm.uuid}
      onClick={onSelect}
    >
      <th scope="row">
        <span className="vm-name-cell">
          <VmOsIcon os={os} size="small" />
          <span>
            <button type="button" className="vm-name" aria-pressed={selected} onClick={onSelect}>
              {vm.name}
            </button>
            {vm.corporate && <span className="tag">Corporate</span>}
            <span className="vm-subline" data-os={os.family}>
              {os.label} · {formatArch(vm.arch)}
            </span>
          </span>
        </span>
      </th>
      <td>
        {vm.source.kind === 'golden-image' ? vm.source.goldenImageName : 'Created on this Mac'}
      </td>
      <td className="vm-size">
        {vm.sizeOnDiskBytes === null ? 'Unknown' : formatBytes(vm.sizeOnDiskBytes)}
      </td>
      <td className="vm-state">
        {vmStateLabel(vm)}
        {vm.packing && <VmTransferBar vmName={vm.name} progress={vm.packing} />}
      </td>
      <td>
        <VmRowActions vm={vm} onAction={onAction} onRemove={onRemove} />
      </td>
    </tr>
  );
}
