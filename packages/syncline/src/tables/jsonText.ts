// Items as storage keeps them, JSON text, passed to the wire without a parse and a re-serialization when nothing
// needs to look inside them. Only the JSON protocol asks for them (the engine's `executeJson`); every other caller
// of the engine gets parsed items.

/** A value that is already JSON text. */
export class JsonText {
  constructor(readonly text: string) {}
}

function valueText(value: unknown): string | undefined {
  if (value instanceof JsonText) return value.text;
  if (Array.isArray(value) && value.some((v) => v instanceof JsonText)) {
    // JSON.stringify writes an unserializable array element as null.
    return `[${value.map((v) => (v instanceof JsonText ? v.text : (JSON.stringify(v) ?? 'null'))).join(',')}]`;
  }
  return JSON.stringify(value);
}

/**
 * JSON.stringify of an action's output in which top-level values, or elements of top-level arrays, may be
 * JsonText. The text is exactly JSON.stringify's for the parsed values: stored item text is JSON.stringify
 * output, which a parse and a re-serialization reproduce character for character.
 */
export function stringifyOutput(output: Record<string, unknown>): string {
  let json = '';
  for (const key of Object.keys(output)) {
    const text = valueText(output[key]);
    if (text === undefined) continue;
    json += `${json === '' ? '' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `{${json}}`;
}
