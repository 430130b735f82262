import { bodyOf, request } from '../../../../../test/functions/fakes.js';
import { MAX_MESSAGE_BYTES, receiver } from './handler.js';

function receiverWithQueue() {
  const sent: { body: string; attributes: Readonly<Record<string, string>> }[] = [];
  const handle = receiver({ enqueue: async (body, attributes) => (sent.push({ body, attributes }), `m-${sent.length}`) });
  return { handle, sent };
}

describe('ingest receiver', () => {
  test('GIVEN a JSON message from an authorized source WHEN posted THEN it is queued with the caller and 202 gives its id', async () => {
    const { handle, sent } = receiverWithQueue();
    const result = await handle(request('POST', '/v1/messages', { body: { reading: 42 }, principalId: 'plant-a' }));
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toEqual({ messageId: 'm-1' });
    expect(sent).toEqual([{ body: '{"reading":42}', attributes: { source: 'plant-a' } }]);
  });

  test('GIVEN a Cognito client WHEN posting THEN the app client id is the caller', async () => {
    const { handle, sent } = receiverWithQueue();
    const event = request('POST', '/v1/messages', { body: { a: 1 } });
    await handle({ ...event, requestContext: { authorizer: { claims: { client_id: 'on-prem-client' } } } });
    expect(sent[0]!.attributes).toEqual({ source: 'on-prem-client' });
  });

  test.each([
    ['not JSON', 'reading=42', 400, 'the body is not valid JSON'],
    ['a JSON list', '[42]', 400, 'the body must be a JSON object'],
    [
      "over SQS's 256 KiB",
      JSON.stringify({ a: 'x'.repeat(MAX_MESSAGE_BYTES) }),
      413,
      `the body must be at most ${MAX_MESSAGE_BYTES} bytes`,
    ],
  ])('GIVEN a body that is %s WHEN posted THEN it answers %s and queues nothing', async (_, body, status, message) => {
    const { handle, sent } = receiverWithQueue();
    const result = await handle(request('POST', '/v1/messages', { body, principalId: 'plant-a' }));
    expect(result.statusCode).toBe(status);
    expect(bodyOf(result).message).toContain(message);
    expect(sent).toEqual([]);
  });

  test('GIVEN another method WHEN called THEN 405', async () => {
    expect((await receiverWithQueue().handle(request('GET', '/v1/messages'))).statusCode).toBe(405);
  });
});
