import { useEffect, useMemo, useState } from 'react';
import { assertNever } from '../shared/assert-never.ts';
import { ERROR_SENTENCES } from '../shared/codes.ts';
import type { Result } from '../shared/ipc-contract.ts';
import { AppShell, type Section } from './components/app-shell.tsx';
import { useTheme } from './components/theme-toggle.tsx';
import type { AppBackend, ControlCenterState, VmAction } from './model/app-backend.ts';
import { ActivityView } from './views/activity-view.tsx';
import { AgentPropertiesView } from './views/agent-properties-view.tsx';
import { MachinesSection } from './views/machines-section.tsx';
import { isJobRunning, type FlowHandlers } from './views/new-vm-flow.tsx';
import { ProblemReportDialog } from './views/problem-report-dialog.tsx';
import { SettingsView } from './views/settings-view.tsx';
import type { VmActionMessage } from './views/vm-list.tsx';

/** Props of the Control Center. */
export interface AppProps {
  readonly backend: AppBackend;
  /** Writes to the clipboard; the browser's clipboard unless a host provides another. */
  readonly copyText?: (text: string) => Promise<void>;
}

function browserCopy(text: string): Promise<void> {
  return navigator.clipboard.writeText(text);
}

/** The Control Center: binds the views to an `AppBackend` and keeps what is only on screen. */
export function App({ backend, copyText = browserCopy }: AppProps) {
  const [state, setState] = useState<ControlCenterState>();
  const [section, setSection] = useState<Section>('vms');
  const [selectedVmId, setSelectedVmId] = useState<string>();
  const [vmMessage, setVmMessage] = useState<VmActionMessage>();
  const [bannerDismissed, setBannerDismissed] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [reporting, setReporting] = useState(false);
  const [theme, setTheme] = useTheme();

  useEffect(() => backend.subscribe(setState), [backend]);

  const job = state?.job;
  const registeredId =
    job?.phase === 'registered' || job?.phase === 'updated' ? job.vm.uuid : undefined;
  useEffect(() => {
    if (registeredId === undefined) return;
    setSelectedVmId(registeredId);
    setSection('vms');
  }, [registeredId]);

  const handlers = useMemo(() => {
    // Commands answer with data (a refusal shows its sentence); a rejection means no answer at all.
    const send = (command: Promise<Result<unknown> | void>) => {
      setProblem(undefined);
      command.then(
        (result) => {
          if (result && !result.ok) setProblem(ERROR_SENTENCES[result.error.code]);
        },
        (error: unknown) => setProblem(`The Provisim agent did not answer: ${String(error)}`),
      );
    };
    const startNewVm = () => {
      setSection('vms');
      setBannerDismissed(true);
      send(backend.startNewVm());
    };
    const flow: FlowHandlers = {
      onAnswer: (answer) => send(backend.answerInvitation(answer)),
      onPause: () => send(backend.pause()),
      onResume: () => send(backend.resume()),
      onCancel: () => send(backend.cancel()),
      // The assistant shows a refusal itself, in its form.
      onCreate: (spec) => {
        setProblem(undefined);
        return backend.createVm(spec).catch((error: unknown): Result<never> => ({
          ok: false,
          error: { code: 'HOST_UNREACHABLE', message: String(error), retryable: true },
        }));
      },
      onRestart: startNewVm,
      onDismiss: () => send(backend.dismiss()),
      onOpenSettings: () => setSection('settings'),
      onCopyDetails: copyText,
    };
    const vmAction = (vmId: string, action: VmAction) => {
      // A new action on this VM replaces its last outcome; another VM's outcome stays with it.
      setVmMessage((current) => (current?.vmId === vmId ? undefined : current));
      const command = backend.vmAction(vmId, action).then((result) => {
        const text = result.ok ? result.value : ERROR_SENTENCES[result.error.code];
        if (text) setVmMessage({ vmId, text, isError: !result.ok });
      });
      send(command);
    };
    return { startNewVm, flow, vmAction };
  }, [backend, copyText]);

  if (!state) {
    return (
      <p className="loading" role="status">
        Connecting to the Provisim agent…
      </p>
    );
  }

  function content(current: ControlCenterState, shown: Section) {
    switch (shown) {
      case 'vms':
        return (
          <MachinesSection
            state={current}
            flow={handlers.flow}
            selectedVmId={selectedVmId}
            onSelect={setSelectedVmId}
            onAction={handlers.vmAction}
            message={vmMessage}
            resumeOfferDismissed={bannerDismissed}
            onDismissResumeOffer={() => setBannerDismissed(true)}
          />
        );
      case 'activity':
        return <ActivityView entries={current.activity} />;
      case 'agent':
        return <AgentPropertiesView agent={current.agent} onConnect={() => backend.connect()} />;
      case 'settings':
        return (
          <SettingsView
            settings={current.settings}
            agent={current.agent}
            onSave={(s) => backend.saveSettings(s)}
          />
        );
      default:
        return assertNever(shown);
    }
  }

  return (
    <AppShell
      section={section}
      onNavigate={setSection}
      onNewVm={handlers.startNewVm}
      newVmBusy={isJobRunning(state.job)}
      pendingEvents={state.activity.filter((entry) => entry.delivery === 'pending').length}
      theme={theme}
      onThemeChange={setTheme}
      onSendReport={() => setReporting(true)}
      notices={
        problem && (
          <p role="alert" className="inline-error">
            {problem}
          </p>
        )
      }
    >
      {content(state, section)}
      {reporting && (
        <ProblemReportDialog
          onCreate={(send) => backend.createReport(send)}
          onClose={() => setReporting(false)}
        />
      )}
    </AppShell>
  );
}
