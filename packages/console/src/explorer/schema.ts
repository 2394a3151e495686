// The explorer builds the app's schema from its SDL in the browser (no introspection round trip). AppSync lets a
// schema use its AWS scalars without declaring them, so the undeclared ones are declared here; AppSync's
// directives are left undeclared and the SDL is taken as valid (the server already validated it).
import { buildASTSchema, type DocumentNode, type GraphQLSchema, Kind, parse } from 'graphql';

const AWS_SCALARS = [
  'AWSDate',
  'AWSTime',
  'AWSDateTime',
  'AWSTimestamp',
  'AWSEmail',
  'AWSJSON',
  'AWSURL',
  'AWSPhone',
  'AWSIPAddress',
];

export function buildAppSchema(sdl: string): GraphQLSchema {
  const document = parse(sdl);
  const declared = new Set(
    document.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [])),
  );
  const missing = AWS_SCALARS.filter((name) => !declared.has(name));
  const withScalars: DocumentNode = missing.length
    ? {
        ...document,
        definitions: [...parse(missing.map((n) => `scalar ${n}`).join('\n')).definitions, ...document.definitions],
      }
    : document;
  return buildASTSchema(withScalars, { assumeValidSDL: true });
}
