// What the Streams API operations receive.
import type { Storage } from '../storage/port.js';

export interface StreamsContext {
  storage: Storage;
  now(): number;
}
