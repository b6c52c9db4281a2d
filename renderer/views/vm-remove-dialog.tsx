import type { VmView } from '../../shared/ipc-contract.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';

/** Props of Remove's confirmation. */
export interface VmRemoveDialogProps {
  readonly vm: VmView;
  /** `delete` also deletes the VM's folder; `remove` keeps it where it is. */
  readonly onRemove: (action: 'remove' | 'delete') => void;
  readonly onClose: () => void;
}

/** Asks, as a sheet, whether removing the VM should keep its files; Cancel is the default. */
export function VmRemoveDialog({ vm, onRemove, onClose }: VmRemoveDialogProps) {
  return (
    <ConfirmDialog
      title={`Remove “${vm.name}”?`}
      onDismiss={onClose}
      choices={[
        { label: 'Delete Files', tone: 'danger', onChoose: () => onRemove('delete') },
        { label: 'Keep Files', onChoose: () => onRemove('remove') },
        { label: 'Cancel', initial: true, onChoose: onClose },
      ]}
    >
      <p>
        The VM leaves your list. Keep its files to add it again later; deleting them cannot be
        undone.
      </p>
    </ConfirmDialog>
  );
}
