// The cluster message: one mutation's HubEvent as it travels between nodes. Text, so any broker carries it:
//
//   <origin node id> "\n" {"v":1,"p":[[["onCreateOrder",…],{…value…}],…],"i":[["onGroupMessage",{…payload…}],…]}
//
// The origin comes first so a node recognises (and skips) its own echo without parsing the JSON. `v` changes
// when the shape does; a node drops versions it does not know rather than guessing (rolling upgrades lose fan-out
// between old and new nodes for the upgrade's duration, nothing else).
import { z } from 'zod';
import type { HubEvent } from '../realtime/index.js';

export const ENVELOPE_VERSION = 1;

const objectValue = z.record(z.string(), z.unknown());
const body = z.object({
  v: z.literal(ENVELOPE_VERSION),
  p: z.array(z.tuple([z.array(z.string()), objectValue])),
  i: z.array(z.tuple([z.string(), objectValue])),
});

export function encodeEnvelope(origin: string, event: HubEvent): string {
  const p = event.publishes.map(({ fields, value }) => [fields, value]);
  const i = event.invalidations.map(({ field, payload }) => [field, payload]);
  return `${origin}\n${JSON.stringify({ v: ENVELOPE_VERSION, p, i })}`;
}

/** The origin of a message, or undefined when it is not an envelope at all. */
export function envelopeOrigin(text: string): string | undefined {
  const newline = text.indexOf('\n');
  return newline > 0 ? text.slice(0, newline) : undefined;
}

/** Parses the body after the origin line; undefined for anything malformed or of another version. */
export function decodeEnvelope(text: string): HubEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(text.indexOf('\n') + 1));
  } catch {
    return undefined;
  }
  const checked = body.safeParse(parsed);
  if (!checked.success) return undefined;
  return {
    publishes: checked.data.p.map(([fields, value]) => ({ fields, value })),
    invalidations: checked.data.i.map(([field, payload]) => ({ field, payload })),
  };
}
