// Content negotiation for POST/GET /graphql (GraphQL over HTTP spec, RFC 9110 §12.5.1): the client's Accept
// header, in order and with q-values, decides between a JSON answer and a graphql-sse event stream. Clients such as
// urql send `application/graphql-response+json, application/json, text/event-stream, multipart/mixed` for every
// operation, meaning "JSON, or a stream if you must": they get JSON. Only a client that ranks the event stream
// above every JSON type it accepts gets one.

const EVENT_STREAM = 'text/event-stream';

/** The media types that mean a JSON answer; wildcards included, since JSON is what /graphql answers by default. */
const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json', 'application/*', '*/*']);

/**
 * Whether the client prefers `text/event-stream` over JSON. Cheap for the common case (no event stream named:
 * one `includes`); parses only headers that name it.
 */
export function prefersEventStream(accept: string | string[] | undefined): boolean {
  if (accept === undefined) return false;
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (!header.includes(EVENT_STREAM)) return false;
  let stream = -1;
  let json = -1;
  // Among equal q-values, the one listed first wins: ranks are q minus a tiny amount per position.
  const ranges = header.split(',');
  for (let i = 0; i < ranges.length; i++) {
    const parts = ranges[i].split(';');
    const type = parts[0].trim().toLowerCase();
    const isStream = type === EVENT_STREAM;
    if (!isStream && !JSON_TYPES.has(type)) continue;
    let q = 1;
    for (let p = 1; p < parts.length; p++) {
      const param = parts[p].trim();
      if (param.length > 2 && (param[0] === 'q' || param[0] === 'Q') && param[1] === '=') {
        const value = Number(param.slice(2));
        // A malformed q is not a preference: treated as 0, so it never wins.
        q = Number.isFinite(value) && value >= 0 && value <= 1 ? value : 0;
      }
    }
    if (q === 0) continue;
    const rank = q - i * 1e-6;
    if (isStream) stream = Math.max(stream, rank);
    else json = Math.max(json, rank);
  }
  return stream > json;
}
