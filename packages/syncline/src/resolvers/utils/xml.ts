// util.xml: XML to a map the way AppSync does it (org.json's XML.toJSONObject): elements become keys, repeated
// elements lists, attributes keys of their element, mixed text a "content" key, and numeric or boolean text typed.
import { misuse } from './errors.js';
import { requireString } from './strings.js';
import { setOwn } from './values.js';

type XmlValue = string | number | boolean | null | XmlValue[] | { [key: string]: XmlValue };
type XmlMap = { [key: string]: XmlValue };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

class XmlReader {
  index = 0;

  constructor(
    readonly builtin: string,
    readonly text: string,
  ) {}

  fail(message: string): never {
    throw misuse(this.builtin, `${message} at offset ${this.index}`);
  }

  startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.index);
  }

  skipPast(terminator: string): string {
    const end = this.text.indexOf(terminator, this.index);
    if (end === -1) this.fail(`missing '${terminator}'`);
    const skipped = this.text.slice(this.index, end);
    this.index = end + terminator.length;
    return skipped;
  }

  skipSpace(): void {
    while (/\s/.test(this.text[this.index] ?? '')) this.index += 1;
  }

  name(): string {
    NAME.lastIndex = this.index;
    const match = NAME.exec(this.text);
    if (!match) this.fail('expected a name');
    this.index = NAME.lastIndex;
    return match[0];
  }

  /** Content between tags, into `into`; returns at the parent's closing tag or the end of the document. */
  content(into: XmlMap): void {
    while (this.index < this.text.length) {
      if (this.startsWith('</')) return;
      if (this.startsWith('<!--')) this.skipPast('-->');
      else if (this.startsWith('<![CDATA[')) {
        this.index += 9;
        add(into, 'content', this.skipPast(']]>'));
      } else if (this.startsWith('<!') || this.startsWith('<?')) this.skipPast('>');
      else if (this.startsWith('<')) this.element(into);
      else {
        const end = this.text.indexOf('<', this.index);
        const raw = this.text.slice(this.index, end === -1 ? undefined : end);
        this.index = end === -1 ? this.text.length : end;
        const trimmed = decode(this, raw).trim();
        if (trimmed) add(into, 'content', typed(trimmed));
      }
    }
  }

  element(parent: XmlMap): void {
    this.index += 1;
    const tag = this.name();
    const node: XmlMap = {};
    for (;;) {
      this.skipSpace();
      if (this.startsWith('/>')) {
        this.index += 2;
        add(parent, tag, Object.keys(node).length ? node : '');
        return;
      }
      if (this.startsWith('>')) break;
      const attribute = this.name();
      this.skipSpace();
      if (this.text[this.index] !== '=') this.fail(`attribute '${attribute}' has no value`);
      this.index += 1;
      this.skipSpace();
      const quote = this.text[this.index];
      if (quote !== '"' && quote !== "'") this.fail(`attribute '${attribute}' value must be quoted`);
      this.index += 1;
      add(node, attribute, typed(decode(this, this.skipPast(quote))));
    }
    this.index += 1;
    this.content(node);
    if (!this.startsWith('</')) this.fail(`element '${tag}' is not closed`);
    this.index += 2;
    if (this.name() !== tag) this.fail(`mismatched closing tag for '${tag}'`);
    this.skipSpace();
    if (!this.startsWith('>')) this.fail(`malformed closing tag for '${tag}'`);
    this.index += 1;
    const keys = Object.keys(node);
    add(parent, tag, keys.length === 0 ? '' : keys.length === 1 && keys[0] === 'content' ? node.content : node);
  }
}

function add(map: XmlMap, key: string, value: XmlValue): void {
  if (!Object.hasOwn(map, key)) setOwn(map, key, value);
  else {
    const existing = map[key];
    setOwn(map, key, Array.isArray(existing) ? [...existing, value] : [existing, value]);
  }
}

function decode(reader: XmlReader, raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? reader.fail(`unknown entity '&${entity};'`);
  });
}

/** org.json's stringToValue: booleans, null and plain decimal numbers are typed; the rest stays text. */
function typed(text: string): XmlValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
    const number = Number(text);
    if (Number.isFinite(number) && (Number.isSafeInteger(number) || !/^-?\d+$/.test(text))) return number;
  }
  return text;
}

function toMap(text: string): XmlMap {
  const reader = new XmlReader('util.xml.toMap', requireString('util.xml.toMap', text));
  const root: XmlMap = {};
  reader.content(root);
  if (reader.index < reader.text.length) reader.fail('unexpected closing tag');
  return root;
}

export const xml = {
  toMap,
  toJsonString: (text: string): string => JSON.stringify(toMap(text)),
};
