// GET /_console/api/events: the journal live, as Server-Sent Events (`data: <JournalEvent JSON>`), for the
// console's live pages and `syncline logs --follow`. A client that stops reading is dropped rather than
// buffered without bound; a comment line every 15 s keeps proxies from closing an idle stream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Journal } from '../trace/types.js';

const KEEP_ALIVE_MS = 15_000;
/** Bytes a slow reader may leave unsent before it is disconnected. */
const MAX_BUFFERED = 1024 * 1024;

export function serveEvents(req: IncomingMessage, res: ServerResponse, journal: Journal | undefined): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  // The client's reconnect delay; and a first line so EventSource fires `open` at once.
  res.write('retry: 2000\n: connected\n\n');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const unsubscribe =
    journal?.subscribe((event) => {
      if (res.writableLength > MAX_BUFFERED) {
        res.destroy();
        return;
      }
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    }) ?? (() => {});
  const timer = setInterval(() => res.write(': ka\n\n'), KEEP_ALIVE_MS);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    unsubscribe();
  };
  res.once('close', stop);
  req.once('close', stop);
}
