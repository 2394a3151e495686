// One ExpressionContext per request: it checks ExpressionAttributeNames/Values once and records which of them
// the request's expressions use, because DynamoDB rejects unused entries across all expressions together.
import { DynamoDBError, validation } from '../errors.js';
import type { AttributeValue } from '../values/types.js';
import { validateAttributeValue } from '../values/validate.js';

const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

export class ExpressionContext {
  private readonly names: ReadonlyMap<string, string>;
  private readonly values: ReadonlyMap<string, AttributeValue>;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(names: Record<string, string> | undefined, values: Record<string, AttributeValue> | undefined) {
    if (names !== undefined) {
      const keys = Object.keys(names);
      if (keys.length === 0) throw validation('ExpressionAttributeNames must not be empty');
      for (const key of keys) {
        if (!NAME_KEY.test(key))
          throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
      }
    }
    const checkedValues = new Map<string, AttributeValue>();
    if (values !== undefined) {
      const keys = Object.keys(values);
      if (keys.length === 0) throw validation('ExpressionAttributeValues must not be empty');
      for (const key of keys) {
        if (!VALUE_KEY.test(key))
          throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
      }
      for (const key of keys) {
        try {
          checkedValues.set(key, validateAttributeValue(values[key], `ExpressionAttributeValues.${key}`));
        } catch (e) {
          if (e instanceof DynamoDBError && e.type === 'ValidationException') {
            throw validation(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${key}`);
          }
          throw e;
        }
      }
    }
    this.names = new Map(Object.entries(names ?? {}));
    this.values = checkedValues;
  }

  /** The attribute name behind `#placeholder`, or undefined when the request does not define it. */
  name(placeholder: string): string | undefined {
    const name = this.names.get(placeholder);
    if (name !== undefined) this.usedNames.add(placeholder);
    return name;
  }

  /** The (validated, normalized) value behind `:placeholder`, or undefined when not defined. */
  value(placeholder: string): AttributeValue | undefined {
    const value = this.values.get(placeholder);
    if (value !== undefined) this.usedValues.add(placeholder);
    return value;
  }

  /** Call after parsing every expression of the request. */
  assertAllUsed(): void {
    const unusedNames = [...this.names.keys()].filter((k) => !this.usedNames.has(k));
    if (unusedNames.length) {
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`,
      );
    }
    const unusedValues = [...this.values.keys()].filter((k) => !this.usedValues.has(k));
    if (unusedValues.length) {
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`,
      );
    }
  }
}
