import type { SystemDefinition } from '../types.js';
import { PaymentsStack } from './stack.js';

export { PaymentsStack, DB_APP_USER } from './stack.js';

export const paymentsSystem: SystemDefinition<'payments'> = {
  name: 'payments',
  cloud: 'aws',
  cidrIndex: 3,
  create: (scope, id, context) => new PaymentsStack(scope, id, context),
};
