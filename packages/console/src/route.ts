// Hash routing: the console is served under /_console/ and sometimes at /, and the server's SPA fallback is then
// never needed for deep links. `#/tables/Orders` → { page: 'tables', rest: ['Orders'] }.
import { useEffect, useState } from 'react';

export interface Route {
  page: string;
  rest: string[];
}

export function parseHash(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
  return { page: parts[0] ?? 'explorer', rest: parts.slice(1) };
}

export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
