// The app's EventBridge buses and the functions' rules on them, checked at load.
import type { ParsedAppConfig } from './config.js';
import { AppConfigError } from './errors.js';
import type { EventBridgeEventModel } from './model.js';

export function resolveEventBuses(config: ParsedAppConfig, file: string): string[] {
  const names = config.eventBuses ?? [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === 'default') {
      throw new AppConfigError(file, `eventBuses[${i}]`, 'the default bus always exists; declare only the others');
    }
    if (seen.has(name)) throw new AppConfigError(file, `eventBuses[${i}]`, `bus "${name}" is declared twice`);
    seen.add(name);
  });
  return names;
}

export function eventBridgeRule(
  spec: { pattern: Record<string, unknown>; eventBus?: string; enabled?: boolean },
  buses: readonly string[],
  file: string,
  at: string,
): EventBridgeEventModel {
  const eventBus = spec.eventBus ?? 'default';
  if (eventBus !== 'default' && !buses.includes(eventBus)) {
    throw new AppConfigError(file, `${at}.eventBus`, `no bus "${eventBus}" under eventBuses`);
  }
  const problem = patternProblem(spec.pattern);
  if (problem) throw new AppConfigError(file, `${at}.pattern${problem.at}`, problem.message);
  return { type: 'eventBridge', eventBus, pattern: spec.pattern, enabled: spec.enabled ?? true };
}

/** EventBridge's rule for a pattern: objects nest, and every leaf is an array of values or matchers. */
function patternProblem(pattern: unknown, at = ''): { at: string; message: string } | undefined {
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) {
    return { at, message: 'an event pattern is an object whose leaves are arrays' };
  }
  const entries = Object.entries(pattern);
  if (at === '' && entries.length === 0) return { at, message: 'an empty pattern matches nothing on EventBridge' };
  for (const [key, value] of entries) {
    const here = `${at}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) return { at: here, message: '$or lists two or more patterns' };
      for (const [i, alt] of value.entries()) {
        const p = patternProblem(alt, `${here}[${i}]`);
        if (p) return p;
      }
    } else if (Array.isArray(value)) {
      if (value.length === 0) return { at: here, message: 'an empty array matches nothing' };
    } else {
      const p = patternProblem(value, here);
      if (p) return p;
    }
  }
  return undefined;
}
