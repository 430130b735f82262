// Where the systems' function sources are: modules/systems/<system>/functions/<name>/index.ts, the
// entry LambdaFunction bundles at synth (index.js when running from the JavaScript build in dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function functionEntry(system: string, name: string): string {
  const source = fileURLToPath(new URL(`./${system}/functions/${name}/index.ts`, import.meta.url));
  const built = source.replace(/\.ts$/, '.js');
  return existsSync(source) || !existsSync(built) ? source : built;
}
