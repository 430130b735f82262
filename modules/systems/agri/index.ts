import { AFTER_ACCOUNT, type SystemDefinition } from '../types.js';
import { AgriStack } from './stack.js';

export { AgriStack, DB_APP_USER } from './stack.js';

export const agriSystem: SystemDefinition<'agri'> = {
  name: 'agri',
  cloud: 'aws',
  cidrIndex: 2,
  after: { primary: [AFTER_ACCOUNT], dr: [AFTER_ACCOUNT] },
  create: (scope, id, context) => new AgriStack(scope, id, context),
};
