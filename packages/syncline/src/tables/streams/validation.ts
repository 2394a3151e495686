// Request checks for the Streams API, with the service's wording: every broken constraint is listed in one
// `N validation error(s) detected: ...` message, members named in camelCase as the service names them.
import { DynamoDBError } from '../errors.js';

export interface Rule {
  member: string;
  value: unknown;
  required?: boolean;
  type?: 'string' | 'integer';
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  oneOf?: readonly string[];
}

function problems(rule: Rule): string[] {
  const { value, member } = rule;
  const at = (constraint: string) =>
    `Value '${value === undefined ? 'null' : String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`;
  if (value === undefined || value === null)
    return rule.required ? [`Value null at '${member}' failed to satisfy constraint: Member must not be null`] : [];
  if (rule.type === 'string' && typeof value !== 'string')
    throw new DynamoDBError('SerializationException', `Unexpected value type for ${member}`);
  if (rule.type === 'integer' && !Number.isInteger(value))
    throw new DynamoDBError('SerializationException', `Unexpected value type for ${member}`);
  const out: string[] = [];
  if (typeof value === 'string') {
    if (rule.minLength !== undefined && value.length < rule.minLength)
      out.push(at(`Member must have length greater than or equal to ${rule.minLength}`));
    if (rule.maxLength !== undefined && value.length > rule.maxLength)
      out.push(at(`Member must have length less than or equal to ${rule.maxLength}`));
    if (rule.oneOf && !rule.oneOf.includes(value))
      out.push(at(`Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`));
  }
  if (typeof value === 'number') {
    if (rule.min !== undefined && value < rule.min)
      out.push(at(`Member must have value greater than or equal to ${rule.min}`));
    if (rule.max !== undefined && value > rule.max)
      out.push(at(`Member must have value less than or equal to ${rule.max}`));
  }
  return out;
}

export function check(body: unknown, rules: (input: Record<string, unknown>) => Rule[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DynamoDBError('SerializationException', 'Start of structure or map found where not expected');
  }
  const found = rules(body as Record<string, unknown>).flatMap(problems);
  if (found.length) {
    const count = `${found.length} validation error${found.length > 1 ? 's' : ''} detected: `;
    throw new DynamoDBError('ValidationException', count + found.join('; '));
  }
  return body as Record<string, unknown>;
}

/** A stream ARN's form: a table ARN followed by `/stream/<label>`. */
const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}\/stream\/[^/\s]+$/;

/**
 * A string that is not a stream ARN at all is refused with the service's short answer before any constraint
 * (an ARN of the right form that names no stream is ResourceNotFoundException, later).
 */
export function checkStreamArnForm(value: unknown): void {
  if (typeof value === 'string' && !STREAM_ARN.test(value)) {
    throw new DynamoDBError('ValidationException', 'Invalid StreamArn');
  }
}

export const streamArnRule = (value: unknown, required = true): Rule => ({
  member: 'streamArn',
  value,
  required,
  type: 'string',
  minLength: 37,
  maxLength: 1024,
});
