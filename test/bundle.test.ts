// bin/bundle.mjs on a small project of its own: the app bundle holds the sources, the vendor bundle the
// packages (without their inline source maps, kept in node_modules/.cache/gitops and shared by the work
// trees that link that node_modules), and each is rebuilt only when its own inputs change.
// Bundling and loading run in child processes, as `gitops` does.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/', import.meta.url));
const SOURCE_MAP = `//# sourceMappingURL=data:application/json;base64,${'A'.repeat(50_000)}`;

interface Bundles {
  app: string;
  vendor: string;
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** Bundles `src/main.ts` of `root`, loads it as gitops does, and returns the paths and `main()`'s result. */
function bundleAndRun(root: string, env: Record<string, string> = {}): { bundles: Bundles; result: Record<string, unknown> } {
  const script = `
    const { bundle } = await import(${JSON.stringify(join(bin, 'bundle.mjs'))});
    const { requireBundles } = await import(${JSON.stringify(join(bin, 'code-cache.mjs'))});
    const bundles = await bundle('src/main.ts', ${JSON.stringify(root)});
    const loaded = requireBundles(bundles, 'test');
    const result = loaded.exports.main();
    loaded.save();
    console.log(JSON.stringify({ bundles, result }));`;
  const out = execFileSync('node', ['--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { bundles: Bundles; result: Record<string, unknown> };
}

const mtime = (file: string) => statSync(file).mtimeMs;

describe('bundle', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'gitops-bundle-'));
    write(root, 'package.json', JSON.stringify({ name: 'fixture', type: 'module' }));
    write(root, 'node_modules/archiver/package.json', JSON.stringify({ name: 'archiver', main: 'index.js' }));
    write(root, 'node_modules/archiver/index.js', 'globalThis.archiverLoaded = true;\nmodule.exports = (kind) => `zip:${kind}`;');
    write(root, 'node_modules/fake-pkg/package.json', JSON.stringify({ name: 'fake-pkg', main: 'index.js' }));
    write(
      root,
      'node_modules/fake-pkg/index.js',
      `const archiver = require('archiver');\nexports.value = 41;\nexports.zip = (k) => archiver(k);\n${SOURCE_MAP}\n`,
    );
    write(root, 'node_modules/fake-pkg/lib/deep.js', `exports.deep = 1;\n${SOURCE_MAP}\n`);
    write(root, 'node_modules/other-pkg/index.js', 'exports.other = "other";');
    write(root, 'node_modules/other-pkg/package.json', JSON.stringify({ name: 'other-pkg', main: 'index.js' }));
    write(
      root,
      'src/main.ts',
      `import { value, zip } from 'fake-pkg';
import { deep } from 'fake-pkg/lib/deep.js';
import { join } from 'node:path';
export function main() {
  const archiverBefore = (globalThis as { archiverLoaded?: boolean }).archiverLoaded === true;
  return { value: value + deep, archiverBefore, zip: zip('x'), here: import.meta.url.endsWith('/src/main.ts'), path: join('a', 'b') };
}
`,
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('GIVEN a project WHEN bundled THEN packages live in the vendor bundle without source maps, archiver loads on first use, and the app runs', () => {
    const { bundles, result } = bundleAndRun(root);
    expect(result).toEqual({ value: 42, archiverBefore: false, zip: 'zip:x', here: true, path: 'a/b' });
    const app = readFileSync(bundles.app, 'utf8');
    const vendor = readFileSync(bundles.vendor, 'utf8');
    expect(app).not.toMatch(/exports\d*\.value = 41/);
    expect(app).toContain('require("fake-pkg")');
    expect(vendor).toMatch(/exports\d*\.value = 41/);
    expect(vendor).not.toContain('sourceMappingURL');
    expect(vendor).not.toContain('globalThis.archiverLoaded'); // archiver stays outside, behind a stand-in
  });

  test('GIVEN up-to-date bundles WHEN bundled again THEN neither is rebuilt', () => {
    const { bundles } = bundleAndRun(root);
    const before = [mtime(bundles.app), mtime(bundles.vendor)];
    bundleAndRun(root);
    expect([mtime(bundles.app), mtime(bundles.vendor)]).toEqual(before);
  });

  test('GIVEN an edited source WHEN bundled THEN only the app is rebuilt', () => {
    const { bundles } = bundleAndRun(root);
    const vendorBefore = mtime(bundles.vendor);
    const appBefore = mtime(bundles.app);
    write(root, 'src/main.ts', readFileSync(join(root, 'src/main.ts'), 'utf8').replace('value + deep', 'value + deep + 1'));
    const { result } = bundleAndRun(root);
    expect(result.value).toBe(43);
    expect(mtime(bundles.app)).not.toBe(appBefore);
    expect(mtime(bundles.vendor)).toBe(vendorBefore);
  });

  test('GIVEN a source importing another package WHEN bundled THEN a vendor bundle with it is built beside the first', () => {
    const { bundles } = bundleAndRun(root);
    write(
      root,
      'src/main.ts',
      `import { other } from 'other-pkg';\nimport { value } from 'fake-pkg';\nexport function main() { return { other, value }; }\n`,
    );
    const next = bundleAndRun(root);
    expect(next.result).toEqual({ other: 'other', value: 41 });
    expect(next.bundles.vendor).not.toBe(bundles.vendor);
    expect(dirname(next.bundles.vendor)).toBe(join(root, 'node_modules', '.cache', 'gitops'));
    expect(readFileSync(next.bundles.vendor, 'utf8')).toContain('"other"');
  });

  test('GIVEN a second work tree linking the same node_modules WHEN bundled after the first is gone THEN it reuses the vendor bundle', () => {
    const { bundles } = bundleAndRun(root);
    const vendorBefore = mtime(bundles.vendor);
    const tree = mkdtempSync(join(tmpdir(), 'gitops-bundle-tree-'));
    try {
      write(tree, 'package.json', readFileSync(join(root, 'package.json'), 'utf8'));
      write(tree, 'src/main.ts', readFileSync(join(root, 'src/main.ts'), 'utf8'));
      const shared = join(tmpdir(), `gitops-bundle-deps-${process.pid}-${Date.now()}`);
      renameSync(join(root, 'node_modules'), shared); // as the controller's dependency cache holds it
      symlinkSync(shared, join(root, 'node_modules'));
      symlinkSync(shared, join(tree, 'node_modules'));
      rmSync(join(root, '.gitops'), { recursive: true, force: true });
      const second = bundleAndRun(tree);
      expect(second.result.value).toBe(42);
      expect(second.bundles.vendor).toBe(join(shared, '.cache', 'gitops', basename(bundles.vendor)));
      expect(mtime(second.bundles.vendor)).toBe(vendorBefore);
      rmSync(shared, { recursive: true, force: true });
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  test('GIVEN more sets of imported packages than are kept WHEN bundled THEN the oldest vendor bundles are removed', () => {
    const vendors: string[] = [];
    for (let i = 0; i < 6; i++) {
      const imports = i % 2 === 0 ? `import { other } from 'other-pkg';` : `import { deep as other } from 'fake-pkg/lib/deep.js';`;
      write(root, 'src/main.ts', `${imports}\nexport function main() { return { other, round: ${i} }; }\n// ${'x'.repeat(i)}\n`);
      write(root, `node_modules/pkg-${i}/index.js`, `exports.n = ${i};`);
      write(
        root,
        'src/main.ts',
        `${readFileSync(join(root, 'src/main.ts'), 'utf8')}import { n } from 'pkg-${i}';\nexport const unused = n;\n`,
      );
      vendors.push(bundleAndRun(root).bundles.vendor);
    }
    const kept = readdirSync(join(root, 'node_modules', '.cache', 'gitops')).filter((f) => f.endsWith('.cjs'));
    expect(kept.sort()).toEqual(
      vendors
        .slice(-4)
        .map((v) => basename(v))
        .sort(),
    );
  });

  test('GIVEN node_modules where nothing can be written WHEN bundled THEN the vendor bundle lives with the app bundle', () => {
    write(root, 'node_modules/.cache', 'a file where a directory would go');
    const { bundles, result } = bundleAndRun(root);
    expect(result.value).toBe(42);
    expect(dirname(bundles.vendor)).toBe(join(root, '.gitops', 'cache'));
  });

  test('GIVEN neither node_modules nor the checkout can be written WHEN bundled THEN it runs from a temporary directory removed at exit', () => {
    write(root, 'node_modules/.cache', 'a file where a directory would go');
    write(root, '.gitops', 'a file where a directory would go');
    const { bundles, result } = bundleAndRun(root);
    expect(result.value).toBe(42);
    expect(dirname(bundles.app).startsWith(tmpdir())).toBe(true);
    expect(existsSync(bundles.app)).toBe(false);
    expect(existsSync(bundles.vendor)).toBe(false);
  });

  test('GIVEN GITOPS_CACHE_DIR WHEN bundled and run THEN both bundles and their code caches live there, and nothing is written to the checkout or node_modules', () => {
    const cacheDir = join(root, 'job-output', 'cache');
    const { bundles, result } = bundleAndRun(root, { GITOPS_CACHE_DIR: cacheDir });
    expect(result.value).toBe(42);
    expect([dirname(bundles.app), dirname(bundles.vendor)]).toEqual([cacheDir, cacheDir]);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.v8cache'))).toHaveLength(2);
    expect(existsSync(join(root, 'node_modules', '.cache'))).toBe(false);
    expect(existsSync(join(root, '.gitops'))).toBe(false);
  });

  test('GIVEN a source default-importing an ES-module-only package WHEN bundled and run THEN the default is the class it exports, and the app bundle holds it', () => {
    write(
      root,
      'node_modules/esm-queue/package.json',
      JSON.stringify({ name: 'esm-queue', type: 'module', exports: { default: './index.js' } }),
    );
    write(
      root,
      'node_modules/esm-queue/index.js',
      `import { other } from 'other-pkg';\nexport default class Queue { size() { return other.length; } }\nexport const named = 'named';\n`,
    );
    write(
      root,
      'src/main.ts',
      `import Queue, { named } from 'esm-queue';\nexport function main() { return { size: new Queue().size(), named }; }\n`,
    );
    const { bundles, result } = bundleAndRun(root);
    expect(result).toEqual({ size: 5, named: 'named' });
    expect(readFileSync(bundles.app, 'utf8')).not.toContain('require("esm-queue")');
    expect(readFileSync(bundles.vendor, 'utf8')).toContain('"other-pkg"'); // its CommonJS import stays in the vendor bundle
  });

  test('GIVEN a package upgraded in node_modules WHEN bundled THEN the vendor bundle is rebuilt', () => {
    const { bundles } = bundleAndRun(root);
    write(root, 'node_modules/fake-pkg/lib/deep.js', 'exports.deep = 100;\n');
    expect(bundleAndRun(root).result.value).toBe(141);
    expect(readFileSync(bundles.vendor, 'utf8')).toMatch(/exports\d*\.deep = 100/);
  });
});

/** `node bin/gitops.mjs` of this checkout with work, cache and output in `dir`: bundled, as `npx gitops` runs. */
function gitops(dir: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('node', [join(bin, 'gitops.mjs'), ...args, '--out', join(dir, 'out')], {
    cwd: join(bin, '..'),
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      GITOPS_NO_BUNDLE: '',
      GITOPS_WORK_DIR: join(dir, 'work'),
      GITOPS_CACHE_DIR: join(dir, 'cache'),
    },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the bundled gitops plan and apply, with the real terraform', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitops-bundled-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a fresh work directory WHEN `gitops plan --stack release-dev` runs bundled THEN it prints the plan of the release record', () => {
    const run = gitops(dir, ['plan', '--stack', 'release-dev']);
    expect(run.stderr).not.toContain('is not a constructor');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^release-dev: 1 to add, 0 to change, 0 to replace, 0 to destroy$/m);
    expect(readdirSync(join(dir, 'cache')).some((f) => f.startsWith('vendor-'))).toBe(true); // it ran from the bundles
  });

  test('GIVEN the same work directory WHEN `gitops apply --stack release-dev` runs bundled twice THEN the first applies and the second has nothing to apply', () => {
    const first = gitops(dir, ['apply', '--stack', 'release-dev']);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^release-dev: applied$/m);
    expect(first.stdout).toMatch(/^ {2}record_commit_sha_[0-9A-F]+ = "[0-9a-f]{40}"$/m);
    const second = gitops(dir, ['apply', '--stack', 'release-dev']);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^release-dev: nothing to apply$/m);
  });
});
