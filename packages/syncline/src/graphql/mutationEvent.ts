// What a completed mutation hands to whoever fans it out (the realtime hub): declared here, with the executor
// that produces it, so the transports and the hub depend on graphql/, never on the server that carries requests.
import type { ExecutionResult } from './executor.js';

export interface MutationEvent {
  result: ExecutionResult;
  rootFields: { responseKey: string; fieldName: string }[];
  invalidations: unknown[];
}
