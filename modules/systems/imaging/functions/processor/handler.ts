// The imaging processor: renders each requested cat-and-hat image once (an SVG drawing) and stores
// it at images/<id>.svg; an image already stored is not drawn again. A request that fails is
// reported alone, so the FIFO queue retries it and then parks it in its dead-letter queue.
import { eachRecord, type BatchResponse, type SqsEvent } from '../../../function-kit/batch.js';
import { imageId, imageKey, parseImageRequest, type ImageRequest } from '../images.js';

export interface ProcessorDeps {
  readonly exists: (key: string) => Promise<boolean>;
  readonly put: (key: string, body: string, contentType: string) => Promise<void>;
}

export function processor(deps: ProcessorDeps): (event: SqsEvent) => Promise<BatchResponse> {
  return (event) =>
    eachRecord(
      event.Records,
      (r) => r.messageId,
      async (record) => {
        const body = JSON.parse(record.body) as Record<string, unknown>;
        const { id, ...fields } = body;
        const request = parseImageRequest(fields);
        if (Array.isArray(request)) throw new Error(`bad rendering request: ${request.join('; ')}`);
        if (id !== imageId(request)) throw new Error(`bad rendering request: id ${JSON.stringify(id)} is not the pair's`);
        const key = imageKey(id);
        if (await deps.exists(key)) return;
        await deps.put(key, render(request), 'image/svg+xml');
      },
    );
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A cat (head, ears, eyes, whiskers) wearing a hat, both named in the caption. */
export function render(request: ImageRequest): string {
  const hue = [...`${request.cat}${request.hat}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
    `<title>${escapeXml(request.cat)} in a ${escapeXml(request.hat)}</title>`,
    '<circle cx="128" cy="150" r="70" fill="#f4a460"/>',
    '<polygon points="70,110 80,40 115,90" fill="#f4a460"/><polygon points="186,110 176,40 141,90" fill="#f4a460"/>',
    `<rect x="78" y="52" width="100" height="16" fill="hsl(${hue},60%,40%)"/>`,
    `<rect x="98" y="8" width="60" height="48" fill="hsl(${hue},60%,40%)"/>`,
    '<circle cx="103" cy="140" r="9"/><circle cx="153" cy="140" r="9"/>',
    '<path d="M60 170 L110 165 M60 185 L110 172 M196 170 L146 165 M196 185 L146 172" stroke="#333"/>',
    `<text x="128" y="246" font-size="14" text-anchor="middle">${escapeXml(request.cat)} · ${escapeXml(request.hat)}</text>`,
    '</svg>',
  ].join('');
}
