import { AFTER_ACCOUNT, type SystemDefinition } from '../types.js';
import { IngestStack } from './stack.js';

export { IngestStack, INGEST_ROUTE, INGEST_STAGE } from './stack.js';

export const ingestSystem: SystemDefinition<'ingest'> = {
  name: 'ingest',
  cloud: 'aws',
  cidrIndex: 0,
  after: { primary: [AFTER_ACCOUNT], dr: [AFTER_ACCOUNT] },
  create: (scope, id, context) => new IngestStack(scope, id, context),
};
