export * from './load-at-ref.js';
