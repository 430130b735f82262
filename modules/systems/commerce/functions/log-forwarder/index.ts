// Entry of the log forwarder: LOGS_INGESTION_ENDPOINT, DATA_COLLECTION_RULE_ID and LOGS_STREAM.
import { entraToken } from '../../../function-kit/entra-token.js';
import { logsIngestion } from '../../../function-kit/logs-ingestion.js';
import { entraApplicationFromEnvironment } from '../azure.js';
import { logForwarder } from './handler.js';

export const handler = logForwarder(
  logsIngestion({
    endpoint: process.env.LOGS_INGESTION_ENDPOINT ?? '',
    ruleId: process.env.DATA_COLLECTION_RULE_ID ?? '',
    stream: process.env.LOGS_STREAM ?? '',
    token: entraToken(entraApplicationFromEnvironment(), 'https://monitor.azure.com/.default'),
  }),
);
