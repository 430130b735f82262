// The imaging REST API (private, behind the API key authorizer):
//   GET  /images        lists the rendered images (newest page first; `?next=` continues)
//   GET  /images/{id}   reads one: its link, or 404
//   POST /images        {"cat", "hat"}: the image's link when it exists (200), else the rendering is
//                       queued (202); the FIFO queue drops identical requests made within five minutes.
import { handleRequests, json, jsonBody, pathBelow, RequestError, type ProxyEvent, type ProxyResult } from '../../../function-kit/http.js';
import { idOfKey, imageId, imageKey, parseImageRequest, IMAGE_PREFIX } from '../images.js';

export interface ImageStore {
  readonly exists: (key: string) => Promise<boolean>;
  readonly list: (prefix: string, limit: number, after?: string) => Promise<{ keys: string[]; next?: string }>;
}

export interface ApiDeps {
  readonly images: ImageStore;
  /** Queues a rendering; `group` orders the FIFO queue's messages per image. */
  readonly requestRendering: (body: string, group: string) => Promise<void>;
  /** Public host of the image CDN, when there is one. */
  readonly cdnDomain?: string;
}

export const PAGE_SIZE = 50;

export function imagingApi(deps: ApiDeps): (event: ProxyEvent) => Promise<ProxyResult> {
  const link = (id: string) => (deps.cdnDomain ? `https://${deps.cdnDomain}/${imageKey(id)}` : undefined);
  const describe = (id: string) => ({ id, key: imageKey(id), url: link(id) });
  return handleRequests(async (event) => {
    const [id, ...rest] = pathBelow(event, 'images');
    if (rest.length > 0) throw new RequestError(404, `no such resource: ${event.path}`);
    if (event.httpMethod === 'GET' && id === undefined) {
      const page = await deps.images.list(IMAGE_PREFIX, PAGE_SIZE, event.queryStringParameters?.next);
      const ids = page.keys.map(idOfKey).filter((i): i is string => i !== undefined);
      return json(200, { images: ids.map(describe), next: page.next });
    }
    if (event.httpMethod === 'GET') {
      if (!/^[0-9a-f]{16}$/.test(id!)) throw new RequestError(400, `an image id is 16 hex digits (got ${JSON.stringify(id)})`);
      if (!(await deps.images.exists(imageKey(id!)))) throw new RequestError(404, `image ${id} does not exist (yet)`);
      return json(200, describe(id!));
    }
    if (event.httpMethod === 'POST' && id === undefined) {
      const request = parseImageRequest(jsonBody(event));
      if (Array.isArray(request)) throw new RequestError(400, request.join('; '));
      const newId = imageId(request);
      if (await deps.images.exists(imageKey(newId))) return json(200, describe(newId));
      await deps.requestRendering(JSON.stringify({ id: newId, ...request }), newId);
      return json(202, { ...describe(newId), status: 'queued' });
    }
    throw new RequestError(405, `${event.httpMethod} ${event.path} is not supported (GET /images, GET /images/{id}, POST /images)`);
  });
}
