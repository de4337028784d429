import { useCallback, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The address's query with updates that compose: react-router's functional setSearchParams starts from the params
 * of the last render, so two updates in one event (select an insight, then close the dialog) would lose the first.
 * This keeps the latest intended params until the next render catches up.
 */
export function useParamsUpdate(): [URLSearchParams, (change: (next: URLSearchParams) => void, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const latest = useRef<{ from: URLSearchParams; value: URLSearchParams } | null>(null);
  const update = useCallback(
    (change: (next: URLSearchParams) => void, options: { replace?: boolean } = {}) => {
      const base = latest.current && latest.current.from === params ? latest.current.value : params;
      const next = new URLSearchParams(base);
      change(next);
      latest.current = { from: params, value: next };
      setParams(next, { replace: options.replace ?? false });
    },
    [params, setParams],
  );
  return [params, update];
}
