import { EmbeddedPortalNotice, InterruptedBanner } from '../components/notices.tsx';
import type { ControlCenterState, VmAction } from '../model/app-backend.ts';
import { NewVmFlow, type FlowHandlers } from './new-vm-flow.tsx';
import { VmList, type VmActionMessage } from './vm-list.tsx';

/** Props of the Virtual Machines section. */
export interface MachinesSectionProps {
  readonly state: ControlCenterState;
  readonly flow: FlowHandlers;
  readonly selectedVmId?: string | undefined;
  readonly onSelect: (vmId: string) => void;
  readonly onAction: (vmId: string, action: VmAction) => void;
  readonly message?: VmActionMessage | undefined;
  /** Whether the user put off the offer to resume an interrupted download. */
  readonly resumeOfferDismissed: boolean;
  readonly onDismissResumeOffer: () => void;
}

/** The main section: portal note, resume offer, the running "New VM" flow, then the VM list. */
export function MachinesSection(props: MachinesSectionProps) {
  const { state, flow, selectedVmId, onSelect, onAction, message } = props;
  const { resumable } = state;
  return (
    <>
      {resumable && !props.resumeOfferDismissed && state.job.phase === 'idle' && (
        <InterruptedBanner
          download={resumable}
          onResume={flow.onResume}
          onDismiss={props.onDismissResumeOffer}
        />
      )}
      {state.agent.embeddedPortal && (
        <EmbeddedPortalNotice
          portalUrl={state.agent.portalUrl ?? ''}
          onOpenSettings={flow.onOpenSettings}
        />
      )}
      {/* Above the list, so that a registered VM appears, selected, right under the flow. */}
      <NewVmFlow state={state} handlers={flow} />
      <h2 className="visually-hidden">Your virtual machines</h2>
      <VmList
        vms={state.vms}
        job={state.job}
        selectedId={selectedVmId}
        onSelect={onSelect}
        onAction={onAction}
        message={message}
      />
    </>
  );
}
