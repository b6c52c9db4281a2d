import { useId } from 'react';
import type { VmView } from '../../shared/ipc-contract.ts';
import type { VmAction } from '../model/app-backend.ts';

/** Why each of a VM's actions cannot be used now; null where it can. */
export interface ActionReasons {
  /** Start or Stop. */
  readonly power: string | null;
  readonly transfer: string | null;
  readonly remove: string | null;
}

const PACKING = 'Being prepared for transfer.';

/** Why the corporate or other VM may never be removed on this Mac, or null when it may. */
export function removalBlockedReason(vm: VmView): string | null {
  if (vm.removable) return null;
  return vm.corporate
    ? 'Your organisation does not allow removing corporate VMs.'
    : 'This VM cannot be removed.';
}

/** The reason behind every disabled action of a VM: a pack under way, a running VM, the policy. */
export function actionReasons(vm: VmView): ActionReasons {
  const packing = vm.packing !== null;
  const running = vm.state === 'running';
  return {
    power: packing ? PACKING : null,
    // While it packs, the button becomes Cancel Transfer, which is always available.
    transfer: running ? 'Stop the VM before preparing it for transfer.' : null,
    remove: packing
      ? PACKING
      : (removalBlockedReason(vm) ?? (running ? 'Stop the VM before removing it.' : null)),
  };
}

/** Props of a row's actions. */
export interface VmRowActionsProps {
  readonly vm: VmView;
  readonly onAction: (action: VmAction) => void;
  /** Remove asks first: it opens the confirmation. */
  readonly onRemove: () => void;
}

/** The row's four actions on one line, each disabled one described by its reason below them. */
export function VmRowActions({ vm, onAction, onRemove }: VmRowActionsProps) {
  const prefix = useId();
  const reasons = actionReasons(vm);
  // One line per distinct reason; buttons with the same reason share it.
  const lines = [...new Set([reasons.power, reasons.transfer, reasons.remove])].filter(
    (reason): reason is string => reason !== null,
  );
  const describedBy = (reason: string | null) =>
    reason === null ? undefined : `${prefix}-${lines.indexOf(reason)}`;
  const running = vm.state === 'running';
  // Each button's visible verb is completed by the VM's name for screen readers.
  const named = <span className="visually-hidden">{vm.name}</span>;
  return (
    <div className="vm-actions">
      <div className="vm-buttons">
        <button
          type="button"
          disabled={reasons.power !== null}
          aria-describedby={describedBy(reasons.power)}
          onClick={() => onAction(running ? 'stop' : 'start')}
        >
          {running ? 'Stop' : 'Start'} {named}
        </button>
        <button type="button" onClick={() => onAction('show-in-folder')}>
          Show in folder {named}
        </button>
        {vm.packing ? (
          <button type="button" onClick={() => onAction('cancel-transfer')}>
            Cancel Transfer {named}
          </button>
        ) : (
          <button
            type="button"
            disabled={reasons.transfer !== null}
            aria-describedby={describedBy(reasons.transfer)}
            onClick={() => onAction('prepare-for-transfer')}
          >
            Prepare for Transfer {named}
          </button>
        )}
        <button
          type="button"
          disabled={reasons.remove !== null}
          aria-describedby={describedBy(reasons.remove)}
          onClick={onRemove}
        >
          Remove {named}
        </button>
      </div>
      {lines.map((line, index) => (
        <p key={line} id={`${prefix}-${index}`} className="vm-reason">
          {line}
        </p>
      ))}
    </div>
  );
}
