import { AFTER_ACCOUNT, type SystemDefinition } from '../types.js';
import { PaymentsStack } from './stack.js';

export { PaymentsStack, DB_APP_USER } from './stack.js';

export const paymentsSystem: SystemDefinition<'payments'> = {
  name: 'payments',
  cloud: 'aws',
  cidrIndex: 3,
  after: {
    primary: [AFTER_ACCOUNT],
    // The primary creates the Route 53 zone (dns.zone.create); the DR copy looks it up (data aws_route53_zone) for its records.
    dr: [AFTER_ACCOUNT, { system: 'payments', site: 'primary', reason: 'the hosted zone the primary creates (data aws_route53_zone)' }],
  },
  create: (scope, id, context) => new PaymentsStack(scope, id, context),
};
