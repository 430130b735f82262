// Entry of the ingest consumer: events go to the bus EVENT_BUS_NAME names, with source EVENT_SOURCE.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { consumer } from './handler.js';

const events = new EventBridgeClient({});
const busName = process.env.EVENT_BUS_NAME ?? 'default';
const source = process.env.EVENT_SOURCE ?? 'ingest';

export const handler = consumer({
  publish: async (batch) => {
    const put = await events.send(
      new PutEventsCommand({
        Entries: batch.map((e) => ({ EventBusName: busName, Source: source, DetailType: `message from ${e.caller}`, Detail: e.detail })),
      }),
    );
    return batch.map((_, i) => put.Entries?.[i]?.ErrorCode === undefined && put.Entries?.[i]?.EventId !== undefined);
  },
});
