// One Azure Blob Storage container over its REST API with an Entra ID bearer token: read a small
// blob, write one in a single Put Blob, or in blocks (Put Block, then Put Block List) when it is too
// large to hold in memory at once. Throttling and 5xx answers are retried; anything else is an error
// naming the operation, the blob and the status.
import { withRetries } from './entra-token.js';

/** The REST API version the calls speak (Put Blob up to 5000 MiB, block ids up to 64 bytes). */
export const BLOB_API_VERSION = '2023-11-03';

export interface BlobContainerOptions {
  /** `https://<account>.blob.core.windows.net/<container>`, or a local base URL (tests). */
  readonly url: string;
  readonly token: () => Promise<string>;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
  /** Waits between retries. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface BlobContainer {
  /** The blob's text; undefined when it does not exist. */
  readonly read: (name: string) => Promise<string | undefined>;
  /** Creates or replaces the blob with `data` in one call. */
  readonly put: (name: string, data: Uint8Array | string, contentType?: string) => Promise<void>;
  /** Creates or replaces the blob from `blocks`, uploaded one by one and committed in order. */
  readonly putBlocks: (name: string, blocks: AsyncIterable<Uint8Array>, contentType?: string) => Promise<void>;
}

/** Block ids must all have the same length within a blob. */
export function blockId(index: number): string {
  return Buffer.from(`block-${String(index).padStart(6, '0')}`).toString('base64');
}

export function blobContainer(options: BlobContainerOptions): BlobContainer {
  const http = options.fetch ?? fetch;
  const base = options.url.replace(/\/$/, '');
  const blobUrl = (name: string, query = '') => `${base}/${name.split('/').map(encodeURIComponent).join('/')}${query}`;
  const call = async (what: string, name: string, url: string, init: RequestInit, expected: number[]): Promise<Response> => {
    const response = await withRetries(
      async () =>
        http(url, {
          ...init,
          headers: {
            ...(init.headers as Record<string, string>),
            authorization: `Bearer ${await options.token()}`,
            'x-ms-version': BLOB_API_VERSION,
          },
        }),
      4,
      500,
      options.sleep,
    );
    if (!expected.includes(response.status)) {
      await response.body?.cancel();
      throw new Error(`Blob Storage refused ${what} of ${name}: HTTP ${response.status}`);
    }
    return response;
  };
  return {
    read: async (name) => {
      const response = await call('Get Blob', name, blobUrl(name), { method: 'GET' }, [200, 404]);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      return response.text();
    },
    put: async (name, data, contentType = 'application/octet-stream') => {
      const headers = { 'x-ms-blob-type': 'BlockBlob', 'content-type': contentType };
      await call('Put Blob', name, blobUrl(name), { method: 'PUT', headers, body: data }, [201]);
    },
    putBlocks: async (name, blocks, contentType = 'application/octet-stream') => {
      const ids: string[] = [];
      for await (const block of blocks) {
        const id = blockId(ids.length);
        await call(
          'Put Block',
          name,
          blobUrl(name, `?comp=block&blockid=${encodeURIComponent(id)}`),
          { method: 'PUT', body: block },
          [201],
        );
        ids.push(id);
      }
      const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`;
      const headers = { 'content-type': 'application/xml', 'x-ms-blob-content-type': contentType };
      await call('Put Block List', name, blobUrl(name, '?comp=blocklist'), { method: 'PUT', headers, body: list }, [201]);
    },
  };
}
