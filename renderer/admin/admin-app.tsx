import { useMemo, useState } from 'react';
import { assertNever } from '../../shared/assert-never.ts';
import {
  createAdminClient,
  readStoredToken,
  storeToken,
  type AdminClient,
  type FetchLike,
  type TokenStorage,
} from './api/admin-client.ts';
import { pageErrors } from './api/problem-words.ts';
import { AdminShell, type AdminPage } from './components/admin-shell.tsx';
import { toApiError } from './components/api-error-notice.tsx';
import { SignInForm } from './components/sign-in-form.tsx';
import { EventsPage } from './pages/events-page.tsx';
import { FaultsPage } from './pages/faults-page.tsx';
import { FleetPage } from './pages/fleet-page.tsx';
import { GoldenImagesPage } from './pages/golden-images-page.tsx';
import { LicenseKeysPage } from './pages/license-keys-page.tsx';
import { PoliciesPage } from './pages/policies-page.tsx';
import { ProfilesPage } from './pages/profiles-page.tsx';
import { ReportsPage } from './pages/reports-page.tsx';
import { RolloutPage } from './pages/rollout-page.tsx';
import { UserGroupsPage } from './pages/user-groups-page.tsx';

const TOKEN_STOPPED_WORKING =
  'The admin token stopped working: the portal may have been started again with another one. Sign in with the token in the admin-token file of its data folder.';

/** Props of the admin site: the portal's address, how to reach it, where the token is kept. */
export interface AdminAppProps {
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly storage?: TokenStorage;
}

/** The admin pages: the sign-in form until a token works, then the sidebar and the pages. */
export function AdminApp({ baseUrl, fetch, storage }: AdminAppProps) {
  const [token, setToken] = useState(() => readStoredToken(storage));
  const [message, setMessage] = useState<string | null>(null);
  const [page, setPage] = useState<AdminPage>('golden-images');
  // Set by a sign-in: the first page's title takes the focus, so it does not fall to the page.
  const [signedIn, setSignedIn] = useState(false);

  const signOut = (sentence: string | null): void => {
    storeToken(storage, null);
    setToken(null);
    setSignedIn(false);
    setMessage(sentence);
  };
  const clientFor = (value: string): AdminClient =>
    createAdminClient({
      baseUrl,
      token: value,
      fetch,
      onUnauthorized: () => signOut(TOKEN_STOPPED_WORKING),
    });
  // One client per token, so that the pages' effects do not run again on every render.
  const client = useMemo(() => (token ? clientFor(token) : null), [token]);

  const signIn = async (candidate: string): Promise<string | null> => {
    try {
      // Any admin call tells whether the token opens the API; the overview is the smallest.
      await createAdminClient({ baseUrl, token: candidate, fetch, onUnauthorized: () => {} }).admin(
        'GET',
        '/overview',
      );
    } catch (error) {
      return pageErrors(toApiError(error), { form: 'list' }).summary;
    }
    storeToken(storage, candidate);
    setMessage(null);
    setSignedIn(true);
    setToken(candidate);
    return null;
  };

  if (!client) return <SignInForm message={message} onSignIn={signIn} />;
  return (
    <AdminShell
      page={page}
      onNavigate={setPage}
      onSignOut={() => signOut(null)}
      focusTitle={signedIn}
    >
      <PageContent page={page} client={client} />
    </AdminShell>
  );
}

function PageContent({ page, client }: { page: AdminPage; client: AdminClient }) {
  switch (page) {
    case 'golden-images':
      return <GoldenImagesPage client={client} />;
    case 'user-groups':
      return <UserGroupsPage client={client} />;
    case 'license-keys':
      return <LicenseKeysPage client={client} />;
    case 'policies':
      return <PoliciesPage client={client} />;
    case 'profiles':
      return <ProfilesPage client={client} />;
    case 'vms':
      return <FleetPage client={client} />;
    case 'rollout':
      return <RolloutPage client={client} />;
    case 'events':
      return <EventsPage client={client} />;
    case 'reports':
      return <ReportsPage client={client} />;
    case 'faults':
      return <FaultsPage client={client} />;
    default:
      return assertNever(page);
  }
}
