/** Where the tab keeps the web host's access token between reloads. */
export const TOKEN_STORAGE_KEY = 'provisim.accessToken';

/** The parts of `window` the token is read from and kept in (no DOM types: tests run in Node). */
export interface TokenPlace {
  readonly location: { readonly href: string };
  readonly history: {
    readonly state: unknown;
    replaceState(data: unknown, unused: string, url: string): void;
  };
  readonly sessionStorage: {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
  };
}

/**
 * The web host's access token for this page: taken from `?token=` in the address (which is then
 * rewritten without it) and kept in the tab's sessionStorage, or read from there after a reload.
 */
export function takePageToken(place: TokenPlace): string | undefined {
  const url = new URL(place.location.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress !== null) {
    url.searchParams.delete('token');
    // Out of the address bar and the history entry, so it is not shared with a screenshot, a
    // copied link or the browser's history; the tab keeps it for reloads.
    place.history.replaceState(place.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  // A token in the address wins over a kept one: after a restart the printed address is new.
  if (fromAddress) {
    keep(place, fromAddress);
    return fromAddress;
  }
  return kept(place);
}

function keep(place: TokenPlace, token: string): void {
  try {
    place.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage refused (full, or turned off): the page still works until it is reloaded.
  }
}

function kept(place: TokenPlace): string | undefined {
  try {
    return place.sessionStorage.getItem(TOKEN_STORAGE_KEY) || undefined;
  } catch {
    return undefined;
  }
}
