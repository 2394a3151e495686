// util.math.
import { misuse } from './errors.js';
import { describe } from './strings.js';

function requireNumber(builtin: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value))
    throw misuse(builtin, `expected a number, got ${describe(value)}`);
  return value;
}

export function createMath(random: () => number) {
  return {
    /** Java's Math.round: halves round towards positive infinity, which is also what Math.round does. */
    roundNum: (value: number): number => Math.round(requireNumber('util.math.roundNum', value)),
    minVal: (a: number, b: number): number =>
      Math.min(requireNumber('util.math.minVal', a), requireNumber('util.math.minVal', b)),
    maxVal: (a: number, b: number): number =>
      Math.max(requireNumber('util.math.maxVal', a), requireNumber('util.math.maxVal', b)),
    randomDouble: (): number => random(),
    /** An integer in [min, max], both ends included. */
    randomWithinRange: (min: number, max: number): number => {
      const name = 'util.math.randomWithinRange';
      const low = Math.ceil(requireNumber(name, min));
      const high = Math.floor(requireNumber(name, max));
      if (high < low) throw misuse(name, `the range [${min}, ${max}] holds no integer`);
      return low + Math.floor(random() * (high - low + 1));
    },
  };
}
