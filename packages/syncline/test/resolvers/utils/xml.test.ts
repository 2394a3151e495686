import { describe, expect, it } from 'vitest';
import { ResolverError } from '../../../src/resolvers/signals.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost } from './fakeHost.js';

const { xml } = createBuiltins(fakeHost().slot).util;

describe('util.xml', () => {
  it('converts the AppSync documentation example, typing numbers', () => {
    const doc = `<?xml version="1.0" encoding="UTF-8"?>
      <posts>
        <post>
          <id>1</id>
          <title>Getting started with GraphQL</title>
        </post>
      </posts>`;
    expect(xml.toMap(doc)).toEqual({ posts: { post: { id: 1, title: 'Getting started with GraphQL' } } });
    expect(xml.toJsonString(doc)).toBe('{"posts":{"post":{"id":1,"title":"Getting started with GraphQL"}}}');
  });

  it('makes repeated elements a list and attributes keys, with mixed text under content', () => {
    const doc =
      '<r><p id="1">a &amp; b</p><p id="2"/><flag>true</flag><empty></empty><code>007</code><!-- c --><![CDATA[<raw>]]></r>';
    expect(xml.toMap(doc)).toEqual({
      r: { p: [{ id: 1, content: 'a & b' }, { id: 2 }], flag: true, empty: '', code: '007', content: '<raw>' },
    });
  });

  it('refuses malformed XML with a ResolverError', () => {
    for (const doc of ['<a><b></a>', '<a>', '<a x=1></a>', '<a>&nope;</a>']) {
      expect(() => xml.toMap(doc)).toThrow(ResolverError);
    }
  });
});
