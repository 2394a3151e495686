// Builds the projection of an item: only the requested document paths, nested maps and lists rebuilt
// around them. Projected list elements keep their relative order and close up the gaps, as in DynamoDB.

import { own, setOwn } from '../values/own.js';
import type { AttributeValue, Item } from '../values/types.js';
import type { Path } from './ast.js';
import { getPath } from './evaluate.js';

export function project(item: Item, paths: Path[]): Item {
  const result: Item = {};
  for (const path of paths) {
    const value = getPath(item, path);
    if (value === undefined) continue;
    insert(result, path, structuredClone(value));
  }
  for (const v of Object.values(result)) compact(v);
  return result;
}

function insert(result: Item, path: Path, value: AttributeValue): void {
  const head = String(path[0]);
  if (path.length === 1) {
    setOwn(result, head, value);
    return;
  }
  let current: AttributeValue | undefined = own(result, head);
  if (current === undefined) {
    current = container(path[1]);
    setOwn(result, head, current);
  }
  for (let i = 1; i < path.length; i++) {
    const step = path[i];
    const isLast = i === path.length - 1;
    if (typeof step === 'number' && 'L' in current) {
      if (isLast) current.L[step] = value;
      else current = current.L[step] ??= container(path[i + 1]);
    } else if (typeof step === 'string' && 'M' in current) {
      if (isLast) setOwn(current.M, step, value);
      else {
        let next: AttributeValue | undefined = own(current.M, step);
        if (next === undefined) {
          next = container(path[i + 1]);
          setOwn(current.M, step, next);
        }
        current = next;
      }
    }
  }
}

function container(nextStep: string | number): AttributeValue {
  return typeof nextStep === 'number' ? { L: [] } : { M: {} };
}

/** Lists were filled sparsely by original index; close the holes. */
function compact(v: AttributeValue): void {
  if ('L' in v) {
    v.L = v.L.filter(() => true);
    v.L.forEach(compact);
  } else if ('M' in v) {
    Object.values(v.M).forEach(compact);
  }
}
