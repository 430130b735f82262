export * from './queue.js';
export * from './queue-consumer.js';
export * from './sns-topic.js';
