// The secrets this controller process holds (webhook secret, App key, installation tokens, cloud
// credentials), collected as they are learnt, and one masker over all of them. Every text that leaves
// the process towards GitHub, the log or the store goes through `mask` / `maskValue`.
import { SecretMasker } from './mask.js';

export class HeldSecrets {
  private readonly secrets = new Set<string>();
  private masker = new SecretMasker([]);

  constructor(initial: Iterable<string | undefined> = []) {
    for (const s of initial) if (s) this.secrets.add(s);
    this.masker = new SecretMasker([...this.secrets]);
  }

  /** Learns a secret (an installation token as it is issued); the masker is rebuilt only when it is new. */
  add(secret: string | undefined): void {
    if (!secret || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.masker = new SecretMasker([...this.secrets]);
  }

  mask(text: string): string {
    return this.masker.mask(text);
  }

  maskValue<T>(value: T): T {
    return this.masker.maskValue(value);
  }
}
