import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import type { AppBackend } from './model/app-backend.ts';

/** Renders the Control Center into `element`, bound to `backend`. */
export function mountControlCenter(element: HTMLElement, backend: AppBackend): void {
  createRoot(element).render(
    <StrictMode>
      <App backend={backend} />
    </StrictMode>,
  );
}

const element = document.getElementById('root');
// The host installs its adapter here (the preload in Electron, a client in browser mode) until
// the adapters over shared/ipc-contract.ts are wired in this entry point.
const backend = (globalThis as { provisimBackend?: AppBackend }).provisimBackend;
if (element && backend) {
  mountControlCenter(element, backend);
} else if (element) {
  element.textContent = 'The Control Center could not reach the Provisim agent.';
}
