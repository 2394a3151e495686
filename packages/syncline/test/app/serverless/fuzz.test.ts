// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is the Framework's variable syntax.
// Hostile serverless.yml text and variables: the loader answers with a value or an error naming the problem,
// never a crash of another kind and never a hang. FUZZ_SECONDS=60 runs each property longer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppConfigError } from '../../../src/app/errors.js';
import { resolveVariables, VariableError } from '../../../src/app/loaders/serverless/variables.js';
import { parseYamlDefinition } from '../../../src/app/loaders/yaml.js';

const seconds = Number(process.env.FUZZ_SECONDS ?? 2);
const budget = { interruptAfterTimeLimit: seconds * 1000, numRuns: seconds > 2 ? 1_000_000 : 300 };

const token = fc.constantFrom(
  '${',
  '}',
  '${self:custom.a}',
  '${self:custom.b}',
  '${self:}',
  '${opt:stage}',
  '${sls:stage}',
  '${env:HOME}',
  '${env:NOPE, "d"}',
  "${env:NOPE, 'x,y'}",
  '${ssm:/p}',
  '${cf:s.o}',
  '${file(./nope.yml):k}',
  '${param:p}',
  '${aws:region}',
  '${AWS::Region}',
  '${Table.Arn}',
  '${strToBool(true)}',
  ',',
  "'",
  ':',
  '(',
  ')',
  'self',
  'a',
  ' ',
);
const text = fc.array(token, { maxLength: 12 }).map((parts) => parts.join(''));

describe('fuzzing the serverless.yml reader', () => {
  it('resolves or refuses any variable text, with a VariableError', () => {
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const root = { service: 'x', provider: { name: 'aws', stage: c }, custom: { a, b } };
        try {
          const out = resolveVariables(root, {
            dir: '/nonexistent',
            options: { params: {} },
            env: { HOME: '/home' },
            accountId: '000000000000',
            appsync: () => undefined,
          });
          expect(typeof out).toBe('object');
        } catch (error) {
          expect(error).toBeInstanceOf(VariableError);
        }
      }),
      budget,
    );
  });

  it('reads or refuses any YAML text, with an AppConfigError', () => {
    const yamlToken = fc.constantFrom(
      'a:',
      ' ',
      '\n',
      '  ',
      '- ',
      '!Ref',
      '!GetAtt',
      '!Sub',
      '!If',
      '[',
      ']',
      '{',
      '}',
      '&x',
      '*x',
      '<<:',
      'b',
      '"',
      "'",
      '#',
      ':',
    );
    fc.assert(
      fc.property(fc.array(yamlToken, { maxLength: 30 }), (parts) => {
        try {
          const doc = parseYamlDefinition('f.yml', parts.join(''));
          doc.lineOf(['a', 0, 'b']);
        } catch (error) {
          expect(error).toBeInstanceOf(AppConfigError);
        }
      }),
      budget,
    );
  });
});
