// `runtime`.
import { EarlyReturn } from '../signals.js';
import { misuse } from './errors.js';
import { isMap } from './values.js';

export const runtime = {
  earlyReturn(value?: unknown, returnOptions?: unknown): never {
    const skipTo = isMap(returnOptions) ? (returnOptions.skipTo ?? 'NEXT') : 'NEXT';
    if (skipTo !== 'NEXT' && skipTo !== 'END') {
      throw misuse('runtime.earlyReturn', `skipTo must be 'NEXT' or 'END', got ${JSON.stringify(skipTo)}`);
    }
    throw new EarlyReturn(value, skipTo);
  },
};
