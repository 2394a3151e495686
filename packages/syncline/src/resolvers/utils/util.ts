// The `util` object of `@aws-appsync/utils`.
import type { HostSlot } from '../host.js';
import { ResolverError, UnauthorizedSignal } from '../signals.js';
import { dynamodbUtil } from './dynamodbValues.js';
import { createHttp } from './http.js';
import { autoId, ksuid, ulid } from './ids.js';
import { compileJavaRegex } from './javaRegex.js';
import { createMath } from './math.js';
import { toJsonObject } from './rds.js';
import {
  base64Decode,
  base64Encode,
  escapeJavaScript,
  normalize,
  requireString,
  toLower,
  toReplace,
  toUpper,
  urlDecode,
  urlEncode,
} from './strings.js';
import { createTime } from './time.js';
import { transform } from './transform.js';
import { isList, isMap, isNull, isNullOrBlank, isNullOrEmpty, typeOf } from './values.js';
import { xml } from './xml.js';

export interface Clock {
  now(): number;
  random(): number;
}

function errorOf(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): ResolverError {
  return new ResolverError(
    typeof message === 'string' ? message : String(message),
    typeof errorType === 'string' ? errorType : null,
    data ?? null,
    errorInfo ?? null,
  );
}

export function createUtil(slot: HostSlot, clock: Clock) {
  return {
    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      throw errorOf(message, errorType, data, errorInfo);
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      slot.current().appendError(errorOf(message, errorType, data, errorInfo));
    },
    unauthorized(): never {
      throw new UnauthorizedSignal();
    },
    authType: (): string => slot.current().authType(),
    autoId,
    autoUlid: (): string => ulid(clock.now()),
    autoKsuid: (): string => ksuid(clock.now()),
    isNull,
    isNullOrEmpty,
    isNullOrBlank,
    defaultIfNull: <T, D>(value: T, fallback: D): T | D => (isNull(value) ? fallback : value),
    defaultIfNullOrEmpty: <T, D>(value: T, fallback: D): T | D => (isNullOrEmpty(value) ? fallback : value),
    defaultIfNullOrBlank: <T, D>(value: T, fallback: D): T | D => (isNullOrBlank(value) ? fallback : value),
    isString: (value: unknown): boolean => typeof value === 'string',
    isNumber: (value: unknown): boolean => typeof value === 'number',
    isBoolean: (value: unknown): boolean => typeof value === 'boolean',
    isList,
    isMap,
    typeOf,
    /** Java's String.matches: the pattern must match the whole string. */
    matches: (pattern: string, value: string): boolean => {
      const subject = requireString('util.matches', value);
      return compileJavaRegex('util.matches', requireString('util.matches', pattern), subject).test(subject);
    },
    escapeJavaScript,
    urlEncode,
    urlDecode,
    base64Encode,
    base64Decode,
    time: createTime(clock.now),
    str: { toUpper, toLower, toReplace, normalize },
    math: createMath(clock.random),
    dynamodb: dynamodbUtil,
    transform,
    http: createHttp(slot),
    xml,
    rds: { toJsonObject },
  };
}
