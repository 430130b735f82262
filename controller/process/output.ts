// What the runner keeps of a child's output: a bounded tail of stdout and stderr interleaved (redacted
// when read) and, when asked, stdout apart up to a byte limit. Memory stays bounded whatever the child prints.
import { StringDecoder } from 'node:string_decoder';

/** Secrets shorter than this are not redacted: replacing every "a" or "12" would make a log unreadable. */
const MIN_SECRET_LENGTH = 4;

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) out = out.split(s).join('***');
  return out;
}

/** The last `limit` characters of everything appended, with every secret replaced by `***`. */
export class LogTail {
  private readonly chunks: { readonly source: string; readonly bytes: Buffer }[] = [];
  private kept = 0;
  private total = 0;
  private cut = false;
  private readonly keepBytes: number;

  constructor(
    private readonly limit: number,
    private readonly secrets: readonly string[] = [],
  ) {
    // A secret can straddle the point where the tail is cut: keep enough before it to recognise it.
    // Chunks stay undecoded until read (a UTF-8 character is at most 4 bytes): printing 1 GiB costs no string work.
    this.keepBytes = 4 * (limit + Math.max(0, ...secrets.map((s) => s.length)));
  }

  /** Appends a chunk of one stream (`source`): chunks of one source are decoded together, so split characters survive. */
  append(source: string, chunk: Buffer): void {
    this.total += chunk.length;
    this.chunks.push({ source, bytes: chunk });
    this.kept += chunk.length;
    while (this.kept - this.chunks[0].bytes.length >= this.keepBytes) {
      this.kept -= this.chunks.shift()!.bytes.length;
      this.cut = true;
    }
  }

  /** Bytes appended so far, kept or not. */
  get totalBytes(): number {
    return this.total;
  }

  toString(): string {
    const decoders = new Map<string, StringDecoder>();
    let text = '';
    for (const { source, bytes } of this.chunks) {
      let decoder = decoders.get(source);
      if (!decoder) decoders.set(source, (decoder = new StringDecoder('utf8')));
      text += decoder.write(bytes);
    }
    if (this.cut) text = withoutSecretEnds(text, this.secrets);
    return redact(text, this.secrets).slice(-this.limit);
  }
}

/** `text` without a leading end of a secret (what is left of one cut where the tail begins). */
function withoutSecretEnds(text: string, secrets: readonly string[]): string {
  let out = text;
  for (let dropped = true; dropped;) {
    dropped = false;
    for (const s of secrets) {
      if (s.length < MIN_SECRET_LENGTH) continue;
      for (let n = s.length - 1; n > 0; n--) {
        if (out.startsWith(s.slice(-n))) {
          out = out.slice(n);
          dropped = true;
          break;
        }
      }
    }
  }
  return out;
}

/** One stream kept whole up to `limit` bytes; `overflowed` once it passed them (what was kept is then incomplete). */
export class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;

  constructor(private readonly limit: number) {}

  /** Returns false when the chunk did not fit (nothing more is kept). */
  append(chunk: Buffer): boolean {
    if (this.overflowed) return false;
    if (this.size + chunk.length > this.limit) {
      this.overflowed = true;
      return false;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
