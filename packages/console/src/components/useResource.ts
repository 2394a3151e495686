import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../api.js';

/**
 * Loads `load()` on mount and whenever `reload` is called (the live feed calls it). Keeps the last good value.
 * A view showing something else is a different component instance (keyed by what it shows), so it loads anew.
 */
export function useResource<T>(load: () => Promise<T>) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => {
    loader.current().then(
      (v) => {
        setValue(v);
        setError(undefined);
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  useEffect(reload, [reload]);
  return { value, error, reload };
}
