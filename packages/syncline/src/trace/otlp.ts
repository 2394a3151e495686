// OpenTelemetry export of the journal's spans over OTLP/HTTP (JSON), with the official SDK. Loaded only when an
// endpoint is configured, so a server without one never imports it. Spans reach the SDK already finished, with the
// ids the journal gave them: an IdGenerator hands the SDK those ids, and the parent arrives as a remote span
// context, so the exported spans keep the journal's trace, span and parent ids.

import { otelTraceId } from './ids.js';
import type { Span, SpanKind } from './types.js';

export interface OtlpSettings {
  /** The traces URL spans are POSTed to (`http://collector:4318/v1/traces`). */
  url: string;
  /** Extra request headers (OTEL_EXPORTER_OTLP_HEADERS is also read by the exporter itself). */
  headers?: Record<string, string>;
}

/** The OTLP settings the standard environment variables give, or undefined when they name no endpoint. */
export function otlpFromEnv(env: NodeJS.ProcessEnv): OtlpSettings | undefined {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return { url: traces };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  // The base endpoint gets the signal's path appended, as the OTLP exporter specification says.
  if (base) return { url: `${base.replace(/\/+$/, '')}/v1/traces` };
  return undefined;
}

/** `--otlp-endpoint` and `ServerOptions.otlp` take a base endpoint or a full traces URL. */
export function otlpSettings(endpoint: string): OtlpSettings {
  const url = endpoint.replace(/\/+$/, '');
  return { url: url.endsWith('/v1/traces') ? url : `${url}/v1/traces` };
}

export interface OtlpExport {
  export(span: Span): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function startOtlpExport(settings: OtlpSettings, serviceName: string): Promise<OtlpExport> {
  const [api, sdk, { OTLPTraceExporter }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const KINDS: Record<SpanKind, number> = {
    'http-route': api.SpanKind.SERVER,
    graphql: api.SpanKind.SERVER,
    resolver: api.SpanKind.INTERNAL,
    function: api.SpanKind.SERVER,
    'aws-api': api.SpanKind.SERVER,
    'table-write': api.SpanKind.SERVER,
    'stream-batch': api.SpanKind.CONSUMER,
    mutation: api.SpanKind.SERVER,
    delivery: api.SpanKind.PRODUCER,
    schedule: api.SpanKind.INTERNAL,
    event: api.SpanKind.INTERNAL,
  };
  // The ids of the span being handed over; startSpan asks for them synchronously.
  const next = { traceId: '', spanId: '' };
  const provider = new sdk.BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    sampler: new sdk.AlwaysOnSampler(),
    idGenerator: { generateTraceId: () => next.traceId, generateSpanId: () => next.spanId },
    spanProcessors: [
      new sdk.BatchSpanProcessor(new OTLPTraceExporter({ url: settings.url, headers: settings.headers }), {
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  const tracer = provider.getTracer('syncline');
  return {
    export(span) {
      next.traceId = otelTraceId(span.traceId);
      next.spanId = span.spanId;
      const parent = span.parentSpanId
        ? api.trace.setSpanContext(api.ROOT_CONTEXT, {
            traceId: next.traceId,
            spanId: span.parentSpanId,
            traceFlags: api.TraceFlags.SAMPLED,
            isRemote: true,
          })
        : api.ROOT_CONTEXT;
      const otel = tracer.startSpan(
        span.name,
        {
          kind: KINDS[span.kind],
          startTime: span.start,
          attributes: { ...span.attributes, 'syncline.span.kind': span.kind, 'aws.xray.trace_id': span.traceId },
        },
        parent,
      );
      if (span.status === 'error') otel.setStatus({ code: api.SpanStatusCode.ERROR });
      otel.end(span.start + span.durationMs);
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
