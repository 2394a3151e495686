// Reads a YAML (or JSON) definition keeping where each key is, so an error can name its line. CloudFormation's
// short forms (`!Ref X`, `!GetAtt A.B`, `!Sub …`) become their long forms (`{ Ref: X }`, `{ 'Fn::GetAtt': [A, B] }`)
// so the rest of the loader sees one shape.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Tags } from 'yaml';
import { AppConfigError } from '../errors.js';

export type KeyPath = (string | number)[];

export interface SourceDocument {
  file: string;
  value: unknown;
  /** 1-based line of the deepest node of `path` present in the file, or undefined. */
  lineOf(path: KeyPath): number | undefined;
}

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
];

function cloudFormationTags(): Tags {
  const tags: Tags = [
    { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
    { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
    {
      tag: '!GetAtt',
      resolve: (value: string) => {
        const dot = value.indexOf('.');
        return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
      },
    },
    { tag: '!GetAtt', collection: 'seq', resolve: (seq) => ({ 'Fn::GetAtt': seq.toJSON() }) },
  ];
  for (const name of FUNCTIONS) {
    const key = `Fn::${name}`;
    tags.push(
      { tag: `!${name}`, resolve: (value: string) => ({ [key]: value }) },
      { tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [key]: seq.toJSON() }) },
      { tag: `!${name}`, collection: 'map', resolve: (map) => ({ [key]: map.toJSON() }) },
    );
  }
  return tags;
}

const TAGS = cloudFormationTags();

export function parseYamlDefinition(file: string, text: string): SourceDocument {
  const lineCounter = new LineCounter();
  // `merge` keeps `<<: *defaults`, common in serverless.yml; `uniqueKeys` makes a repeated key an error, as
  // CloudFormation and the Serverless Framework treat it.
  const doc = parseDocument(text, {
    customTags: TAGS,
    lineCounter,
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new AppConfigError(file, null, `invalid YAML: ${error.message.split('\n')[0]}`, line);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // An alias to no anchor, or an alias bomb past maxAliasCount.
    throw new AppConfigError(file, null, `invalid YAML: ${(error as Error).message}`);
  }
  return {
    file,
    value,
    lineOf(path) {
      let node: unknown = doc.contents;
      let found: Node | undefined = isNodeLike(node) ? node : undefined;
      for (const key of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
          if (!pair) break;
          found = (isNodeLike(pair.key) ? pair.key : undefined) ?? found;
          node = pair.value;
        } else if (isSeq(node) && typeof key === 'number') {
          node = node.items[key];
          if (isNodeLike(node)) found = node;
        } else break;
      }
      const offset = found?.range?.[0];
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

const isNodeLike = (n: unknown): n is Node => typeof n === 'object' && n !== null && 'range' in n;
