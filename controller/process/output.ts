// What the runner keeps of a child's output: a bounded tail of stdout and stderr interleaved (redacted
// when read) and, when asked, stdout apart up to a byte limit. Memory stays bounded whatever the child prints.
import { StringDecoder } from 'node:string_decoder';
import { SecretMasker, secretForms } from '../secrets/mask.js';

/** The last `limit` characters of everything appended, with every secret replaced by `***`. */
export class LogTail {
  private readonly chunks: { readonly source: string; readonly bytes: Buffer }[] = [];
  private kept = 0;
  private total = 0;
  private cut = false;
  private readonly keepBytes: number;
  private readonly masker: SecretMasker;
  /** Every form in which a secret is masked (as given, JSON-escaped, a PEM's lines, …). */
  private readonly forms: string[];

  constructor(
    private readonly limit: number,
    secrets: readonly string[] = [],
  ) {
    this.masker = new SecretMasker(secrets);
    this.forms = secrets.flatMap(secretForms);
    // A secret can straddle the point where the tail is cut: keep enough before it to recognise it.
    // Chunks stay undecoded until read (a UTF-8 character is at most 4 bytes): printing 1 GiB costs no string work.
    this.keepBytes = 4 * (limit + Math.max(0, ...this.forms.map((s) => s.length)));
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
    if (this.cut) text = withoutSecretEnds(text, this.forms);
    return this.masker.mask(text).slice(-this.limit);
  }
}

/**
 * `text` without a leading end of a secret (what is left of one cut where the tail begins). Such a remnant is
 * shorter than the longest secret, so no more than that is dropped, however often the text repeats a secret's end.
 */
function withoutSecretEnds(text: string, secrets: readonly string[]): string {
  const most = Math.max(0, ...secrets.map((s) => s.length)) - 1;
  let dropped = 0;
  let again = true;
  while (again && dropped < most) {
    again = false;
    for (const s of secrets) {
      for (let n = Math.min(s.length - 1, most - dropped); n > 0 && !again; n--) {
        if (text.startsWith(s.slice(-n), dropped)) {
          dropped += n;
          again = true;
        }
      }
      if (again) break;
    }
  }
  return text.slice(dropped);
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
