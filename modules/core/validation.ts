// Prop validation for constructs: collect every problem, then throw once.
import { Token } from 'cdktf';
import type { Construct } from 'constructs';

/** Collects problems found in a construct's props; `throwIfAny` raises them together. */
export class PropProblems {
  private readonly problems: string[] = [];

  constructor(
    private readonly construct: Construct,
    private readonly className: string,
  ) {}

  /** Records `message` when `ok` is false. Unresolved tokens are never checked: pass `value` to skip them. */
  check(ok: boolean, message: string, value?: unknown): this {
    if (value !== undefined && isUnresolved(value)) return this;
    if (!ok) this.problems.push(message);
    return this;
  }

  /** A number in [min, max] (integers only unless `integer` is false). */
  range(prop: string, value: number | undefined, min: number, max: number, integer = true): this {
    if (value === undefined || isUnresolved(value)) return this;
    const ok = value >= min && value <= max && (!integer || Number.isInteger(value));
    return this.check(ok, `${prop} must be ${integer ? 'an integer ' : ''}between ${min} and ${max} (got ${value})`);
  }

  /** One of the allowed values. */
  oneOf<T>(prop: string, value: T | undefined, allowed: readonly T[]): this {
    if (value === undefined || isUnresolved(value)) return this;
    return this.check(
      allowed.includes(value),
      `${prop} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${JSON.stringify(value)})`,
    );
  }

  /** Matches `pattern`; `what` describes what is allowed. */
  matches(prop: string, value: string | undefined, pattern: RegExp, what: string): this {
    return this.satisfies(prop, value, (v) => pattern.test(v), what);
  }

  /** Passes `test`; `what` describes what is allowed. */
  satisfies(prop: string, value: string | undefined, test: (value: string) => boolean, what: string): this {
    if (value === undefined || isUnresolved(value)) return this;
    return this.check(test(value), `${prop} must be ${what} (got ${JSON.stringify(value)})`);
  }

  get count(): number {
    return this.problems.length;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new Error(`${this.className} ${this.construct.node.path}: ${this.problems.join('; ')}`);
    }
  }
}

/** True when the value is, or contains, an unresolved cdktf token. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some(isUnresolved);
  return false;
}
