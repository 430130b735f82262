import { Testing, TerraformStack, Fn } from 'cdktf';
import { Construct } from 'constructs';
import { PropProblems } from './validation.js';

const scope = () => new Construct(new TerraformStack(Testing.app(), 's'), 'thing');

describe('PropProblems', () => {
  test('GIVEN several bad props WHEN thrown THEN one error lists each with its value and what is allowed', () => {
    const p = new PropProblems(scope(), 'Thing')
      .range('count', 0, 1, 5)
      .oneOf('mode', 'x', ['a', 'b'])
      .matches('name', 'UP', /^[a-z]+$/, 'lowercase letters');
    expect(p.count).toBe(3);
    expect(() => p.throwIfAny()).toThrow(
      'Thing s/thing: count must be an integer between 1 and 5 (got 0); mode must be one of "a", "b" (got "x"); name must be lowercase letters (got "UP")',
    );
  });

  test('GIVEN unresolved tokens WHEN checked THEN they are skipped', () => {
    const p = new PropProblems(scope(), 'Thing')
      .range('count', Fn.lengthOf(['a']) as unknown as number, 1, 5)
      .matches('name', Fn.lower('X'), /^[a-z]+$/, 'lowercase');
    expect(p.count).toBe(0);
    expect(() => p.throwIfAny()).not.toThrow();
  });

  test('GIVEN a value checked by a function WHEN it fails THEN the message names the prop, what is allowed and the value', () => {
    const isEven = (v: string) => Number(v) % 2 === 0;
    const p = new PropProblems(scope(), 'Thing').satisfies('count', '3', isEven, 'an even number').satisfies('size', '4', isEven, 'even');
    expect(p.count).toBe(1);
    expect(() => p.throwIfAny()).toThrow('Thing s/thing: count must be an even number (got "3")');
    expect(new PropProblems(scope(), 'Thing').satisfies('count', Fn.lower('X'), isEven, 'even').count).toBe(0);
  });
});
