// Entry of the notification service (Azure Functions, Node.js v3 programming model).
import { queueFunction } from '../message.js';
import { sendNotification } from './handler.js';

export const run = queueFunction((message, meta) =>
  sendNotification(message, meta, {
    settings: { apiKey: process.env.EMAIL_PROVIDER_API_KEY ?? '', providerUrl: process.env.NOTIFICATION_PROVIDER_URL },
    fetch,
  }),
);
