// Pure rules of the release controller: no I/O, so every decision can be tested as a table.
export * from './branch-name.js';
export * from './branch-policy.js';
export * from './based-on-trunk.js';
