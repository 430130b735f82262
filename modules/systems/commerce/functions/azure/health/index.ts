// GET /api/health, the path the platform and Front Door probe: the host is up and the code loaded.
export async function run(context: { res?: unknown }): Promise<void> {
  context.res = { status: 200, headers: { 'content-type': 'application/json' }, body: { status: 'ok' } };
}
