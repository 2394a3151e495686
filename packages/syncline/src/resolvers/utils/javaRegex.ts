// AppSync evaluates regex strings with java.util.regex. This translates the Java syntax JavaScript lacks into
// equivalents, and refuses what has none, so `util.matches` behaves like Java's String.matches.
import { misuse } from './errors.js';

const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'A-Za-z',
  Digit: '0-9',
  Alnum: 'A-Za-z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
  javaLowerCase: '\\p{Ll}',
  javaUpperCase: '\\p{Lu}',
  javaWhitespace: '\\t-\\r\\x1C-\\x1F\\p{Zs}',
};

const INLINE_FLAGS: Record<string, string> = { i: 'i', s: 's', m: 'm', u: '', U: '' };

const SURROGATE = /[\uD800-\uDFFF]/;
const NEEDS_UNICODE_MODE = /\\[pP]\{|\\u\{/;

/**
 * Compiles a Java regex for a whole-string match, like `String.matches`. Given the `subject` it will test, the
 * regex drops the `u` flag when neither holds anything outside the BMP nor a `\p{…}` class: the match is the same,
 * and V8 can then re-run a pattern that backtracks without end on its linear-time engine (sandbox.ts), which does
 * not take `u`.
 */
export function compileJavaRegex(builtin: string, pattern: string, subject?: string): RegExp {
  let flags = 'u';
  let body = pattern;
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (leading) {
    for (const flag of leading[1]) {
      if (!(flag in INLINE_FLAGS)) throw misuse(builtin, `the inline flag (?${flag}) is not supported`);
      if (!flags.includes(INLINE_FLAGS[flag])) flags += INLINE_FLAGS[flag];
    }
    body = body.slice(leading[0].length);
  }
  try {
    const source = `^(?:${translate(builtin, body)})$`;
    if (
      subject !== undefined &&
      !SURROGATE.test(subject) &&
      !SURROGATE.test(source) &&
      !NEEDS_UNICODE_MODE.test(source)
    )
      flags = flags.replace('u', '');
    return new RegExp(source, flags);
  } catch (error) {
    throw misuse(builtin, `invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

function translate(builtin: string, pattern: string): string {
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw misuse(builtin, 'the pattern ends with a lone backslash');
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const quoted = pattern.slice(i + 2, end === -1 ? undefined : end);
        out += [...quoted].map(literal).join('');
        i = end === -1 ? pattern.length : end + 2;
        continue;
      }
      if (next === 'p' || next === 'P') {
        const match = /^\{(?:Is)?([A-Za-z_]+)\}/.exec(pattern.slice(i + 2));
        const posix = match ? POSIX_CLASSES[match[1]] : undefined;
        if (match && posix) {
          out += inClass ? posix : next === 'p' ? `[${posix}]` : `[^${posix}]`;
          i += 2 + match[0].length;
          continue;
        }
      }
      const hex = next === 'x' ? /^\{([0-9a-fA-F]+)\}/.exec(pattern.slice(i + 2)) : null;
      if (hex) {
        out += `\\u{${hex[1]}}`;
        i += 2 + hex[0].length;
        continue;
      }
      out += escapeSequence(builtin, next, inClass);
      i += 2;
      continue;
    }
    if (c === '[') {
      if (inClass) throw misuse(builtin, 'nested character classes (union, intersection) are not supported');
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i += 1;
      }
      // A ']' right after '[' or '[^' is a literal in Java, and would close an empty class in JavaScript.
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i += 1;
      }
      i += 1;
      continue;
    }
    if (c === ']' && inClass) {
      inClass = false;
      out += c;
      i += 1;
      continue;
    }
    if (!inClass && c === '(' && pattern.startsWith('(?>', i)) {
      // Atomic groups only change backtracking; as a plain group the match result is the same in practice.
      out += '(?:';
      i += 3;
      continue;
    }
    if (!inClass && c === '{') {
      const quantifier = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i));
      if (!quantifier) throw misuse(builtin, `illegal repetition at index ${i} of ${JSON.stringify(pattern)}`);
      out += quantifier[0];
      i += quantifier[0].length;
      i = skipPossessive(pattern, i);
      continue;
    }
    if (!inClass && (c === '+' || c === '?' || c === '*')) {
      out += c;
      i = skipPossessive(pattern, i + 1);
      continue;
    }
    // Unicode-mode JavaScript rejects a lone ']' or '}' that Java reads as a literal.
    out += !inClass && (c === ']' || c === '}') ? literal(c) : c;
    i += 1;
  }
  return out;
}

function escapeSequence(builtin: string, next: string, inClass: boolean): string {
  switch (next) {
    case 'A':
      return '^';
    case 'z':
    case 'Z':
      return '$';
    case 'h': {
      const blanks = ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
      return inClass ? blanks : `[${blanks}]`;
    }
    case 'R':
      return '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])';
    case 'e':
      return '\\x1B';
    case 'a':
      return '\\x07';
    case 'G':
    case 'X':
      throw misuse(builtin, `\\${next} is not supported`);
    default:
      // In unicode mode JavaScript rejects escapes of ordinary punctuation that Java accepts.
      return /[A-Za-z0-9]/.test(next) ? `\\${next}` : literal(next);
  }
}

function literal(char: string): string {
  return `\\u{${char.codePointAt(0)!.toString(16)}}`;
}

/** Possessive quantifiers (`a*+`) have no JavaScript form; the greedy form matches the same strings in practice. */
function skipPossessive(pattern: string, i: number): number {
  if (pattern[i] === '+') return i + 1;
  return i;
}
