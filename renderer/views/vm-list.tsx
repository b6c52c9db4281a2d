import { useState } from 'react';
import type { VmView } from '../../shared/ipc-contract.ts';
import type { VmAction } from '../model/app-backend.ts';
import { VmRow } from './vm-row.tsx';

/** A sentence about the last VM action: where its result went, or why it was refused. */
export interface VmActionMessage {
  readonly text: string;
  readonly isError: boolean;
}

/** Props of the list of registered VMs. */
export interface VmListProps {
  readonly vms: readonly VmView[];
  readonly selectedId?: string | undefined;
  readonly onSelect: (vmId: string) => void;
  readonly onAction: (vmId: string, action: VmAction) => void;
  readonly message?: VmActionMessage | undefined;
}

/** The registered VMs with their facts and actions; every action is a labelled button. */
export function VmList({ vms, selectedId, onSelect, onAction, message }: VmListProps) {
  const [confirmingId, setConfirmingId] = useState<string>();
  return (
    <>
      <p
        role={message?.isError ? 'alert' : 'status'}
        className={message?.isError ? 'inline-error' : 'hint'}
      >
        {message?.text}
      </p>
      {vms.length === 0 ? (
        <p className="empty">
          No virtual machines yet. Choose New Virtual Machine to get your organisation&apos;s VM or
          to create one.
        </p>
      ) : (
        <table className="vm-table">
          <caption className="visually-hidden">Virtual machines</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Architecture</th>
              <th scope="col">Golden image</th>
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
                confirming={vm.uuid === confirmingId}
                onSelect={() => onSelect(vm.uuid)}
                onConfirm={(confirming) => setConfirmingId(confirming ? vm.uuid : undefined)}
                onAction={(action) => {
                  setConfirmingId(undefined);
                  onAction(vm.uuid, action);
                }}
              />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
