import { Fragment, useId } from 'react';
import type { VmView } from '../../shared/ipc-contract.ts';
import { formatArch, formatBytes, formatDateTime } from '../model/format.ts';
import { removalBlockedReason } from './vm-actions.tsx';
import { vmOs, VmOsIcon } from './vm-os.tsx';
import { describeTransfer } from './vm-transfer-progress.tsx';

/** A sentence about the last VM action: where its result went, or why it was refused. */
export interface VmActionMessage {
  /** The VM the action was about: the sentence shows in that VM's properties only. */
  readonly vmId: string;
  readonly text: string;
  readonly isError: boolean;
}

/** Props of the properties pane of the selected VM. */
export interface VmPropertiesProps {
  readonly vm: VmView;
  /** The outcome of the last action on this VM, shown with its facts. */
  readonly message?: VmActionMessage | undefined;
  readonly onShowInFolder: () => void;
}

/** What the VM is doing, in words: a pack under way wins over its run state. */
export function vmStateLabel(vm: VmView): string {
  if (vm.packing) return 'Preparing for transfer';
  return vm.state === 'running' ? 'Running' : 'Stopped';
}

// A checksum may wrap only between its 16-character quarters, never mid-quarter.
function Checksum({ sha256 }: { readonly sha256: string }) {
  const quarters = sha256.match(/.{1,16}/g) ?? [];
  return quarters.map((quarter, index) => (
    <Fragment key={index}>
      {index > 0 && <wbr />}
      {quarter}
    </Fragment>
  ));
}

function Source({ vm }: { readonly vm: VmView }) {
  if (vm.source.kind === 'assistant') return <>Created in the Installation Assistant</>;
  return <>Golden image “{vm.source.goldenImageName}”</>;
}

/** The selected VM's properties, as the Control Center's info pane shows them. */
export function VmProperties({ vm, message, onShowInFolder }: VmPropertiesProps) {
  const titleId = useId();
  const os = vmOs(vm);
  const blocked = removalBlockedReason(vm);
  return (
    <section className="vm-properties" aria-labelledby={titleId} data-vm-id={vm.uuid}>
      <header className="vm-properties-header">
        <VmOsIcon os={os} size="large" />
        <div>
          <h3 id={titleId} className="vm-properties-title">
            {vm.name}
          </h3>
          <p className="vm-subline">
            {os.label} · {formatArch(vm.arch)} · {vmStateLabel(vm)}
          </p>
        </div>
      </header>
      <p
        role={message?.isError ? 'alert' : 'status'}
        className={message?.isError ? 'inline-error vm-message' : 'vm-message'}
      >
        {message?.text}
      </p>
      <dl className="facts vm-facts">
        <dt>Operating system</dt>
        <dd>
          {os.label}
          {os.guessed && (
            <span className="vm-fact-note">
              Going by its name: the golden image does not state its operating system.
            </span>
          )}
        </dd>
        <dt>Architecture</dt>
        <dd>{formatArch(vm.arch)}</dd>
        <dt>State</dt>
        <dd>
          {vmStateLabel(vm)}
          {vm.packing && <span className="vm-fact-note">{describeTransfer(vm.packing)}</span>}
        </dd>
        <dt>Source</dt>
        <dd>
          <Source vm={vm} />
        </dd>
        {vm.source.kind === 'golden-image' && (
          <>
            <dt>SHA-256</dt>
            <dd className="mono vm-hash">
              <Checksum sha256={vm.source.sha256} />
            </dd>
          </>
        )}
        <dt>Registered</dt>
        <dd>{formatDateTime(vm.registeredAt)}</dd>
        <dt>Folder</dt>
        <dd className="vm-folder">
          <span className="mono vm-path">{vm.path}</span>
          <button type="button" onClick={onShowInFolder}>
            Show in Finder
          </button>
        </dd>
        <dt>Size on disk</dt>
        <dd>{vm.sizeOnDiskBytes === null ? 'Unknown' : formatBytes(vm.sizeOnDiskBytes)}</dd>
        <dt>Corporate</dt>
        <dd>{vm.corporate ? 'Yes, managed by your organisation' : 'No, your own VM'}</dd>
        <dt>Removable</dt>
        <dd>{blocked === null ? 'Yes' : `No. ${blocked}`}</dd>
      </dl>
    </section>
  );
}
