// The code of the commerce Function Apps: per app, its functions' entries and bindings. Every app
// has `health` (the path the platform and Front Door probe); the others are triggered by their queue
// and write through output bindings, with identity-based connections: `ServiceBus` is
// ServiceBus__fullyQualifiedNamespace, `SQL_CONNECTION` an Entra ID (managed identity) connection to
// the app's database, `BackupStorage` BackupStorage__blobServiceUri.
import type { FunctionBinding, FunctionCode } from '../../azure/functions/function-app-package.js';
import { functionEntry } from '../function-source.js';
import type { CommerceFunction } from './azure-services.js';

const entry = (name: string) => functionEntry('commerce', `azure/${name}`);
const fromQueue = (queueName: string): FunctionBinding => ({
  type: 'serviceBusTrigger',
  direction: 'in',
  name: 'message',
  queueName,
  connection: 'ServiceBus',
});
const toQueue = (name: string, queueName: string): FunctionBinding => ({
  type: 'serviceBus',
  direction: 'out',
  name,
  queueName,
  connection: 'ServiceBus',
});
const toTable = (name: string, table: string): FunctionBinding => ({
  type: 'sql',
  direction: 'out',
  name,
  commandText: table,
  connectionStringSetting: 'SQL_CONNECTION',
});

const HEALTH: FunctionCode = {
  entry: entry('health'),
  bindings: [
    { type: 'httpTrigger', direction: 'in', name: 'req', authLevel: 'anonymous', methods: ['get'], route: 'health' },
    { type: 'http', direction: 'out', name: 'res' },
  ],
};

export const COMMERCE_FUNCTION_CODE: Readonly<Record<CommerceFunction, Readonly<Record<string, FunctionCode>>>> = {
  'payment-processor': {
    health: HEALTH,
    'process-payment': {
      entry: entry('payment-processor'),
      bindings: [
        fromQueue('payment-requests'),
        toQueue('paymentResult', 'payment-results'),
        toQueue('notification', 'notifications'),
        toQueue('analyticsEvent', 'analytics-events'),
        toTable('payment', 'dbo.Payments'),
      ],
    },
  },
  notification: {
    health: HEALTH,
    'send-notification': {
      entry: entry('notification'),
      bindings: [fromQueue('notifications'), toQueue('analyticsEvent', 'analytics-events')],
    },
  },
  'analytics-processor': {
    health: HEALTH,
    'record-event': { entry: entry('analytics-processor'), bindings: [fromQueue('analytics-events'), toTable('event', 'dbo.Events')] },
  },
  'backup-service': {
    health: HEALTH,
    'back-up-change': {
      entry: entry('backup-service'),
      bindings: [
        fromQueue('backup-jobs'),
        { type: 'blob', direction: 'out', name: 'backup', path: 'dynamodb-exports/{MessageId}.json', connection: 'BackupStorage' },
        toTable('change', 'dbo.TableChanges'),
      ],
    },
  },
};
