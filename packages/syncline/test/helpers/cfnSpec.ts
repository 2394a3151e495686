// Checks a CloudFormation template against the CloudFormation resource specification (AWS's registry schemas as
// the CDK team publishes them in @aws-cdk/aws-service-spec): every resource type exists, every property is known,
// required properties are present and values have the declared shape. Intrinsics stand for any value.
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

type SpecType = { type: string; reference?: { $ref: string }; element?: SpecType; types?: SpecType[] };
type SpecProperty = { type: SpecType; required?: boolean };

const db = loadAwsServiceSpecSync();

/** Properties `aws cloudformation package` accepts as local paths and uploads (its documented list). */
const PACKAGEABLE: Record<string, string[]> = {
  'AWS::Lambda::Function': ['Code'],
  'AWS::AppSync::Resolver': ['CodeS3Location', 'RequestMappingTemplateS3Location', 'ResponseMappingTemplateS3Location'],
  'AWS::AppSync::FunctionConfiguration': ['CodeS3Location'],
  'AWS::AppSync::GraphQLSchema': ['DefinitionS3Location'],
};

const isIntrinsic = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length === 1 &&
  /^(Ref|Fn::\w+|Condition)$/.test(Object.keys(v)[0]);

export function validateTemplate(template: { Resources: Record<string, { Type: string; Properties?: unknown }> }) {
  const problems: string[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    const found = db.lookup('resource', 'cloudFormationType', 'equals', r.Type);
    if (found.length !== 1) {
      problems.push(`${id}: unknown resource type ${r.Type}`);
      continue;
    }
    const spec = found[0] as unknown as { properties: Record<string, SpecProperty> };
    const props = (r.Properties ?? {}) as Record<string, unknown>;
    const local = PACKAGEABLE[r.Type] ?? [];
    checkObject(spec.properties, props, `${id}.Properties`, problems, local);
  }
  return problems;
}

function checkObject(
  spec: Record<string, SpecProperty>,
  value: Record<string, unknown>,
  at: string,
  problems: string[],
  localPaths: string[] = [],
) {
  for (const [name, p] of Object.entries(spec)) {
    if (p.required && !(name in value)) problems.push(`${at}.${name}: required`);
  }
  for (const [name, v] of Object.entries(value)) {
    const p = spec[name];
    if (!p) problems.push(`${at}.${name}: not a property`);
    else if (localPaths.includes(name) && typeof v === 'string') continue;
    else checkValue(p.type, v, `${at}.${name}`, problems);
  }
}

function checkValue(type: SpecType, value: unknown, at: string, problems: string[]) {
  if (isIntrinsic(value)) return;
  switch (type.type) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: expected a string`);
      return;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)))
        problems.push(`${at}: expected a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false')
        problems.push(`${at}: expected a boolean`);
      return;
    case 'json':
      return;
    case 'array':
      if (!Array.isArray(value)) problems.push(`${at}: expected a list`);
      else {
        for (const [i, v] of value.entries()) checkValue(type.element as SpecType, v, `${at}[${i}]`, problems);
      }
      return;
    case 'map':
      if (typeof value !== 'object' || value === null) problems.push(`${at}: expected a map`);
      else for (const [k, v] of Object.entries(value)) checkValue(type.element as SpecType, v, `${at}.${k}`, problems);
      return;
    case 'union': {
      const options = type.types ?? [];
      const fits = options.some((t) => {
        const found: string[] = [];
        checkValue(t, value, at, found);
        return !found.length;
      });
      if (!fits) problems.push(`${at}: fits none of ${options.map((t) => t.type).join(', ')}`);
      return;
    }
    case 'ref': {
      const def = db.get('typeDefinition', type.reference?.$ref as string) as unknown as {
        properties: Record<string, SpecProperty>;
      };
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        problems.push(`${at}: expected an object`);
      else checkObject(def.properties, value as Record<string, unknown>, at, problems);
      return;
    }
    default:
      return;
  }
}
