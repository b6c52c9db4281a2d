import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { FetchLike } from './api/admin-client.ts';
import { AdminApp } from './admin-app.tsx';

/** Renders the admin pages into `element`, talking to the portal at `baseUrl`. */
export function mountAdminPages(element: HTMLElement, baseUrl: string, fetch: FetchLike): void {
  createRoot(element).render(
    <StrictMode>
      <AdminApp baseUrl={baseUrl} fetch={fetch} storage={sessionStorage} />
    </StrictMode>,
  );
}

const element = document.getElementById('root');
// The portal serves these pages itself, so its API is at the page's own origin.
if (element) mountAdminPages(element, location.origin, (url, init) => fetch(url, init));
