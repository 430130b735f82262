// DynamoDB's attribute values to and from plain JSON (strings, numbers, booleans, null, lists and
// maps): what the low-level client takes, without the SDK's marshalling library.

export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly L: readonly AttributeValue[] }
  | { readonly M: Readonly<Record<string, AttributeValue>> };

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

export function toAttribute(value: Json): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot store ${value} in DynamoDB`);
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  return { M: toItem(value as Readonly<Record<string, Json>>) };
}

export function toItem(value: Readonly<Record<string, Json>>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toAttribute(v)]));
}

export function fromAttribute(value: AttributeValue): Json {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(fromAttribute);
  if ('M' in value) return fromItem(value.M);
  throw new Error(`unsupported DynamoDB attribute type: ${Object.keys(value).join(', ')}`);
}

export function fromItem(item: Readonly<Record<string, AttributeValue>>): Record<string, Json> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromAttribute(v)]));
}
