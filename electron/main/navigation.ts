import { shell, type WebContents } from 'electron';

/** Whether a URL is an http(s) address, the only kind handed to the system browser. */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Whether a URL is the app's own page (any #fragment; no other file, no query). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const candidate = new URL(url);
    const own = new URL(appUrl);
    candidate.hash = '';
    own.hash = '';
    return candidate.protocol === 'file:' && candidate.href === own.href;
  } catch {
    return false;
  }
}

/** Opens an http(s) link in the system browser; anything else (file:, javascript:, smb:) is dropped. */
export function openExternalLink(url: string): boolean {
  if (!isWebUrl(url)) return false;
  // Fire and forget: a browser that fails to open is not the window's problem.
  void shell.openExternal(url).catch(() => undefined);
  return true;
}

/** Denies new windows and webviews, blocks navigation away from the app page, refuses permissions. */
export function setupNavigationGuards(contents: WebContents, appUrl: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url);
    return { action: 'deny' };
  });
  const stayHome = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url, appUrl)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The Control Center needs no camera, geolocation or the like; notifications come from main.
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  contents.session.setPermissionCheckHandler(() => false);
}
