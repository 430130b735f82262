// Deployment packages of functions, built at synth: each TypeScript entry is bundled with esbuild
// (offline, the packages it imports inlined, the runtime's own SDK left out), the files are zipped
// deterministically, and the zip is kept under the temporary directory named by its SHA-256. A
// package is built once per process and written once per content: synth stays fast however many
// stacks deploy the same code.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type * as Esbuild from 'esbuild';
import { zipSync } from './zip.js';

/** A file of a package: literal content, or a TypeScript entry bundled into one CommonJS file. */
export type PackageFile = string | { readonly bundle: string };

export interface FunctionPackageProps {
  /** The zip's file name, without `.zip`: letters, digits, `.`, `_` and `-`. */
  readonly name: string;
  /** The package's files by their path inside the zip. */
  readonly files: Readonly<Record<string, PackageFile>>;
  /** Imports left to the runtime (e.g. `@aws-sdk/*`, which Lambda's Node.js runtimes provide). @default none */
  readonly external?: readonly string[];
}

export interface FunctionPackage {
  /** Absolute path of the zip. */
  readonly path: string;
  /** SHA-256 of the zip, hex: names its directory. */
  readonly hash: string;
  /** SHA-256 of the zip, base64: what Terraform's `filebase64sha256` gives. */
  readonly sha256Base64: string;
}

/** Where packages are kept: writable in the synth sandbox too (a private /tmp). */
export const PACKAGE_CACHE_DIR = join(tmpdir(), 'gitops-functions');

const bundles = new Map<string, string>();
const packages = new Map<string, FunctionPackage>();
let esbuild: typeof Esbuild | undefined;

/** Builds (or reuses) the package: the same files give the same zip, byte for byte. */
export function functionPackage(props: FunctionPackageProps): FunctionPackage {
  if (!/^[\w.-]{1,64}$/.test(props.name)) {
    throw new Error(`function package name must be 1-64 letters, digits, ".", "_" or "-" (got ${JSON.stringify(props.name)})`);
  }
  const external = [...(props.external ?? [])].sort();
  const entries = Object.entries(props.files).map(([name, file]) => ({
    name,
    content: typeof file === 'string' ? file : bundle(file.bundle, external),
  }));
  const zip = zipSync(entries);
  const hash = createHash('sha256').update(zip).digest('hex');
  const key = `${props.name}/${hash}`;
  const known = packages.get(key);
  if (known) return known;

  const path = join(PACKAGE_CACHE_DIR, hash, `${props.name}.zip`);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    // Atomic: another synth running at the same time sees no zip or the whole zip.
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, zip);
    renameSync(partial, path);
  }
  const built = { path, hash, sha256Base64: createHash('sha256').update(zip).digest('base64') };
  packages.set(key, built);
  return built;
}

/** The entry bundled into one CommonJS file for Node 20, built once per process. */
function bundle(entry: string, external: readonly string[]): string {
  const key = `${entry}\0${external.join(',')}`;
  const known = bundles.get(key);
  if (known !== undefined) return known;
  // Loaded on first use: starting esbuild costs ~50 ms that a synth without functions should not pay.
  esbuild ??= createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  const root = repositoryRoot(entry);
  let result: Esbuild.BuildResult<{ write: false }>;
  try {
    result = esbuild.buildSync({
      entryPoints: [entry],
      // Relative to the repository, so the comments esbuild writes are the same in every checkout.
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: [...external],
      write: false,
      outfile: 'out.js',
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'silent',
    });
  } catch (e) {
    const errors = (e as { errors?: Esbuild.Message[] }).errors ?? [];
    const first = errors[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new Error(`cannot bundle function ${relative(root, entry)}: ${where}${first?.text ?? String(e)}`, { cause: e });
  }
  const text = result.outputFiles[0]!.text;
  bundles.set(key, text);
  return text;
}

/** The nearest directory above `file` holding a package.json. */
function repositoryRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}
