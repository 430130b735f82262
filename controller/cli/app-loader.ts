// The CDKTF app (cdktf itself and every provider class the systems use) loads only when a command
// builds stacks: `validate` and `check-branch` never pay for it.
import type { App } from 'cdktf';
import type { SynthOptions, SynthesizedStackInfo } from '../../environments/synth.js';

export interface AppCode {
  newApp(outdir: string): App;
  synthesize(app: App, options: SynthOptions): SynthesizedStackInfo[];
}

export async function loadApp(): Promise<AppCode> {
  const [{ App }, { synthesize }] = await Promise.all([import('cdktf'), import('../../environments/synth.js')]);
  return { newApp: (outdir) => new App({ outdir }), synthesize };
}
