// The attribute value model: types, wire validation, numbers, ordering, key bytes and item size.

export { compareBytes, compareStrings, compareValues, valuesEqual } from './compare.js';
export { decodeKey, encodeKey } from './keyEncoding.js';
export { addNumbers, canonicalNumber, compareNumbers, numberError, subtractNumbers } from './numbers.js';
export { own, setOwn } from './own.js';
export { itemSize, MAX_ITEM_SIZE, valueSize } from './size.js';
export type { AttributeType, AttributeValue, Item, KeyType } from './types.js';
export { typeOf } from './types.js';
export { validateAttributeValue, validateItem } from './validate.js';
