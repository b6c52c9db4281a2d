import { useEffect, useRef, useState } from 'react';
import type { JobPhase, VmView } from '../../shared/ipc-contract.ts';
import type { VmAction } from '../model/app-backend.ts';
import { VmEmptyState } from './vm-empty-state.tsx';
import { VmProperties, type VmActionMessage } from './vm-properties.tsx';
import { VmRemoveDialog } from './vm-remove-dialog.tsx';
import { VmRow } from './vm-row.tsx';

export type { VmActionMessage } from './vm-properties.tsx';

/** Props of the list of registered VMs. */
export interface VmListProps {
  readonly vms: readonly VmView[];
  /** The New VM job, which the empty list speaks of while it runs. */
  readonly job: JobPhase;
  readonly selectedId?: string | undefined;
  readonly onSelect: (vmId: string) => void;
  readonly onAction: (vmId: string, action: VmAction) => void;
  /** The outcome of the last action, shown in the properties of the VM it was about. */
  readonly message?: VmActionMessage | undefined;
}

/** The registered VMs, the selected one's properties below them, and Remove's confirmation. */
export function VmList({ vms, job, selectedId, onSelect, onAction, message }: VmListProps) {
  const [removingId, setRemovingId] = useState<string>();
  const [removedId, setRemovedId] = useState<string>();
  const tableRef = useRef<HTMLTableElement>(null);
  const emptyRef = useRef<HTMLDivElement>(null);
  const removing = vms.find((vm) => vm.uuid === removingId);
  const selected = vms.find((vm) => vm.uuid === selectedId);

  // Once a VM the user removed has left the list, the focus it had goes to what took its place.
  useEffect(() => {
    if (removedId === undefined || vms.some((vm) => vm.uuid === removedId)) return;
    setRemovedId(undefined);
    if (document.activeElement !== document.body && document.activeElement !== null) return;
    const next = tableRef.current?.querySelector<HTMLElement>('tbody button[aria-pressed]');
    (next ?? emptyRef.current)?.focus();
  }, [removedId, vms]);

  const act = (vmId: string, action: VmAction) => {
    if (action === 'remove' || action === 'delete') setRemovedId(vmId);
    onAction(vmId, action);
  };

  return (
    <>
      {vms.length === 0 ? (
        <VmEmptyState ref={emptyRef} job={job} />
      ) : (
        <table className="vm-table" ref={tableRef}>
          <caption className="visually-hidden">Virtual machines</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Source</th>
              <th scope="col">Size on disk</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {vms.map((vm) => (
              <VmRow
                key={vm.uuid}
                vm={vm}
                selected={vm.uuid === selectedId}
                onSelect={() => onSelect(vm.uuid)}
                onAction={(action) => act(vm.uuid, action)}
                onRemove={() => setRemovingId(vm.uuid)}
              />
            ))}
          </tbody>
        </table>
      )}
      {selected && (
        <VmProperties
          vm={selected}
          message={message?.vmId === selected.uuid ? message : undefined}
          onShowInFolder={() => act(selected.uuid, 'show-in-folder')}
        />
      )}
      {removing && (
        <VmRemoveDialog
          vm={removing}
          onClose={() => setRemovingId(undefined)}
          onRemove={(action) => {
            setRemovingId(undefined);
            act(removing.uuid, action);
          }}
        />
      )}
    </>
  );
}
