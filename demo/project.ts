// This checkout, and what of it a copy needs to synthesize every environment with the project's own CLI.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** What the demo's and the scenarios' repository holds: enough to synthesize every environment with the project's own CLI. */
export const PROJECT_PATHS = [
  '.github',
  'environments',
  'modules',
  'controller',
  'bin',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'cdktf.json',
];
