// One EventSource on `GET events` for the whole page; pages subscribe to the journal events they show and
// refetch when one arrives. Bursts (a batch of deliveries) are coalesced into one refresh.
import { useEffect, useRef } from 'react';
import { apiUrl } from './api.js';
import type { JournalEvent } from './types.js';

type Listener = (event: JournalEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | undefined;

function connect() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource(apiUrl('events'));
  source.onmessage = (message) => {
    let event: JournalEvent;
    try {
      event = JSON.parse(message.data) as JournalEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  };
}

/** Calls `refresh` (at most every 250 ms) after journal events that `matches` accepts. */
export function useLive(matches: (event: JournalEvent) => boolean, refresh: () => void): void {
  const latest = useRef({ matches, refresh });
  latest.current = { matches, refresh };
  useEffect(() => {
    connect();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener: Listener = (event) => {
      if (!latest.current.matches(event) || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        latest.current.refresh();
      }, 250);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (timer) clearTimeout(timer);
    };
  }, []);
}
