// Where the systems' function sources are: modules/systems/<system>/functions/<name>/index.ts, the
// entry LambdaFunction bundles at synth.
import { fileURLToPath } from 'node:url';

export function functionEntry(system: string, name: string): string {
  return fileURLToPath(new URL(`./${system}/functions/${name}/index.ts`, import.meta.url));
}
