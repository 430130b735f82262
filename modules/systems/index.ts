// The systems the app deploys. Each entry is imported lazily by nothing: adding a system is one
// line here plus its key in settings.ts.
import type { SystemDefinition } from './types.js';

export const systems: readonly SystemDefinition[] = [];
