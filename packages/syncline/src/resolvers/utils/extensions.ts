// `extensions`: checks the arguments, then hands them to the engine through the current host.
import type { HostSlot } from '../host.js';
import { misuse } from './errors.js';
import { describe } from './strings.js';
import { validateSubscriptionFilter } from './subscriptionFilters.js';
import { isMap } from './values.js';

export function createExtensions(slot: HostSlot) {
  return {
    setSubscriptionFilter(filter: unknown): void {
      slot.current().setSubscriptionFilter(validateSubscriptionFilter('extensions.setSubscriptionFilter', filter));
    },
    setSubscriptionInvalidationFilter(filter: unknown): void {
      const name = 'extensions.setSubscriptionInvalidationFilter';
      slot.current().setSubscriptionInvalidationFilter(validateSubscriptionFilter(name, filter));
    },
    invalidateSubscriptions(spec: unknown): void {
      const name = 'extensions.invalidateSubscriptions';
      if (!isMap(spec) || typeof spec.subscriptionField !== 'string' || spec.subscriptionField === '') {
        throw misuse(name, `expected { subscriptionField, payload }, got ${describe(spec)}`);
      }
      if (!isMap(spec.payload)) throw misuse(name, `payload must be an object, got ${describe(spec.payload)}`);
      slot.current().invalidateSubscriptions({ subscriptionField: spec.subscriptionField, payload: spec.payload });
    },
    evictFromApiCache(typeName: string, fieldName: string, keyValuePair: unknown): void {
      const name = 'extensions.evictFromApiCache';
      if (typeof typeName !== 'string' || typeName === '') throw misuse(name, 'typeName must be a non-empty string');
      if (typeof fieldName !== 'string' || fieldName === '') throw misuse(name, 'fieldName must be a non-empty string');
      if (!isMap(keyValuePair)) throw misuse(name, `keyValuePair must be an object, got ${describe(keyValuePair)}`);
      slot.current().evictFromApiCache(typeName, fieldName, keyValuePair);
    },
  };
}
