// util.transform.toElasticsearchQueryDSL: AppSync's filter object (field → operators, with and/or/not) as an
// OpenSearch Query DSL `query`, returned as a JSON string. Several operators on one field, or several fields, are
// ANDed in a `bool.must` in the order written (AppSync's documented example); a single clause stands alone.
import { misuse } from './errors.js';

const NAME = 'util.transform.toElasticsearchQueryDSL';
type Clause = Record<string, unknown>;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const all = (clauses: Clause[]): Clause => (clauses.length === 1 ? clauses[0] : { bool: { must: clauses } });

function operation(field: string, op: string, value: unknown): Clause {
  switch (op) {
    case 'eq':
      return { term: { [field]: value } };
    case 'ne':
      return { bool: { must_not: { term: { [field]: value } } } };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { range: { [field]: { [op]: value } } };
    case 'range':
      if (!Array.isArray(value) || value.length !== 2) throw misuse(NAME, `range on ${field} takes [from, to]`);
      return { range: { [field]: { gte: value[0], lte: value[1] } } };
    case 'match':
      return { match: { [field]: value } };
    case 'matchPhrase':
      return { match_phrase: { [field]: value } };
    case 'matchPhrasePrefix':
      return { match_phrase_prefix: { [field]: value } };
    case 'multiMatch':
      return { multi_match: { query: value, fields: [field] } };
    case 'wildcard':
      return { wildcard: { [field]: value } };
    case 'regexp':
      return { regexp: { [field]: value } };
    case 'exists':
      return value === false ? { bool: { must_not: { exists: { field } } } } : { exists: { field } };
    default:
      throw misuse(NAME, `unknown operator "${op}" on ${field}`);
  }
}

function query(filter: unknown, depth: number): Clause {
  if (!isMap(filter)) throw misuse(NAME, 'expected an object of field → operators');
  if (depth > 32) throw misuse(NAME, 'the filter nests and/or/not more than 32 levels');
  const clauses: Clause[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw misuse(NAME, `${key} takes a list of filters`);
      const parts = value.map((f) => query(f, depth + 1));
      clauses.push({ bool: { [key === 'and' ? 'must' : 'should']: parts } });
    } else if (key === 'not') {
      clauses.push({ bool: { must_not: query(value, depth + 1) } });
    } else {
      if (!isMap(value)) throw misuse(NAME, `${key} takes an object of operators such as { eq: value }`);
      const ops = Object.entries(value).filter(([, v]) => v !== undefined);
      if (!ops.length) throw misuse(NAME, `${key} has no operator`);
      clauses.push(all(ops.map(([op, v]) => operation(key, op, v))));
    }
  }
  if (!clauses.length) throw misuse(NAME, 'the filter is empty');
  return all(clauses);
}

export const toElasticsearchQueryDSL = (filter: unknown): string => JSON.stringify(query(filter, 0));
