#!/usr/bin/env node
// `npm run demo`: runs demo/index.ts through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../demo/index.ts');
