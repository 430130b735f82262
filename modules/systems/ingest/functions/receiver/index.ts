// Entry of the ingest receiver: messages go to the queue QUEUE_URL names.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { receiver } from './handler.js';

const sqs = new SQSClient({});
const queueUrl = process.env.QUEUE_URL ?? '';

export const handler = receiver({
  enqueue: async (body, attributes) => {
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
      }),
    );
    return sent.MessageId ?? '';
  },
});
