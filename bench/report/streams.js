// Stream-to-function latency as the write rate grows: PutItem at a fixed rate (open loop) into a table whose
// stream is mapped to a function running in Syncline's functions runtime (worker threads); latency is from the
// PutItem being sent to the function being invoked with that record. No peer runs this path (dynalite ignores
// StreamSpecification; the AppSync simulator has no tables), so the baseline is the write's own round trip.
import { fileURLToPath } from 'node:url';
import { child } from '../lib/children.js';

const SERVER = fileURLToPath(new URL('./streamServer.js', import.meta.url));
const WRITER = fileURLToPath(new URL('./streamWriter.js', import.meta.url));

export async function streams({ stores, rates, seconds, progress }) {
  const results = {};
  for (const store of stores) {
    results[store] = {};
    const writer = child(WRITER, [], { silent: true });
    let server;
    try {
      const { sink } = await writer.request({ type: 'start' }, 10_000);
      server = child(SERVER, [store, sink], { silent: true });
      const { endpoint } = await server.request({ type: 'start' }, 60_000);
      const graceMs = 15_000;
      // Warm-up: the function's worker, the JIT, the poller.
      await writer.request({ type: 'run', endpoint, rate: 100, seconds: 1, prefix: 'warm', graceMs }, 60_000);
      for (const rate of rates) {
        const r = await writer.request(
          { type: 'run', endpoint, rate, seconds, prefix: `r${rate}`, graceMs },
          (seconds * 4 + 60) * 1000,
        );
        results[store][rate] =
          r.failed || r.missing
            ? { error: `${r.failed} writes failed, ${r.missing} records never reached the function`, ...r }
            : r;
        progress(`streams ${store} @${rate}/s: p50 ${r.p50?.toFixed(1)} ms p99 ${r.p99?.toFixed(1)} ms`);
      }
    } catch (error) {
      results[store].error = error.message.replace(/\s+/g, ' ').slice(0, 200);
      progress(`streams ${store}: FAILED ${results[store].error}`);
    } finally {
      await server?.stop();
      await writer.stop();
    }
  }
  return results;
}
