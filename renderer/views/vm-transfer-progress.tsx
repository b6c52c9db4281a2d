import type { TransferProgress } from '../../shared/ipc-contract.ts';
import { formatTransferred, percentOf } from '../model/format.ts';

function asTransfer({ readBytes, totalBytes }: TransferProgress) {
  // A total of 0 means the pack has not measured the VM yet.
  return { transferred: readBytes, total: totalBytes > 0 ? totalBytes : null };
}

/** "45%, 1.2 GB of 4 GB", or "Starting…" before the pack knows how much there is to read. */
export function describeTransfer(progress: TransferProgress): string {
  const transfer = asTransfer(progress);
  const percent = percentOf(transfer);
  return percent === undefined ? 'Starting…' : `${percent}%, ${formatTransferred(transfer)}`;
}

/** Prepare for Transfer's bar: how much of the VM's files the archive has taken in so far. */
export function VmTransferBar({
  vmName,
  progress,
}: {
  readonly vmName: string;
  readonly progress: TransferProgress;
}) {
  const transfer = asTransfer(progress);
  const percent = percentOf(transfer);
  return (
    <span className="vm-transfer">
      {/* Without a value the bar is indeterminate: the total is not known yet. */}
      <progress
        aria-label={`Preparing ${vmName} for transfer`}
        aria-valuetext={describeTransfer(progress)}
        max={transfer.total ?? undefined}
        value={transfer.total === null ? undefined : Math.min(transfer.transferred, transfer.total)}
      />
      <span className="vm-transfer-percent" aria-hidden="true">
        {percent === undefined ? '…' : `${percent}%`}
      </span>
    </span>
  );
}
