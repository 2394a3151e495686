// TransactionCanceledException, shared by both transaction actions: one reason per action, in request order.
import { DynamoDBError } from './errors.js';
import type { Item } from './values/index.js';

export interface Reason {
  Code: string;
  Message?: string;
  Item?: Item;
}

export function cancellation(reasons: Reason[]): DynamoDBError {
  return new DynamoDBError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { CancellationReasons: reasons },
  );
}

/** The reason for one action whose static check (its key against its table) may throw a ValidationException. */
export function validationReason(check: () => void): Reason {
  try {
    check();
    return { Code: 'None' };
  } catch (e) {
    if (e instanceof DynamoDBError && e.type === 'ValidationException')
      return { Code: 'ValidationError', Message: e.message };
    throw e;
  }
}
