// Entry of the change capture: table changes go to the Service Bus queue BACKUP_JOBS_QUEUE.
import { serviceBusFromEnvironment } from '../azure.js';
import { changeCapture } from './handler.js';

export const handler = changeCapture({ bus: serviceBusFromEnvironment(), queue: process.env.BACKUP_JOBS_QUEUE ?? 'backup-jobs' });
