import { checkMessage, queueFunction, type FunctionContext } from './message.js';

describe('queue messages', () => {
  test('GIVEN a parsed or a JSON text body WHEN checked THEN the object comes back; other fields are left alone', () => {
    expect(checkMessage('q', { a: 'x', extra: 1 }, { a: 'string' })).toEqual({ a: 'x', extra: 1 });
    expect(checkMessage('q', '{"a":"x"}', { a: 'string' })).toEqual({ a: 'x' });
  });

  test('GIVEN a body that is not an object WHEN checked THEN a MalformedMessage names the queue', () => {
    expect(() => checkMessage('q', 42, {})).toThrow('malformed q message: the body must be a JSON object (got 42)');
    expect(() => checkMessage('q', undefined, {})).toThrow('malformed q message: the body must be a JSON object (got nothing)');
  });

  test('GIVEN a function that succeeds WHEN run THEN its outputs are set as bindings, with the message id and enqueue time from bindingData', async () => {
    const context: FunctionContext = { bindings: {}, bindingData: { messageId: 'm-1', enqueuedTimeUtc: '2026-12-02T10:00:00Z' } };
    await queueFunction(async (message, meta) => ({ out: { message, meta } }))(context, 'hello');
    expect(context.bindings).toEqual({ out: { message: 'hello', meta: { messageId: 'm-1', enqueuedTimeUtc: '2026-12-02T10:00:00Z' } } });
  });

  test('GIVEN a function that fails WHEN run THEN it rejects and sets no binding (nothing half-written)', async () => {
    const context: FunctionContext = { bindings: {}, bindingData: {} };
    await expect(
      queueFunction(async () => {
        throw new Error('boom');
      })(context, 'x'),
    ).rejects.toThrow('boom');
    expect(context.bindings).toEqual({});
  });
});
