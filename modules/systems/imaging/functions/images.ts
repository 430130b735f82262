// What the API and the processor agree on: an image is one cat in one hat, its id is derived from
// the pair (so the same request always names the same image), and it is stored at images/<id>.svg.
import { createHash } from 'node:crypto';

export interface ImageRequest {
  readonly cat: string;
  readonly hat: string;
}

/** Letters, digits, spaces and hyphens; up to 40 characters. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9 -]{0,39}$/;

/** The request in `value`, or the list of what is wrong with it. */
export function parseImageRequest(value: Record<string, unknown>): ImageRequest | string[] {
  const problems: string[] = [];
  for (const field of ['cat', 'hat'] as const) {
    const v = value[field];
    if (typeof v !== 'string' || !NAME.test(v)) {
      problems.push(`${field} must be 1-40 letters, digits, spaces or hyphens (got ${JSON.stringify(v)})`);
    }
  }
  const unknown = Object.keys(value).filter((k) => k !== 'cat' && k !== 'hat');
  if (unknown.length > 0) problems.push(`unknown fields: ${unknown.join(', ')} (allowed: cat, hat)`);
  return problems.length > 0 ? problems : { cat: value.cat as string, hat: value.hat as string };
}

/** 16 hex digits of the SHA-256 of the normalised pair. */
export function imageId(request: ImageRequest): string {
  const normalised = `${request.cat.trim().toLowerCase()}\n${request.hat.trim().toLowerCase()}`;
  return createHash('sha256').update(normalised).digest('hex').slice(0, 16);
}

export const IMAGE_PREFIX = 'images/';

export function imageKey(id: string): string {
  return `${IMAGE_PREFIX}${id}.svg`;
}

/** The id in an image's key, or undefined for any other object. */
export function idOfKey(key: string): string | undefined {
  return /^images\/([0-9a-f]{16})\.svg$/.exec(key)?.[1];
}
