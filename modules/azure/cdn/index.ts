export * from './front-door-waf.js';
export * from './front-door.js';
