// Splits a PartiQL statement into tokens: words (keywords and bare identifiers), "quoted identifiers",
// 'string literals', numbers, `?` and punctuation. Comments (`-- …` and `/* … */`) are skipped as PartiQL does.
import { malformed } from './messages.js';

export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'end';

export interface Token {
  type: TokenType;
  text: string;
  pos: number;
}

const PUNCT = [
  '<<',
  '>>',
  '<>',
  '!=',
  '<=',
  '>=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  '*',
  '=',
  '<',
  '>',
  '+',
  '-',
  ':',
  '?',
  ';',
];

const isDigit = (c: string) => c >= '0' && c <= '9';
const isWordStart = (c: string) => /[A-Za-z_$]/.test(c);
const isWordPart = (c: string) => /[A-Za-z0-9_$]/.test(c);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw malformed('Unterminated comment');
      i = end + 2;
      continue;
    }
    const pos = i;
    if (c === "'" || c === '"') {
      // Both quote styles double the quote to escape it.
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw malformed(c === "'" ? 'Unterminated string literal' : 'Unterminated quoted identifier');
        if (text[i] === c) {
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      out.push({ type: c === "'" ? 'string' : 'quoted', text: value, pos });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      let j = i;
      while (j < n && isDigit(text[j])) j++;
      if (text[j] === '.') {
        j++;
        while (j < n && isDigit(text[j])) j++;
      }
      if (text[j] === 'e' || text[j] === 'E') {
        let k = j + 1;
        if (text[k] === '+' || text[k] === '-') k++;
        if (isDigit(text[k] ?? '')) {
          while (k < n && isDigit(text[k])) k++;
          j = k;
        }
      }
      out.push({ type: 'number', text: text.slice(i, j), pos });
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(text[j])) j++;
      out.push({ type: 'word', text: text.slice(i, j), pos });
      i = j;
      continue;
    }
    const p = PUNCT.find((s) => text.startsWith(s, i));
    if (!p) {
      if (c === '`') throw malformed('Ion literals are not supported');
      throw malformed(`Unexpected character '${c}'`);
    }
    out.push({ type: 'punct', text: p, pos });
    i += p.length;
  }
  out.push({ type: 'end', text: '', pos: n });
  return out;
}
