// Entry of the payment processor (Azure Functions, Node.js v3 programming model).
import { queueFunction } from '../message.js';
import { processPayment } from './handler.js';

export const run = queueFunction((message, meta) =>
  processPayment(message, meta, {
    settings: { stripeApiKey: process.env.STRIPE_API_KEY ?? '', currency: process.env.PAYMENT_CURRENCY },
    fetch,
  }),
);
