import {
  buildSchema,
  GraphQLError,
  type GraphQLScalarType,
  graphql,
  isScalarType,
  parseValue as parseValueLiteral,
  valueFromAST,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { AWS_DIRECTIVE_SDL, AWS_SCALAR_SDL } from '../../src/graphql/awsDefinitions.js';
import {
  AWSDate,
  AWSDateTime,
  AWSEmail,
  AWSIPAddress,
  AWSJSON,
  AWSPhone,
  AWSTime,
  AWSTimestamp,
  AWSURL,
  awsScalars,
} from '../../src/graphql/scalars.js';

/** A value as it would appear inline in a query, e.g. `"1970-01-01"`. */
const literal = (value: string) => parseValueLiteral(JSON.stringify(value));

function errorOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  }
  throw new Error('expected a GraphQLError');
}

interface StringScalarCase {
  scalar: GraphQLScalarType;
  noun: string;
  valid: string[];
  invalid: string[];
}

const stringScalars: StringScalarCase[] = [
  {
    scalar: AWSDate,
    noun: 'a valid date',
    valid: [
      '1970-01-01',
      '1970-01-01Z',
      '1970-01-01-07:00',
      '1970-01-01+05:30',
      '1970-01-01+05:30:15',
      '2020-02-29',
      '2000-02-29',
      '-2017-01-01',
      '+12345-06-07',
    ],
    invalid: [
      '2020-13-01',
      '2020-00-10',
      '2020-01-32',
      '2021-02-29',
      '1900-02-29',
      '2020-1-01',
      '20200101',
      '+2020-01-01',
      '2020-01-01T00:00Z',
      '2020-01-01+0530',
      '2020-01-01+19:00',
      ' 2020-01-01',
      '',
    ],
  },
  {
    scalar: AWSTime,
    noun: 'a valid time',
    valid: [
      '12:00:34.',
      '12:30',
      '12:30Z',
      '12:30:24-07:00',
      '12:30:24.500+05:30',
      '12:00:00.2',
      '12:00:00.123456789',
      '23:59:59',
      '00:00:00+18:00',
      '12:00:00+05:30:15',
    ],
    invalid: [
      '24:00',
      '12:60',
      '12:00:60',
      '12:00:00.1234567890',
      '12',
      '1:00',
      '12:00:00+1800',
      '12:00:00+18:01',
      'noon',
    ],
  },
  {
    scalar: AWSDateTime,
    noun: 'a valid DateTime Object',
    valid: [
      '1970-01-01T12:00:00.2Z',
      '1970-01-01T12:00:00.277Z',
      '1970-01-01T12:00:00.123456789Z',
      '1930-01-01T16:00:00-07:00',
      '2020-01-01T00:00+00:00',
      '2023-11-30T11:04:03+08:00:30',
      '-2017-01-01T00:00Z',
      '2020-05-19T11:05:29.000Z',
      '1970-01-01t00:00z',
    ],
    invalid: [
      '2020-01-01T00:00:00',
      '2023-11-30T11:04:03+0800',
      '2020-05-23T06:4:37.000Z',
      '2020-02-30T00:00Z',
      '2020-01-01T24:00Z',
      '2020-01-01',
      '2020-01-01 00:00Z',
    ],
  },
  {
    scalar: AWSEmail,
    noun: 'a valid email address',
    valid: ['jeff@amazon.com', 'a@b', 'first.last+tag@sub.example.co.uk', "o'brien@example.ie"],
    invalid: ['plainaddress', '@example.com', 'a@', 'a@-example.com', 'a b@example.com', 'a@example..com'],
  },
  {
    scalar: AWSURL,
    noun: 'a valid URL',
    valid: [
      'https://www.amazon.com/dp/B000NZW3KC/',
      'mailto:example@example.com',
      'http://localhost:4000/graphql?next=//x#frag',
      'ftp://ftp.example.com/file.txt',
      'file:///etc/hosts',
    ],
    invalid: [
      'www.amazon.com',
      '/relative/path',
      'https://www.amazon.com/dp//B000NZW3KC',
      'https://example.com//',
      'http://exa mple.com',
      'https://',
      'http:///path',
      '://x',
    ],
  },
  {
    scalar: AWSPhone,
    noun: 'a valid phone number',
    valid: [
      '2062661000',
      '206-266-1000',
      '206 266 1000',
      '1 206 266 1000',
      '+1 206 266 1000',
      '+1-206-266-1000',
      '+44 20 7946 0958',
      '+33 1 23 45 67 89',
      '+91 98765 43210',
    ],
    invalid: [
      '1110004444',
      '678 198 2162',
      '911-555-1234',
      '+12312',
      '(206) 266-1000',
      '206.266.1000',
      '206--266-1000',
      '206 266 100',
      '+0 123 4567',
      '+',
      'abc',
      '',
    ],
  },
  {
    scalar: AWSIPAddress,
    noun: 'a valid IP address',
    valid: ['127.0.0.1', '127.0.0.1/8', '123.45.67.89/16', '0.0.0.0/0', '::1', '2001:db8::1', '2001:db8::/32'],
    invalid: [
      '256.0.0.1',
      '127.0.0.1/33',
      '127.0.0.1/',
      '127.0.0.1/8/8',
      '[::1]',
      '2001:db8::1/129',
      'fe80::1%eth0',
      'localhost',
    ],
  },
];

describe.each(stringScalars)('$scalar.name', ({ scalar, noun, valid, invalid }) => {
  it.each(valid)('accepts %j as a variable, a literal and a result, unchanged', (value) => {
    expect(scalar.parseValue(value)).toBe(value);
    expect(valueFromAST(literal(value), scalar)).toBe(value);
    expect(scalar.parseLiteral(literal(value))).toBe(value);
    expect(scalar.serialize(value)).toBe(value);
  });

  it.each(invalid)('refuses %j as a variable, a literal and a result', (value) => {
    expect(errorOf(() => scalar.parseValue(value)).message).toBe(`Unable to parse \`${value}\` as ${noun}.`);
    expect(errorOf(() => scalar.parseLiteral(literal(value))).message).toBe(`Unable to parse \`${value}\` as ${noun}.`);
    expect(valueFromAST(literal(value), scalar)).toBeUndefined();
    expect(errorOf(() => scalar.serialize(value)).message).toBe(`Unable to serialize \`${value}\` as ${noun}.`);
  });

  it('refuses non-string values and non-string literals', () => {
    expect(errorOf(() => scalar.parseValue(42)).message).toBe(`Unable to parse \`42\` as ${noun}.`);
    expect(errorOf(() => scalar.parseValue({ a: 1 })).message).toBe(`Unable to parse \`{"a":1}\` as ${noun}.`);
    expect(errorOf(() => scalar.parseLiteral(parseValueLiteral('42'))).message).toBe(
      `Unable to parse \`42\` as ${noun}.`,
    );
    expect(valueFromAST(parseValueLiteral('true'), scalar)).toBeUndefined();
    expect(errorOf(() => scalar.serialize(42)).message).toBe(`Unable to serialize \`42\` as ${noun}.`);
  });
});

describe('AWSTimestamp', () => {
  it.each([0, 1_600_000_000, -86_400])('accepts the integer %d as a variable, a literal and a result', (value) => {
    expect(AWSTimestamp.parseValue(value)).toBe(value);
    expect(valueFromAST(parseValueLiteral(String(value)), AWSTimestamp)).toBe(value);
    expect(AWSTimestamp.serialize(value)).toBe(value);
  });

  it('serializes an integer string from a data source as a number', () => {
    expect(AWSTimestamp.serialize('1600000000')).toBe(1_600_000_000);
    expect(AWSTimestamp.serialize('-5')).toBe(-5);
  });

  it.each([1.5, '1600000000', true, 'soon'])('refuses %j as a variable', (value) => {
    expect(errorOf(() => AWSTimestamp.parseValue(value)).message).toBe(
      `Unable to parse \`${String(value)}\` as a valid timestamp.`,
    );
  });

  it.each(['"1600000000"', '1.5', 'true'])('refuses the literal %s', (source) => {
    const ast = parseValueLiteral(source);
    expect(errorOf(() => AWSTimestamp.parseLiteral(ast)).message).toMatch(
      /^Unable to parse `.*` as a valid timestamp\.$/,
    );
    expect(valueFromAST(ast, AWSTimestamp)).toBeUndefined();
  });

  it.each([1.5, 'soon', true])('refuses to serialize %j', (value) => {
    expect(errorOf(() => AWSTimestamp.serialize(value)).message).toBe(
      `Unable to serialize \`${String(value)}\` as a valid timestamp.`,
    );
  });
});

describe('AWSJSON', () => {
  it.each([
    ['{"a":1,"b":[true,null]}', { a: 1, b: [true, null] }],
    ['[1,"x"]', [1, 'x']],
    ['true', true],
    ['1', 1],
    ['"Hello"', 'Hello'],
    ['null', null],
  ])('hands resolvers the parsed value of the variable %s', (text, parsed) => {
    expect(AWSJSON.parseValue(text)).toEqual(parsed);
  });

  it('parses a string literal the same way', () => {
    expect(valueFromAST(literal('{"a":{"b":2}}'), AWSJSON)).toEqual({ a: { b: 2 } });
    expect(AWSJSON.parseLiteral(literal('[1,2]'))).toEqual([1, 2]);
  });

  it.each(['Hello', '{a:1}', '', '{"a":'])('refuses the invalid JSON text %j', (text) => {
    expect(errorOf(() => AWSJSON.parseValue(text)).message).toBe(`Unable to parse \`${text}\` as valid JSON.`);
    expect(errorOf(() => AWSJSON.parseLiteral(literal(text))).message).toBe(
      `Unable to parse \`${text}\` as valid JSON.`,
    );
  });

  it('refuses an object variable or an object literal, which must be sent as a JSON string', () => {
    expect(errorOf(() => AWSJSON.parseValue({ a: 1 })).message).toBe('Unable to parse `{"a":1}` as valid JSON.');
    const objectLiteral = parseValueLiteral('{ upvotes: 10 }');
    expect(errorOf(() => AWSJSON.parseLiteral(objectLiteral)).message).toBe(
      'Unable to parse `{upvotes: 10}` as valid JSON.',
    );
    expect(valueFromAST(objectLiteral, AWSJSON)).toBeUndefined();
  });

  it('stringifies what a resolver returns, and passes an already-stringified result through', () => {
    expect(AWSJSON.serialize({ a: 1, b: [true] })).toBe('{"a":1,"b":[true]}');
    expect(AWSJSON.serialize([1, 2])).toBe('[1,2]');
    expect(AWSJSON.serialize('{"a":1}')).toBe('{"a":1}');
    expect(AWSJSON.serialize(3)).toBe('3');
    expect(AWSJSON.serialize(false)).toBe('false');
  });

  it('refuses a result JSON cannot represent', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorOf(() => AWSJSON.serialize(cyclic)).message).toBe('Unable to serialize `[object]` as valid JSON.');
    expect(errorOf(() => AWSJSON.serialize(10n)).message).toBe('Unable to serialize `10` as valid JSON.');
  });
});

describe('awsScalars', () => {
  it('holds the nine AppSync scalars under their names', () => {
    expect(Object.keys(awsScalars).sort()).toEqual(
      [
        'AWSDate',
        'AWSDateTime',
        'AWSEmail',
        'AWSIPAddress',
        'AWSJSON',
        'AWSPhone',
        'AWSTime',
        'AWSTimestamp',
        'AWSURL',
      ].sort(),
    );
    for (const [name, scalar] of Object.entries(awsScalars)) expect(scalar.name).toBe(name);
  });
});

describe('the implicit AppSync definitions', () => {
  const userSdl = `
    type Post @aws_api_key @aws_iam {
      id: ID!
      at: AWSDateTime
      day: AWSDate
      time: AWSTime
      ts: AWSTimestamp
      meta: AWSJSON
      email: AWSEmail @aws_cognito_user_pools(cognito_groups: ["admins"])
      site: AWSURL @aws_oidc
      phone: AWSPhone @aws_lambda
      ip: AWSIPAddress @aws_auth(cognito_groups: ["staff"])
    }
    type Query { post(day: AWSDate, meta: AWSJSON): Post @aws_cognito_user_pools }
    type Mutation { addPost(meta: AWSJSON!): Post }
    type Subscription { onAddPost: Post @aws_subscribe(mutations: ["addPost"]) }
  `;

  function buildWithAwsScalars(sdl: string) {
    const schema = buildSchema(`${AWS_SCALAR_SDL}\n${AWS_DIRECTIVE_SDL}\n${sdl}`);
    // The same wiring the engine's schema builder does: buildSchema makes placeholder scalars.
    for (const [name, impl] of Object.entries(awsScalars)) {
      const type = schema.getType(name);
      if (type && isScalarType(type)) {
        type.serialize = impl.serialize;
        type.parseValue = impl.parseValue;
        type.parseLiteral = impl.parseLiteral;
      }
    }
    return schema;
  }

  it('build a schema that uses every scalar and directive without declaring them', () => {
    const schema = buildWithAwsScalars(userSdl);
    for (const name of Object.keys(awsScalars)) expect(isScalarType(schema.getType(name))).toBe(true);
    for (const name of [
      'aws_subscribe',
      'aws_api_key',
      'aws_iam',
      'aws_oidc',
      'aws_lambda',
      'aws_cognito_user_pools',
      'aws_auth',
    ]) {
      expect(schema.getDirective(name)).toBeDefined();
    }
    expect(schema.getDirective('aws_subscribe')?.args[0].type.toString()).toBe('[String!]!');
    expect(schema.getDirective('aws_cognito_user_pools')?.args[0].type.toString()).toBe('[String!]');
    expect(schema.getDirective('aws_auth')?.args[0].type.toString()).toBe('[String!]!');
  });

  it('refuse a directive where AppSync does not allow it', () => {
    expect(() => buildWithAwsScalars('type Query @aws_subscribe(mutations: ["x"]) { a: Int }')).toThrow(
      /may not be used on OBJECT/,
    );
    expect(() => buildWithAwsScalars('type Query { a: Int @aws_subscribe }')).toThrow(/argument "mutations"/);
  });

  it('make a bad variable fail the request with the AppSync sentence', async () => {
    const schema = buildWithAwsScalars(userSdl);
    const result = await graphql({
      schema,
      source: 'query ($day: AWSDate) { post(day: $day) { id } }',
      variableValues: { day: '2020-13-01' },
      rootValue: { post: () => ({ id: '1' }) },
    });
    expect(result.errors?.[0].message).toContain('Unable to parse `2020-13-01` as a valid date.');
    expect(result.data).toBeUndefined();
  });

  it('make a bad inline literal fail validation', async () => {
    const schema = buildWithAwsScalars(userSdl);
    const result = await graphql({ schema, source: '{ post(day: "2020-13-01") { id } }', rootValue: {} });
    expect(result.errors?.[0].message).toContain('Unable to parse `2020-13-01` as a valid date.');
  });

  it('hand an AWSJSON argument to the resolver parsed and stringify it on the way out', async () => {
    const schema = buildWithAwsScalars(userSdl);
    let received: unknown;
    const result = await graphql({
      schema,
      source: 'mutation ($meta: AWSJSON!) { addPost(meta: $meta) { id meta } }',
      variableValues: { meta: '{"tags":["a"],"n":1}' },
      rootValue: {
        addPost: ({ meta }: { meta: unknown }) => {
          received = meta;
          return { id: '1', meta };
        },
      },
    });
    expect(result.errors).toBeUndefined();
    expect(received).toEqual({ tags: ['a'], n: 1 });
    expect(result.data).toEqual({ addPost: { id: '1', meta: '{"tags":["a"],"n":1}' } });
  });

  it('null out a field whose resolved value is not a valid scalar, with an error at its path', async () => {
    const schema = buildWithAwsScalars(userSdl);
    const result = await graphql({
      schema,
      source: '{ post { id at } }',
      rootValue: { post: () => ({ id: '1', at: '2020-05-23T06:4:37.000Z' }) },
    });
    expect(result.data).toEqual({ post: { id: '1', at: null } });
    expect(result.errors?.[0].message).toBe(
      'Unable to serialize `2020-05-23T06:4:37.000Z` as a valid DateTime Object.',
    );
    expect(result.errors?.[0].path).toEqual(['post', 'at']);
  });
});
