import type { MouseEvent, ReactNode } from 'react';
import { ThemeToggle, type ThemeChoice } from './theme-toggle.tsx';

/** A part of the Control Center the sidebar leads to. */
export type Section = 'vms' | 'activity' | 'agent' | 'settings';

/** The sidebar entries, in order, with their titles. */
export const SECTIONS: readonly { readonly id: Section; readonly label: string }[] = [
  { id: 'vms', label: 'Virtual Machines' },
  { id: 'activity', label: 'Activity' },
  { id: 'agent', label: 'Agent' },
  { id: 'settings', label: 'Settings' },
];

/** Props of the window frame around every section. */
export interface AppShellProps {
  readonly section: Section;
  readonly onNavigate: (section: Section) => void;
  readonly onNewVm: () => void;
  /** Set while a job runs: one "New VM" flow at a time. */
  readonly newVmBusy: boolean;
  readonly pendingEvents: number;
  readonly theme: ThemeChoice;
  readonly onThemeChange: (theme: ThemeChoice) => void;
  /** Help → Send Problem Report: opens its dialog. */
  readonly onSendReport: () => void;
  readonly notices?: ReactNode;
  readonly children: ReactNode;
}

const MAIN_ID = 'main-content';

// Moves the focus itself: following the link would also change the page's address.
function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById(MAIN_ID)?.focus();
}

/** The Control Center window: sidebar with the primary action and sections, then the content. */
export function AppShell(props: AppShellProps) {
  const { section, onNavigate, onNewVm, newVmBusy, pendingEvents, notices, children } = props;
  const title = SECTIONS.find((entry) => entry.id === section)?.label ?? '';
  return (
    <div className="shell">
      <a className="skip-link" href={`#${MAIN_ID}`} onClick={skipToMain}>
        Skip to main content
      </a>
      <aside className="sidebar">
        <p className="app-name">Provisim Control Center</p>
        <button
          type="button"
          className="primary new-vm"
          onClick={onNewVm}
          disabled={newVmBusy}
          aria-describedby={newVmBusy ? 'new-vm-busy' : undefined}
        >
          New Virtual Machine
        </button>
        {newVmBusy && (
          <p id="new-vm-busy" className="hint">
            A new VM is being set up.
          </p>
        )}
        <nav aria-label="Sections">
          <ul className="nav-list">
            {SECTIONS.map((entry) => (
              <li key={entry.id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={entry.id === section ? 'page' : undefined}
                  onClick={() => onNavigate(entry.id)}
                >
                  {entry.label}
                  {entry.id === 'activity' && pendingEvents > 0 && (
                    <>
                      <span className="badge" aria-hidden="true">
                        {pendingEvents}
                      </span>
                      <span className="visually-hidden">, {pendingEvents} not yet delivered</span>
                    </>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-help" role="group" aria-label="Help">
          <button type="button" onClick={props.onSendReport}>
            Send Problem Report…
          </button>
        </div>
        <ThemeToggle theme={props.theme} onChange={props.onThemeChange} />
      </aside>
      {/* Focusable from the skip link only (tabIndex -1), not a stop of its own. */}
      <main id={MAIN_ID} className="content" aria-labelledby="section-title" tabIndex={-1}>
        <h1 id="section-title">{title}</h1>
        {notices}
        {children}
      </main>
    </div>
  );
}
