import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ContractClient } from '../shared/ipc-contract.ts';
import { createWebContractClient } from '../shared/web-contract-client.ts';
import { App } from './app.tsx';
import { createContractBackend } from './backend/contract-backend.ts';
import type { AppBackend } from './model/app-backend.ts';

/** Renders the Control Center into `element`, bound to `backend`. */
export function mountControlCenter(element: HTMLElement, backend: AppBackend): void {
  createRoot(element).render(
    <StrictMode>
      <App backend={backend} />
    </StrictMode>,
  );
}

/** The contract client of this page: the Electron preload's API, else the web host's over HTTP. */
export function pageContractClient(): ContractClient {
  return (
    window.provisim ??
    // Browser mode: the page is served by the web host, so the API is at the page's own origin.
    createWebContractClient({
      baseUrl: location.origin,
      fetch: (url, init) => fetch(url, init),
      EventSource,
    })
  );
}

const element = document.getElementById('root');
if (element) mountControlCenter(element, createContractBackend(pageContractClient()));
