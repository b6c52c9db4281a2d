import { BusyStep } from '../components/flow-step.tsx';
import { formatTransferred } from '../model/format.ts';
import { assertNever, type JobPhase } from '../model/view-types.ts';

/** The phases in which the agent works and the user only waits. */
export type BusyPhase = Extract<
  JobPhase,
  { kind: 'checking-policy' | 'verifying' | 'unpacking' | 'registering' | 'creating' }
>;

/** Props of a waiting step. */
export interface BusyPhaseStepProps {
  readonly phase: BusyPhase;
  readonly onCancel: () => void;
}

/** Says what the agent is doing while the user waits; only the policy check can be cancelled. */
export function BusyPhaseStep({ phase, onCancel }: BusyPhaseStepProps) {
  switch (phase.kind) {
    case 'checking-policy':
      return (
        <BusyStep
          phase={phase.kind}
          title="Checking your organisation's policy"
          detail="Asking the management portal whether a corporate VM is waiting for this Mac."
          onCancel={onCancel}
        />
      );
    case 'verifying':
      return (
        <BusyStep
          phase={phase.kind}
          title={`Verifying ${phase.imageName}`}
          detail="Comparing the image with the SHA-256 checksum your administrator published."
        />
      );
    case 'unpacking':
      return (
        <BusyStep
          phase={phase.kind}
          title={`Unpacking ${phase.imageName}`}
          detail={
            phase.progress
              ? `${formatTransferred(phase.progress)} written to the VM folder.`
              : 'Writing the VM into your VM folder.'
          }
        />
      );
    case 'registering':
      return (
        <BusyStep
          phase={phase.kind}
          title={`Registering ${phase.imageName}`}
          detail="Moving the VM into your VM folder and adding it to your virtual machines."
        />
      );
    case 'creating':
      return (
        <BusyStep
          phase={phase.kind}
          title={`Creating ${phase.vmName}`}
          detail="Setting up the new VM's folder, configuration and disk."
        />
      );
    default:
      return assertNever(phase);
  }
}
