// Field-level auth for subscriptions, decided once at subscribe time. Delivery renders a published value once per
// selection and never runs resolvers, so the auth directives' per-field checks cannot run there; instead every
// field the subscription selects (through fragments, inline fragments and nested types) is checked against the
// subscriber's own authorization when it subscribes, and a field it may not read refuses the subscription with
// AppSync's Unauthorized error. A subscription that was accepted therefore never carries a field its subscriber
// could not have read over HTTP, and subscribers sharing a selection still share one rendered payload.
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { FieldAccess } from '../auth/directives.js';
import type { RequestAuth } from '../graphql/requestContext.js';

export interface DeniedField {
  typeName: string;
  fieldName: string;
}

/**
 * The first field of `root`'s selection (the subscription field's own selection set, under `rootType`) that
 * `auth` may not read, or undefined. On an interface or union every possible object type must allow the field:
 * which one a payload has is known only at delivery, so the stricter reading is taken.
 */
export function deniedField(
  schema: GraphQLSchema,
  document: DocumentNode,
  root: FieldNode,
  rootType: GraphQLObjectType,
  access: FieldAccess,
  auth: RequestAuth,
): DeniedField | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  // A fragment's verdict does not depend on where it is spread (its type condition fixes the type), so each is
  // walked once: the work stays linear in the document however often fragments spread each other.
  const walked = new Set<string>();
  // Explicit stack: the document's depth is bounded before we get here, but no walk needs the call stack.
  const stack: { set: SelectionSetNode; type: GraphQLCompositeType }[] = [];
  const visitField = (node: FieldNode, parent: GraphQLCompositeType): DeniedField | undefined => {
    const name = node.name.value;
    if (name.startsWith('__')) return undefined;
    const owners = isObjectType(parent) ? [parent] : schema.getPossibleTypes(parent);
    for (const owner of owners) if (!access(owner.name, name, auth)) return { typeName: owner.name, fieldName: name };
    const definition = 'getFields' in parent ? parent.getFields()[name] : undefined;
    const named: GraphQLNamedType | undefined = definition ? getNamedType(definition.type) : undefined;
    if (node.selectionSet && named && isCompositeType(named)) stack.push({ set: node.selectionSet, type: named });
    return undefined;
  };

  const rootDenied = visitField(root, rootType);
  if (rootDenied) return rootDenied;
  while (stack.length) {
    const { set, type } = stack.pop()!;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const denied = visitField(selection, type);
        if (denied) return denied;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition && isCompositeType(condition)) stack.push({ set: selection.selectionSet, type: condition });
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || walked.has(name)) continue;
        walked.add(name);
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (condition && isCompositeType(condition)) stack.push({ set: fragment.selectionSet, type: condition });
      }
    }
  }
  return undefined;
}
