// Applies parsed update actions to an item. Every SET right-hand side is evaluated against the item as it was
// before the update, and REMOVEs of list elements refer to the original positions (the list is compacted
// at the end), matching DynamoDB: `REMOVE l[0], l[1]` removes the first two elements.
import { validation } from '../errors.js';
import { compareBytes } from '../values/compare.js';
import { addNumbers, compareNumbers, subtractNumbers } from '../values/numbers.js';
import { own, setOwn } from '../values/own.js';
import type { AttributeValue, Item } from '../values/types.js';
import type { Path, SetValue, UpdateAction } from './ast.js';
import { getPath, resolveOperand } from './evaluate.js';

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const INCORRECT_TYPE = 'An operand in the update expression has an incorrect data type';
const MISSING_ATTRIBUTE = 'The provided expression refers to an attribute that does not exist in the item';
const LEGACY_TYPE_MISMATCH = 'Type mismatch for attribute to update';

function resolveSetValue(v: SetValue, item: Item): AttributeValue {
  switch (v.kind) {
    case 'value':
    case 'path':
    case 'size': {
      const resolved = resolveOperand(v, item);
      if (resolved === undefined) throw validation(MISSING_ATTRIBUTE);
      return resolved;
    }
    case 'if_not_exists':
      return getPath(item, v.path) ?? resolveSetValue(v.fallback, item);
    case '+':
    case '-': {
      const a = resolveSetValue(v.left, item);
      const b = resolveSetValue(v.right, item);
      if (!('N' in a) || !('N' in b)) throw validation(INCORRECT_TYPE);
      return { N: v.kind === '+' ? addNumbers(a.N, b.N) : subtractNumbers(a.N, b.N) };
    }
    case 'list_append': {
      const a = resolveSetValue(v.left, item);
      const b = resolveSetValue(v.right, item);
      if (!('L' in a) || !('L' in b)) throw validation(INCORRECT_TYPE);
      return { L: [...a.L, ...b.L] };
    }
  }
}

/** Where a path's last step lives: the item itself, a map, or a list. */
type Slot =
  | { kind: 'item'; item: Item; name: string }
  | { kind: 'map'; map: Record<string, AttributeValue>; name: string }
  | { kind: 'list'; list: AttributeValue[]; index: number };

function slotOf(item: Item, path: Path): Slot {
  const last = path[path.length - 1];
  if (path.length === 1) return { kind: 'item', item, name: String(last) };
  const parent = getPath(item, path.slice(0, -1));
  if (parent !== undefined && typeof last === 'string' && 'M' in parent)
    return { kind: 'map', map: parent.M, name: last };
  if (parent !== undefined && typeof last === 'number' && 'L' in parent)
    return { kind: 'list', list: parent.L, index: last };
  throw validation(INVALID_PATH);
}

function read(slot: Slot): AttributeValue | undefined {
  switch (slot.kind) {
    case 'item':
      return own(slot.item, slot.name);
    case 'map':
      return own(slot.map, slot.name);
    case 'list':
      return slot.list[slot.index];
  }
}

/** Elements written past the end of lists, appended once every action has run. */
type Appends = Map<AttributeValue[], Array<{ index: number; value: AttributeValue }>>;

/**
 * Writing past the end of a list appends, as DynamoDB does — in index order, whatever the order of the actions:
 * `SET l[84] = :a, l[37] = :b` on a one-element list gives [l0, b, a].
 */
function write(slot: Slot, value: AttributeValue, appends?: Appends): void {
  switch (slot.kind) {
    case 'item':
      setOwn(slot.item, slot.name, value);
      return;
    case 'map':
      setOwn(slot.map, slot.name, value);
      return;
    case 'list':
      if (slot.index < slot.list.length) slot.list[slot.index] = value;
      else if (appends) {
        const pending = appends.get(slot.list) ?? [];
        const same = pending.find((p) => p.index === slot.index);
        if (same) same.value = value;
        else pending.push({ index: slot.index, value });
        appends.set(slot.list, pending);
      } else slot.list.push(value);
  }
}

function addToSet(existing: AttributeValue, value: AttributeValue): AttributeValue | undefined {
  if ('SS' in existing && 'SS' in value)
    return { SS: [...existing.SS, ...value.SS.filter((s) => !existing.SS.includes(s))] };
  if ('NS' in existing && 'NS' in value) {
    const added = value.NS.filter((n) => !existing.NS.some((e) => compareNumbers(e, n) === 0));
    return { NS: [...existing.NS, ...added] };
  }
  if ('BS' in existing && 'BS' in value) {
    const added = value.BS.filter((b) => !existing.BS.some((e) => compareBytes(e, b) === 0));
    return { BS: [...existing.BS, ...added] };
  }
  return undefined;
}

function deleteFromSet(existing: AttributeValue, value: AttributeValue): string[] | undefined {
  if ('SS' in existing && 'SS' in value) return existing.SS.filter((s) => !value.SS.includes(s));
  if ('NS' in existing && 'NS' in value)
    return existing.NS.filter((e) => !value.NS.some((n) => compareNumbers(e, n) === 0));
  if ('BS' in existing && 'BS' in value)
    return existing.BS.filter((e) => !value.BS.some((b) => compareBytes(e, b) === 0));
  return undefined;
}

/** True when every action only takes something away: on a missing item such an update writes nothing. */
export function onlyRemoves(actions: UpdateAction[]): boolean {
  return actions.length > 0 && actions.every((a) => a.action === 'REMOVE' || a.action === 'DELETE');
}

/** Returns the updated copy of `item` (a missing item starts empty); the input is not modified. */
export function applyUpdate(actions: UpdateAction[], item: Item | undefined): Item {
  const original = item ?? {};
  const values = actions.map((a) => (a.action === 'SET' ? resolveSetValue(a.value, original) : undefined));
  const result = structuredClone(original);
  const removals = new Map<AttributeValue[], Set<number>>();
  const appends: Appends = new Map();

  const remove = (slot: Slot) => {
    if (slot.kind === 'item') delete slot.item[slot.name];
    else if (slot.kind === 'map') delete slot.map[slot.name];
    else if (slot.index < slot.list.length) {
      const indexes = removals.get(slot.list) ?? new Set<number>();
      indexes.add(slot.index);
      removals.set(slot.list, indexes);
    }
  };

  actions.forEach((action, i) => {
    const slot = slotOf(result, action.path);
    switch (action.action) {
      case 'SET':
        write(slot, structuredClone(values[i]!), appends);
        return;
      case 'REMOVE':
        remove(slot);
        return;
      case 'ADD': {
        const existing = read(slot);
        const typeError = action.legacy ? LEGACY_TYPE_MISMATCH : INCORRECT_TYPE;
        if (existing === undefined) {
          write(slot, structuredClone(action.value));
        } else if ('N' in action.value) {
          if (!('N' in existing)) throw validation(typeError);
          write(slot, { N: addNumbers(existing.N, action.value.N) });
        } else if ('L' in action.value && action.legacy) {
          if (!('L' in existing)) throw validation(typeError);
          write(slot, { L: [...existing.L, ...structuredClone(action.value.L)] });
        } else {
          const union = addToSet(existing, action.value);
          if (!union) throw validation(typeError);
          write(slot, union);
        }
        return;
      }
      case 'DELETE': {
        const existing = read(slot);
        if (existing === undefined) return;
        const remaining = deleteFromSet(existing, action.value);
        if (!remaining) throw validation(action.legacy ? LEGACY_TYPE_MISMATCH : INCORRECT_TYPE);
        if (remaining.length === 0) remove(slot);
        else write(slot, { [Object.keys(existing)[0]]: remaining } as AttributeValue);
      }
    }
  });

  for (const [list, indexes] of removals) {
    for (const index of [...indexes].sort((a, b) => b - a)) list.splice(index, 1);
  }
  for (const [list, pending] of appends) {
    for (const p of pending.sort((a, b) => a.index - b.index)) list.push(p.value);
  }
  return result;
}

/** The document paths an update writes, for ReturnValues UPDATED_OLD / UPDATED_NEW (use with `project`). */
export function updatedPaths(actions: UpdateAction[]): Path[] {
  return actions.map((a) => a.path);
}
