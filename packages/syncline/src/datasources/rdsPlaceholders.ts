// The RDS Data API names its parameters (`:id`); the drivers take positions (`$1` for PostgreSQL, `?` for MySQL).
// This scanner rewrites each `:name` found in SQL code (not inside string literals, quoted identifiers, comments or
// PostgreSQL's `::` casts and dollar-quoted bodies) and lists the values in driver order. Values are only ever passed
// to the driver as parameters: nothing here writes a value into the SQL text.

export type Dialect = 'postgres' | 'mysql';

export interface Positional {
  text: string;
  /** Variable names (with their colon) in driver order: PostgreSQL once per name, MySQL once per occurrence. */
  names: string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Index just past a quoted run starting at `i` (the opening quote), honouring doubled quotes and, if asked, `\`. */
function skipQuoted(sql: string, i: number, quote: string, backslash: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (backslash && c === '\\') j += 2;
    else if (c === quote && sql[j + 1] === quote) j += 2;
    else if (c === quote) return j + 1;
    else j += 1;
  }
  return j;
}

/** `cast` gives a suffix written after a parameter (PostgreSQL's `::uuid` for a type hint), or ''. */
export function toPositional(sql: string, dialect: Dialect, cast: (name: string) => string = () => ''): Positional {
  const names: string[] = [];
  let out = '';
  let i = 0;
  let from = 0;
  const emit = (end: number, replacement: string, next: number) => {
    out += sql.slice(from, end) + replacement;
    from = next;
    i = next;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "'") {
      // PostgreSQL's E'...' strings take backslash escapes; MySQL's strings always do.
      const escaped = dialect === 'mysql' || (i > 0 && /[eE]/.test(sql[i - 1]) && !NAME_CHAR.test(sql[i - 2] ?? ''));
      i = skipQuoted(sql, i, "'", escaped);
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', dialect === 'mysql');
    } else if (c === '`' && dialect === 'mysql') {
      i = skipQuoted(sql, i, '`', false);
    } else if ((c === '-' && next === '-') || (c === '#' && dialect === 'mysql')) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (
      c === '$' &&
      dialect === 'postgres' &&
      /[A-Za-z_$]/.test(next ?? '') &&
      !NAME_CHAR.test(sql[i - 1] ?? '')
    ) {
      // A dollar-quoted body: $tag$ ... $tag$ (or $$ ... $$).
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (!tag) {
        i += 1;
      } else {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? sql.length : end + tag[0].length;
      }
    } else if (c === ':' && next === ':') {
      i += 2;
    } else if (c === ':' && NAME_START.test(next ?? '') && sql[i - 1] !== ':') {
      let j = i + 1;
      while (j < sql.length && NAME_CHAR.test(sql[j])) j += 1;
      const name = sql.slice(i, j);
      if (dialect === 'mysql') {
        names.push(name);
        emit(i, `?${cast(name)}`, j);
      } else {
        let position = names.indexOf(name);
        if (position === -1) position = names.push(name) - 1;
        const ref = `$${position + 1}`;
        emit(i, `${ref}${cast(name)}`, j);
      }
    } else {
      i += 1;
    }
  }
  return { text: out + sql.slice(from), names };
}
