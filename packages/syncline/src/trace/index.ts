// What the server remembers of recent work (the journal) and where it sends it (OTLP, when configured).
import type { Capability, ServerContext } from '../server/capability.js';
import type { OtlpExport, OtlpSettings } from './otlp.js';

export { createJournal, type JournalWriter, type SpanParent } from './journal.js';
export { type OtlpSettings, otlpFromEnv, otlpSettings } from './otlp.js';
export type * from './types.js';

/** How long closing waits for the last spans to reach the collector: an unreachable one must not hold a shutdown. */
const SHUTDOWN_MS = 2000;

/** Exports every span the journal records over OTLP/HTTP; the SDK is imported at start, only when configured. */
export function traceExportCapability(ctx: ServerContext, settings: OtlpSettings): Capability {
  let exporter: OtlpExport | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'trace-export',
    async start() {
      const { startOtlpExport } = await import('./otlp.js');
      const started = await startOtlpExport(settings, ctx.app().name);
      exporter = started;
      unsubscribe = ctx.journal.subscribe((event) => {
        if (event.type === 'span') started.export(event.span);
      });
      ctx.log.debug({ url: settings.url }, 'exporting traces over OTLP');
    },
    // Closed last (it is started first): spans recorded while the rest shuts down are still sent.
    async close() {
      unsubscribe?.();
      if (!exporter) return;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_MS, 'late');
        timer.unref();
      });
      const outcome = await Promise.race([exporter.shutdown().catch((err: unknown) => err), late]);
      clearTimeout(timer);
      exporter = undefined;
      if (outcome === 'late') ctx.log.warn({ url: settings.url }, 'OTLP collector did not take the last spans in time');
      else if (outcome) ctx.log.warn({ err: outcome }, 'OTLP trace export failed at shutdown');
    },
  };
}
