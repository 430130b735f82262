// Entra ID access tokens for an application (client credentials): how the AWS functions sign in to
// Azure data planes (Service Bus, Blob Storage, Logs Ingestion) without an Azure SDK. A token is kept
// until a minute before it expires.

export interface EntraApplication {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: () => Promise<string>;
  /** @default https://login.microsoftonline.com */
  readonly authority?: string;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Returns a reader of a bearer token for `scope` (e.g. `https://storage.azure.com/.default`). */
export function entraToken(app: EntraApplication, scope: string): () => Promise<string> {
  const http = app.fetch ?? fetch;
  const now = app.now ?? Date.now;
  let token: { value: string; until: number } | undefined;
  return async () => {
    if (token && now() < token.until) return token.value;
    const url = `${app.authority ?? 'https://login.microsoftonline.com'}/${encodeURIComponent(app.tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: await app.clientSecret(),
      scope,
    });
    const response = await http(url, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    if (!response.ok) throw new Error(`Entra ID refused the token request: HTTP ${response.status}`);
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error('Entra ID answered without an access_token');
    token = { value: body.access_token, until: now() + Math.max(0, (body.expires_in ?? 300) - 60) * 1000 };
    return token.value;
  };
}

/** Statuses worth another try: throttling and the far side's own failures. */
export function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Calls `attempt` until it answers a status that is not transient, at most `tries` times, waiting
 * `delayMs * 2^n` between tries (or the `retry-after` seconds the far side asks for, capped at 30 s).
 */
export async function withRetries(
  attempt: () => Promise<Response>,
  tries = 4,
  delayMs = 500,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Response> {
  for (let n = 1; ; n++) {
    const response = await attempt();
    if (!isTransient(response.status) || n >= tries) return response;
    const asked = Number(response.headers.get('retry-after'));
    await response.body?.cancel();
    await sleep(Number.isFinite(asked) && asked > 0 ? Math.min(asked, 30) * 1000 : delayMs * 2 ** (n - 1));
  }
}
