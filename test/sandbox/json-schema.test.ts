import { validateSchema, type Schema } from './json-schema.js';

const definitions: Record<string, Schema> = {
  '#/components/schemas/user': { type: 'object', required: ['login'], properties: { login: { type: 'string' }, id: { type: 'integer' } } },
};
const resolve = (ref: string): Schema => {
  const schema = definitions[ref];
  if (!schema) throw new Error(`unknown ${ref}`);
  return schema;
};
const strict = { resolve, closed: true };
const open = { resolve, closed: false };

describe('validateSchema', () => {
  test('GIVEN a matching value WHEN validated THEN no problems', () => {
    const schema: Schema = {
      type: 'object',
      required: ['user'],
      properties: { user: { $ref: '#/components/schemas/user' }, note: { type: 'string', nullable: true } },
    };
    expect(validateSchema(schema, { user: { login: 'a', id: 1 }, note: null }, strict)).toEqual([]);
  });

  test('GIVEN wrong types, a missing field and an enum miss WHEN validated THEN each problem names the path and the value', () => {
    const schema: Schema = {
      type: 'object',
      required: ['name', 'state'],
      properties: { name: { type: 'string' }, count: { type: 'integer' }, state: { type: 'string', enum: ['open', 'closed'] } },
    };
    expect(validateSchema(schema, { count: 1.5, state: 'merged' }, strict)).toEqual([
      '$: missing required field "name"',
      '$.count: expected integer, got number 1.5',
      '$.state: "merged" is not one of ["open","closed"]',
    ]);
  });

  test('GIVEN an unknown key WHEN validated in request (closed) mode THEN it is rejected, in response (open) mode it is allowed', () => {
    const schema: Schema = { type: 'object', properties: { body: { type: 'string' } } };
    expect(validateSchema(schema, { bdy: 'x' }, strict)).toEqual(['$: unknown field "bdy" (allowed: body)']);
    expect(validateSchema(schema, { bdy: 'x' }, open)).toEqual([]);
    expect(validateSchema({ type: 'object', additionalProperties: true, properties: {} }, { any: 1 }, strict)).toEqual([]);
  });

  test('GIVEN anyOf beside properties (checks.update) WHEN validated THEN keys of the parent are allowed and the branch constraint applies', () => {
    const schema: Schema = {
      type: 'object',
      properties: { name: { type: 'string' }, status: { type: 'string' }, conclusion: { type: 'string' } },
      anyOf: [
        { properties: { status: { enum: ['completed'] } }, required: ['conclusion'] },
        { properties: { status: { enum: ['queued', 'in_progress'] } } },
      ],
    };
    expect(validateSchema(schema, { name: 'x', status: 'completed', conclusion: 'success' }, strict)).toEqual([]);
    const problems = validateSchema(schema, { name: 'x', status: 'completed' }, strict);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\$: matches none of the 2 allowed shapes \(closest: .*missing required field "conclusion"/);
  });

  test('GIVEN oneOf alternatives (labels body) WHEN a bare array or an object matches THEN it passes; a misspelt key fails', () => {
    const schema: Schema = {
      oneOf: [
        { type: 'object', properties: { labels: { type: 'array', minItems: 1, items: { type: 'string' } } } },
        { type: 'array', items: { type: 'string' } },
      ],
    };
    expect(validateSchema(schema, { labels: ['a'] }, strict)).toEqual([]);
    expect(validateSchema(schema, ['a'], strict)).toEqual([]);
    expect(validateSchema(schema, { label: ['a'] }, strict)[0]).toContain('unknown field "label"');
    expect(validateSchema(schema, { labels: [] }, strict)[0]).toContain('0 items, fewer than the minimum 1');
  });

  test('GIVEN length, count, range and date-time limits WHEN exceeded THEN each is reported', () => {
    expect(validateSchema({ type: 'string', maxLength: 3 }, 'abcd', strict)).toEqual([
      '$: string of 4 characters is longer than the maximum 3',
    ]);
    expect(validateSchema({ type: 'array', maxItems: 1 }, [1, 2], strict)).toEqual(['$: 2 items, more than the maximum 1']);
    expect(validateSchema({ type: 'integer', minimum: 1 }, 0, strict)).toEqual(['$: 0 is below the minimum 1']);
    expect(validateSchema({ type: 'string', format: 'date-time' }, '2024-01-01 10:00', strict)[0]).toContain(
      'is not an ISO 8601 date-time',
    );
    expect(validateSchema({ type: 'string', format: 'date-time' }, '2024-01-01T10:00:00Z', strict)).toEqual([]);
  });

  test('GIVEN allOf parts WHEN validated THEN all apply and their keys count as known', () => {
    const schema: Schema = {
      allOf: [{ $ref: '#/components/schemas/user' }, { type: 'object', properties: { extra: { type: 'boolean' } } }],
    };
    expect(validateSchema(schema, { login: 'a', extra: true }, strict)).toEqual([]);
    expect(validateSchema(schema, { extra: 'yes' }, strict)).toEqual([
      '$: missing required field "login"',
      '$.extra: expected boolean, got string "yes"',
    ]);
  });
});
