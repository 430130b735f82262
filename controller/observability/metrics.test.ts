import { pino } from 'pino';
import type { ServedController } from '../compose.js';
import { post, postSigned, prPayload, recordingCore, serveForTest } from '../../test/fixtures/served-controller.js';
import { ControllerMetrics } from './metrics.js';

let server: ServedController;
let recorded: ReturnType<typeof recordingCore>;

beforeEach(async () => {
  recorded = recordingCore();
  server = await serveForTest(pino({ level: 'silent' }), recorded.core);
});
afterEach(() => server.close());

/** GET /metrics: its content type, and each sample line's value by its name and labels as printed. */
async function scrape(url: string): Promise<{ type: string | null; samples: Map<string, number>; text: string }> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) samples.set(m[1]!, Number(m[2]));
  }
  return { type: res.headers.get('content-type'), samples, text };
}

describe('GET /metrics', () => {
  test('GIVEN a delivery, its redelivery, a forged one and a job still running WHEN scraped THEN the counters and the queue depth say so, in the Prometheus text format', async () => {
    recorded.hold();
    expect((await postSigned(server, 'm-1')).status).toBe(200);
    expect((await postSigned(server, 'm-1')).status).toBe(200);
    const forged = await post(server, prPayload(), {
      'x-github-event': 'pull_request',
      'x-github-delivery': 'm-2',
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    });
    expect(forged.status).toBe(400);
    const { type, samples } = await scrape(server.url);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(samples.get('gitops_webhooks_received_total{event="pull_request"}')).toBe(2);
    expect(samples.get('gitops_webhooks_deduplicated_total{event="pull_request.opened"}')).toBe(1);
    expect(samples.get('gitops_webhooks_rejected_total{status="400"}')).toBe(1);
    expect(samples.get('gitops_job_queue_depth')).toBe(1);
    recorded.release();
    await server.runtime.queue.onIdle();
    expect((await scrape(server.url)).samples.get('gitops_job_queue_depth')).toBe(0);
  });

  test('GIVEN a served controller WHEN scraped THEN the default process metrics and every gitops metric are described', async () => {
    const { samples, text } = await scrape(server.url);
    expect(samples.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(samples.get('nodejs_heap_size_total_bytes')).toBeGreaterThan(0);
    for (const [name, type] of [
      ['gitops_webhooks_received_total', 'counter'],
      ['gitops_webhooks_rejected_total', 'counter'],
      ['gitops_webhooks_deduplicated_total', 'counter'],
      ['gitops_job_queue_depth', 'gauge'],
      ['gitops_plan_duration_seconds', 'histogram'],
      ['gitops_apply_duration_seconds', 'histogram'],
      ['gitops_lock_wait_seconds', 'histogram'],
      ['gitops_back_sync_total', 'counter'],
      ['gitops_delivery_claims_total', 'counter'],
      ['gitops_takeovers_total', 'counter'],
    ])
      expect(text).toContain(`# TYPE ${name} ${type}`);
  });

  test('GIVEN two controllers in one process WHEN one counts a webhook THEN the other does not see it (one registry each)', async () => {
    const other = new ControllerMetrics();
    expect((await postSigned(server, 'm-3')).status).toBe(200);
    expect((await scrape(server.url)).samples.get('gitops_webhooks_received_total{event="pull_request"}')).toBe(1);
    expect((await other.scrape()).body).not.toContain('gitops_webhooks_received_total{');
  });
});
