// A small validator for the subset of OpenAPI 3.0 schema keywords GitHub's description uses:
// $ref, type, nullable, enum, required, properties, additionalProperties, items, allOf/anyOf/oneOf,
// min/maxLength, min/maxItems, minimum/maximum and the date-time format.
// oneOf is checked like anyOf: several of GitHub's alternatives overlap (a body can match two), and
// "at least one matches" is what a client needs to know.

export interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
}

export interface ValidateOptions {
  /** Follows a `$ref` (`#/components/...`) to its schema. */
  resolve: (ref: string) => Schema;
  /**
   * Request mode: an object schema that lists `properties` and says nothing about
   * `additionalProperties` rejects keys it does not list, so a misspelt field is caught
   * (GitHub ignores unknown fields silently; a client bug would go unnoticed).
   */
  closed: boolean;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_ERRORS = 20;

/** Returns every problem found (empty when `value` matches), each as `<json path>: <why>`. */
export function validateSchema(schema: Schema, value: unknown, options: ValidateOptions, path = '$'): string[] {
  const errors: string[] = [];
  check(schema, value, path, true, options, errors);
  return errors.slice(0, MAX_ERRORS);
}

function deref(schema: Schema, options: ValidateOptions): Schema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    if (hops > 32) throw new Error(`json-schema: $ref cycle at ${schema.$ref}`);
    current = options.resolve(current.$ref);
  }
  return current;
}

function check(raw: Schema, value: unknown, path: string, checkUnknown: boolean, options: ValidateOptions, errors: string[]): void {
  const schema = deref(raw, options);
  if (value === null && (schema.nullable === true || schema.type === 'null')) return;
  if (value === undefined) return;

  for (const part of schema.allOf ?? []) check(part, value, path, false, options, errors);
  const alternatives = schema.oneOf ?? schema.anyOf;
  // Alternatives beside `properties` only add constraints to the same object: the parent checks its keys.
  if (alternatives) checkAlternatives(alternatives, value, path, checkUnknown && !schema.properties, options, errors);

  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    return;
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    errors.push(`${path}: expected ${schema.type}${schema.nullable ? ' or null' : ''}, got ${describe(value)}`);
    return;
  }
  if (typeof value === 'string') checkString(schema, value, path, errors);
  if (typeof value === 'number') checkNumber(schema, value, path, errors);
  if (Array.isArray(value)) checkArray(schema, value, path, options, errors);
  else if (isObject(value)) checkObject(schema, value, path, checkUnknown, options, errors);
}

function checkAlternatives(
  alternatives: Schema[],
  value: unknown,
  path: string,
  checkUnknown: boolean,
  options: ValidateOptions,
  errors: string[],
): void {
  let best: string[] | undefined;
  for (const alternative of alternatives) {
    const found: string[] = [];
    check(alternative, value, path, checkUnknown, options, found);
    if (found.length === 0) return;
    if (!best || found.length < best.length) best = found;
  }
  errors.push(`${path}: matches none of the ${alternatives.length} allowed shapes (closest: ${(best ?? []).slice(0, 3).join('; ')})`);
}

function checkString(schema: Schema, value: string, path: string, errors: string[]): void {
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    errors.push(`${path}: string of ${value.length} characters is longer than the maximum ${schema.maxLength}`);
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    errors.push(`${path}: string of ${value.length} characters is shorter than the minimum ${schema.minLength}`);
  }
  if (schema.format === 'date-time' && !DATE_TIME.test(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SSZ)`);
  }
}

function checkNumber(schema: Schema, value: number, path: string, errors: string[]): void {
  if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: ${value} is below the minimum ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: ${value} is above the maximum ${schema.maximum}`);
}

function checkArray(schema: Schema, value: unknown[], path: string, options: ValidateOptions, errors: string[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push(`${path}: ${value.length} items, more than the maximum ${schema.maxItems}`);
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push(`${path}: ${value.length} items, fewer than the minimum ${schema.minItems}`);
  }
  if (schema.items) value.forEach((item, i) => check(schema.items as Schema, item, `${path}[${i}]`, true, options, errors));
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  path: string,
  checkUnknown: boolean,
  options: ValidateOptions,
  errors: string[],
): void {
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) errors.push(`${path}: missing required field "${key}"`);
  }
  const properties = schema.properties ?? {};
  for (const [key, item] of Object.entries(value)) {
    const propertySchema = properties[key];
    if (propertySchema) check(propertySchema, item, `${path}.${key}`, true, options, errors);
    else if (typeof schema.additionalProperties === 'object')
      check(schema.additionalProperties, item, `${path}.${key}`, true, options, errors);
  }
  if (!checkUnknown) return;
  const known = knownKeys(schema, options);
  if (!known) return;
  const closed = schema.additionalProperties === false || options.closed;
  if (!closed) return;
  for (const key of Object.keys(value)) {
    if (!known.has(key)) errors.push(`${path}: unknown field "${key}" (allowed: ${[...known].join(', ')})`);
  }
}

/** Keys an object may carry: its own properties and those its combinators declare; undefined = open. */
function knownKeys(schema: Schema, options: ValidateOptions): Set<string> | undefined {
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return undefined;
  const keys = new Set(Object.keys(schema.properties ?? {}));
  let declaresAny = schema.properties !== undefined;
  for (const part of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    const resolved = deref(part, options);
    if (resolved.type !== undefined && resolved.type !== 'object') continue;
    const inner = knownKeys(resolved, options);
    if (!inner) return undefined;
    if (resolved.properties !== undefined || inner.size > 0) declaresAny = true;
    for (const key of inner) keys.add(key);
  }
  return declaresAny ? keys : undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${String(value)}`;
}
