import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { NewPlan } from '../core/ports/store.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';
import { describeStoreContract } from './store-contract.js';

let dir: string;
let file: string;
const open: SqliteStore[] = [];
let clock = Date.parse('2025-06-01T12:00:00Z');
const now = () => new Date(clock);
/** A store on the shared file, speaking for controller process `controllerId`. */
function store(controllerId?: string): SqliteStore {
  const s = new SqliteStore(file, { now, controllerId });
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-store-'));
  file = join(dir, 'state', 'gitops.sqlite');
  clock = Date.parse('2025-06-01T12:00:00Z');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const plan = (over: Partial<NewPlan> = {}): NewPlan => ({
  repo: 'acme/infra',
  pr: 7,
  environment: 'prod',
  headSha: 'h1',
  baseSha: 'b1',
  status: 'running',
  ...over,
});

describe('SqliteStore schema', () => {
  test('GIVEN a path in a missing directory WHEN opened THEN the file is created in WAL mode at the latest schema version', () => {
    const s = store();
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all();
    raw.close();
    expect(tables).toEqual(['applies', 'deliveries', 'lock_queue', 'plans', 'replies', 'runs', 'sync_pushes']);
  });

  test('GIVEN a file with data WHEN reopened THEN migrations do not run again and the data is still there', async () => {
    const first = store();
    await first.claimDelivery('d-1', 'pull_request');
    const id = await first.savePlan(plan());
    await first.close();
    const again = store();
    expect(again.schemaVersion).toBe(MIGRATIONS.length);
    expect(await again.claimDelivery('d-1', 'pull_request')).toBe(false);
    expect((await again.getPlan(id))?.headSha).toBe('h1');
  });

  test('GIVEN a file from a newer controller WHEN opened THEN it refuses, naming both versions', async () => {
    await store().close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => store()).toThrow(
      `${file}: schema version ${MIGRATIONS.length + 1} is newer than this controller knows (${MIGRATIONS.length}); upgrade the controller`,
    );
  });

  test('GIVEN a file that is not SQLite WHEN opened THEN it throws', () => {
    const bogus = join(dir, 'not.sqlite');
    writeFileSync(bogus, 'this is not a database, it is plain text that is long enough to be read as a header');
    expect(() => new SqliteStore(bogus)).toThrow(/not a database/);
  });
});

describe('SqliteStore across processes', () => {
  test('GIVEN two processes racing on one file WHEN both claim the same 1000 ids THEN every id is won by exactly one', async () => {
    const worker = join(dir, 'claim-worker.ts');
    const storeUrl = new URL('./sqlite-store.ts', import.meta.url).href;
    writeFileSync(
      worker,
      `import { SqliteStore } from ${JSON.stringify(storeUrl)};
       const s = new SqliteStore(process.argv[2]);
       void (async () => {
         const won = [];
         while (Date.now() < Number(process.argv[3])); // both start claiming at the same moment
         for (let i = 0; i < 1000; i++) if (await s.claimDelivery('race-' + i, 'push')) won.push(i);
         await s.close();
         process.stdout.write(JSON.stringify(won));
       })();`,
    );
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    await store().close(); // create the schema first, so the race is about claims
    const startAt = String(Date.now() + 2500);
    const run = () =>
      new Promise<number[]>((resolve, reject) => {
        const child = spawn(process.execPath, [tsx, worker, file, startAt], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) =>
          code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`worker exited ${code}: ${err}`)),
        );
      });
    const [x, y] = await Promise.all([run(), run()]);
    expect(x.length + y.length).toBe(1000);
    expect(new Set([...x, ...y]).size).toBe(1000);
  });
});

// the behaviour every store has (store-contract.ts), on a fresh file per test
let contractDir: string | undefined;
describeStoreContract('SqliteStore', () => ({
  async open({ controllerId, now }) {
    return new SqliteStore(join(contractDir!, 'gitops.sqlite'), { controllerId, now });
  },
  async reset() {
    if (contractDir) rmSync(contractDir, { recursive: true, force: true });
    contractDir = mkdtempSync(join(tmpdir(), 'gitops-contract-'));
  },
}));
afterAll(() => contractDir && rmSync(contractDir, { recursive: true, force: true }));
