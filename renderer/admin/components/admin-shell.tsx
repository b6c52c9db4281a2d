import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { ThemeToggle, useTheme } from '../../components/theme-toggle.tsx';

/** A page of the admin site the sidebar leads to. */
export type AdminPage =
  | 'golden-images'
  | 'user-groups'
  | 'license-keys'
  | 'policies'
  | 'profiles'
  | 'vms'
  | 'rollout'
  | 'events'
  | 'reports'
  | 'faults';

/** The sidebar entries, in order, with their titles. */
export const ADMIN_PAGES: readonly { readonly id: AdminPage; readonly label: string }[] = [
  { id: 'golden-images', label: 'Golden Images' },
  { id: 'user-groups', label: 'User Groups' },
  { id: 'license-keys', label: 'License Keys' },
  { id: 'policies', label: 'Policies' },
  { id: 'profiles', label: 'Configuration Profiles' },
  { id: 'vms', label: 'Virtual Machines' },
  { id: 'rollout', label: 'Rollout' },
  { id: 'events', label: 'Events' },
  { id: 'reports', label: 'Problem reports' },
  { id: 'faults', label: 'Faults' },
];

/** Props of the frame around every admin page. */
export interface AdminShellProps {
  readonly page: AdminPage;
  readonly onNavigate: (page: AdminPage) => void;
  readonly onSignOut: () => void;
  /** Moves the focus to the page's title once shown (after signing in). */
  readonly focusTitle?: boolean;
  readonly children: ReactNode;
}

/** Sidebar with the pages, the appearance switch and sign-out; then the page under its title. */
export function AdminShell(props: AdminShellProps) {
  const { page, onNavigate, onSignOut, focusTitle = false, children } = props;
  const [theme, setTheme] = useTheme();
  const heading = useRef<HTMLHeadingElement>(null);
  // Before the browser paints or runs a microtask: the sign-in form that had the focus is gone in
  // the same commit, and a later effect would leave the focus on <body> in between.
  useLayoutEffect(() => {
    if (focusTitle) heading.current?.focus();
  }, [focusTitle]);
  const title = ADMIN_PAGES.find((entry) => entry.id === page)?.label ?? '';
  return (
    <div className="shell">
      <aside className="sidebar">
        <p className="app-name">Provisim Management Portal</p>
        <nav aria-label="Pages">
          <ul className="nav-list">
            {ADMIN_PAGES.map((entry) => (
              <li key={entry.id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={entry.id === page ? 'page' : undefined}
                  onClick={() => onNavigate(entry.id)}
                >
                  {entry.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
        <ThemeToggle theme={theme} onChange={setTheme} />
      </aside>
      <main className="content" aria-labelledby="page-title">
        <h1 id="page-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </main>
    </div>
  );
}
