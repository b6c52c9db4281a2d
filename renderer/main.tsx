import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ContractClient } from '../shared/ipc-contract.ts';
import { createWebContractClient } from '../shared/web-contract-client.ts';
import { App } from './app.tsx';
import { createContractBackend } from './backend/contract-backend.ts';
import { takePageToken } from './backend/page-token.ts';
import type { AppBackend } from './model/app-backend.ts';

/** Says to open the address browser mode printed, instead of a Control Center whose calls fail. */
function AccessTokenView({ problem }: { readonly problem: 'missing' | 'refused' }) {
  return (
    <main className="content" data-state={`token-${problem}`}>
      <section className="flow-step flow-step-error" aria-labelledby="access-token-title">
        <h1 id="access-token-title">Open the address Provisim printed</h1>
        <p>
          {problem === 'missing'
            ? 'This page was opened without its access token, so it cannot talk to the Provisim agent.'
            : 'The Provisim agent refused this tab’s access token: it has restarted since, or the token was mistyped.'}
        </p>
        <p>
          Open the address that <code>npm run start:web</code> or <code>npm start</code> printed in
          its terminal; it ends in <code>?token=…</code>. Every start prints a new one.
        </p>
      </section>
    </main>
  );
}

function mount(element: HTMLElement, content: ReactNode): void {
  createRoot(element).render(<StrictMode>{content}</StrictMode>);
}

/** Renders the Control Center into `element`, bound to `backend`. */
export function mountControlCenter(element: HTMLElement, backend: AppBackend): void {
  mount(element, <App backend={backend} />);
}

/** Browser mode's contract client, with the tab's access token; undefined when there is none. */
export function webHostClient(): ContractClient | undefined {
  const token = takePageToken(window);
  if (token === undefined) return undefined;
  // The page is served by the web host, so the API is at the page's own origin.
  return createWebContractClient({
    baseUrl: location.origin,
    token,
    fetch: (url, init) => fetch(url, init),
    EventSource,
  });
}

/** Binds the page to the Electron preload's API, else to the web host when the token works. */
export async function startPage(element: HTMLElement): Promise<void> {
  if (window.provisim) return mountControlCenter(element, createContractBackend(window.provisim));
  const client = webHostClient();
  if (!client) return mount(element, <AccessTokenView problem="missing" />);
  // A token kept from an earlier start of the host is refused: say so once, instead of a Control
  // Center that waits for a stream that never opens and whose every call fails.
  const first = await client.invoke('state:get');
  if (!first.ok && first.error.code === 'ACCESS_TOKEN_INVALID') {
    return mount(element, <AccessTokenView problem="refused" />);
  }
  mountControlCenter(element, createContractBackend(client));
}

const element = document.getElementById('root');
if (element) void startPage(element);
