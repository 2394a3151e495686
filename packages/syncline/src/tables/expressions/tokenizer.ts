// Splits an expression into tokens with their source offsets; offsets let syntax errors quote the source
// the way DynamoDB does (`near: "<previous token> <token> <next token>"`).

export type TokenType = 'identifier' | 'name' | 'value' | 'number' | 'punct' | 'unknown' | 'eof';

export interface Token {
  type: TokenType;
  text: string;
  start: number;
  end: number;
}

const PUNCTUATION = ['<>', '<=', '>=', '<', '>', '=', '(', ')', '[', ']', ',', '.', '+', '-'];
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isWordChar = (c: string) => /[A-Za-z0-9_]/.test(c);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    let type: TokenType;
    // DynamoDB's grammar starts a name with a letter: `_123` needs a placeholder (#n) like any other odd name.
    if (/[A-Za-z]/.test(c)) {
      while (i < source.length && isWordChar(source[i])) i++;
      type = 'identifier';
    } else if (/[0-9]/.test(c)) {
      while (i < source.length && /[0-9]/.test(source[i])) i++;
      type = 'number';
    } else if ((c === '#' || c === ':') && i + 1 < source.length && isWordChar(source[i + 1])) {
      i++;
      while (i < source.length && isWordChar(source[i])) i++;
      type = c === '#' ? 'name' : 'value';
    } else {
      const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
      if (punct) {
        i += punct.length;
        type = 'punct';
      } else {
        i += (source.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
        type = 'unknown';
      }
    }
    tokens.push({ type, text: source.slice(start, i), start, end: i });
  }
  tokens.push({ type: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}
