import { AFTER_ACCOUNT, type SystemDefinition } from '../types.js';
import { ImagingStack } from './stack.js';

export { ImagingStack } from './stack.js';
export { replicaBucketName } from './storage.js';

export const imagingSystem: SystemDefinition<'imaging'> = {
  name: 'imaging',
  cloud: 'aws',
  cidrIndex: 1,
  after: {
    primary: [
      AFTER_ACCOUNT,
      // Global Accelerator looks the DR load balancer up by name (data aws_lb), and S3 replication names the
      // DR bucket (replicaBucketName): both must exist before the primary applies.
      { system: 'imaging', site: 'dr', reason: 'the DR load balancer (data aws_lb) and the replica bucket it replicates to' },
    ],
    dr: [AFTER_ACCOUNT],
  },
  create: (scope, id, context) => new ImagingStack(scope, id, context),
};
