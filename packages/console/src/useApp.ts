import { useCallback, useEffect, useState } from 'react';
import { errorText, getJson } from './api.js';
import type { AppInfo } from './types.js';

/** `GET app`: what the console shows the pages of. Reloaded on demand (after `dev` reloads the app). */
export function useApp(): { app: AppInfo | undefined; error: string | undefined; reload: () => void } {
  const [app, setApp] = useState<AppInfo>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    getJson<AppInfo>('app').then(
      (a) => {
        setApp(a);
        setError(undefined);
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  useEffect(reload, [reload]);
  return { app, error, reload };
}
