// For tests of bad input: the message of what `fn` throws, so a test can compare it whole.

/** The message `fn` throws; fails the test when it throws nothing. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}
