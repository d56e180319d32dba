// The web UI's credential arrives once in the URL fragment (never sent to the server, never in
// logs). It is taken out of the address bar at once and kept only in memory: agent tools can read
// browser profiles, so it must not reach history, localStorage, sessionStorage or cookies.

interface LocationLike {
  hash: string;
  pathname: string;
  search: string;
}
interface HistoryLike {
  replaceState(data: unknown, unused: string, url?: string): void;
}

// Not URLSearchParams: it would turn a base64 `+` into a space.
function fragmentParam(fragment: string, name: string): string | undefined {
  for (const pair of fragment.split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq) !== name) continue;
    try {
      return decodeURIComponent(pair.slice(eq + 1));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function takeFragmentToken(location: LocationLike, history: HistoryLike): string | undefined {
  if (!location.hash) return undefined;
  const token = fragmentParam(location.hash.slice(1), 'token');
  // Drop the whole fragment (even a malformed one) so nothing credential-like stays visible.
  history.replaceState(null, '', location.pathname + location.search);
  return token && /^[\x21-\x7e]{1,512}$/.test(token) ? token : undefined;
}
