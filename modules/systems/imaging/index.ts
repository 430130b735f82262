import type { SystemDefinition } from '../types.js';
import { ImagingStack } from './stack.js';

export { ImagingStack } from './stack.js';
export { replicaBucketName } from './storage.js';

export const imagingSystem: SystemDefinition<'imaging'> = {
  name: 'imaging',
  cloud: 'aws',
  cidrIndex: 1,
  create: (scope, id, context) => new ImagingStack(scope, id, context),
};
