// The systems the app deploys. Each entry is imported lazily by nothing: adding a system is one
// line here plus its key in settings.ts.
import type { SystemDefinition } from './types.js';
import { ingestSystem } from './ingest/index.js';
import { imagingSystem } from './imaging/index.js';
import { agriSystem } from './agri/index.js';
import { paymentsSystem } from './payments/index.js';
import { commerceSystem } from './commerce/index.js';
import { controllerSystem } from './controller/index.js';

export const systems: readonly SystemDefinition[] = [
  ingestSystem,
  imagingSystem,
  agriSystem,
  paymentsSystem,
  commerceSystem,
  controllerSystem,
];
