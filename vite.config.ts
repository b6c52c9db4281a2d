import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { contentSecurityPolicyMeta } from './electron/launch/content-security-policy-meta.ts';

const page = (path: string): string => fileURLToPath(new URL(`renderer/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('renderer/', import.meta.url)),
  // Relative asset URLs, so Electron can load the build from file:// as well as over HTTP.
  base: './',
  plugins: [react(), contentSecurityPolicyMeta()],
  build: {
    outDir: fileURLToPath(new URL('dist/renderer/', import.meta.url)),
    emptyOutDir: true,
    // Two pages: the Control Center, and the admin pages the portal serves at /admin.
    rollupOptions: {
      input: { main: page('index.html'), admin: page('admin/index.html') },
    },
  },
});
