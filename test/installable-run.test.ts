// The build as a new user runs it: `npm run build`'s compiler settings emit JavaScript that
// `npx probot run ./dist/controller/app.js` starts (answering signed webhooks, refusing forged ones),
// whose setup page offers app.yml's manifest, and that `gitops serve` runs from dist/ with a .env file
// and no TypeScript sources beside it. The build goes to a temporary project holding only what the
// Docker image holds (dist/, bin/, package.json, app.yml and a link to node_modules).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli } from '../bin/built.mjs';
import { HANDLED_EVENTS } from '../controller/webhooks/events.js';
import { freePort } from './fixtures/free-port.js';

const ROOT = process.cwd();
const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), NO_COLOR: '1' };
let project: string;

/** Starts a process and resolves once its output matches `ready`; rejects if it exits first. */
function startUntil(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  // Its own process group: npx does not pass SIGTERM on to the probot process it starts.
  const child = spawn(args[0], args.slice(1), { cwd: project, env: { ...base, ...env }, detached: true });
  let out = '';
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve({ child, output: () => out });
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-(child.pid as number), 'SIGTERM');
  await exited;
}

function ping(url: string, secret: string, delivery: string): Promise<Response> {
  const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'ping',
      'x-github-delivery': delivery,
      'x-hub-signature-256': signature,
    },
    body,
  });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'gitops-built-'));
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(project, 'dist')],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) throw new Error(`the build failed: ${tsc.stdout}${tsc.stderr}`);
  for (const file of ['package.json', 'app.yml']) cpSync(join(ROOT, file), join(project, file));
  cpSync(join(ROOT, 'bin'), join(project, 'bin'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
  writeFileSync(
    join(project, 'app.pem'),
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }),
  );
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('the build', () => {
  test('GIVEN the build WHEN listed THEN it holds JavaScript and the JSON data the controller imports, and no test', () => {
    expect(existsSync(join(project, 'dist/controller/app.js'))).toBe(true);
    expect(existsSync(join(project, 'dist/controller/cli.js'))).toBe(true);
    expect(existsSync(join(project, 'dist/controller/secrets/sensitive-attributes.json'))).toBe(true);
    expect(existsSync(join(project, 'dist/controller/webhooks/handlers.test.js'))).toBe(false);
  });

  test('GIVEN the built app WHEN npx probot run starts it THEN a signed ping gets 200 and a forged one 400', async () => {
    const port = await freePort();
    const secret = 'throw-away-secret';
    const { child } = await startUntil(
      ['npx', '--no-install', 'probot', 'run', './dist/controller/app.js'],
      {
        APP_ID: '12345',
        PRIVATE_KEY_PATH: 'app.pem',
        WEBHOOK_SECRET: secret,
        PORT: String(port),
        LOG_LEVEL: 'info',
        GITOPS_WORK_DIR: 'work',
      },
      /Listening on http:\/\//,
    );
    try {
      const url = `http://localhost:${port}/api/github/webhooks`;
      expect((await ping(url, secret, 'a1b2c3')).status).toBe(200);
      expect((await ping(url, 'not-the-secret', 'a1b2c4')).status).toBe(400);
    } finally {
      await stop(child);
    }
  }, 60_000);

  test("GIVEN no APP_ID WHEN npx probot run starts THEN its setup page offers app.yml's manifest", async () => {
    const port = await freePort();
    const { child } = await startUntil(
      ['npx', '--no-install', 'probot', 'run', './dist/controller/app.js'],
      { PORT: String(port), NO_SMEE_SETUP: 'true', WEBHOOK_PROXY_URL: '', LOG_LEVEL: 'info' },
      /Listening on http:\/\//,
    );
    try {
      const page = await (await fetch(`http://localhost:${port}/probot`)).text();
      const manifest = JSON.parse(/name="manifest" id="manifest" value='([^']*)'/.exec(page)?.[1] ?? '{}') as Record<string, unknown>;
      expect(manifest.public).toBe(false);
      expect(manifest.default_events).toEqual([...HANDLED_EVENTS]);
      expect(manifest.default_permissions).toMatchObject({ checks: 'write', pull_requests: 'write', members: 'read' });
      expect(manifest.hook_attributes).toEqual({ url: `http://localhost:${port}/` });
    } finally {
      await stop(child);
    }
  }, 60_000);

  test('GIVEN a .env and no sources WHEN gitops serve starts THEN it runs the build with the .env values the environment lacks', async () => {
    writeFileSync(join(project, '.env'), 'APP_ID=1\nPRIVATE_KEY_PATH=app.pem\nWEBHOOK_SECRET=s\nPORT=not-a-port\nHOST=127.0.0.1\n');
    expect(existsSync(join(project, 'controller'))).toBe(false);
    const { child, output } = await startUntil(
      [process.execPath, 'bin/gitops.mjs', 'serve'],
      { PORT: '0', LOG_LEVEL: 'silent', GITOPS_WORK_DIR: 'serve-work', WEBHOOK_PROXY_URL: 'https://smee.io/abc' },
      /listening on (http:\/\/[\d.]+:\d+)\/api\/github\/webhooks/,
    );
    try {
      const url = /listening on (http:\/\/[\d.]+:\d+)/.exec(output())?.[1];
      expect(await (await fetch(`${url}/ping`)).text()).toBe('PONG');
      expect(output()).toContain('gitops serve: WEBHOOK_PROXY_URL is ignored');
    } finally {
      await stop(child);
    }
  }, 60_000);
});

describe('builtCli', () => {
  const layout = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'gitops-fresh-'));
    cpSync(join(ROOT, 'controller/cli.ts'), join(root, 'controller/cli.ts'));
    cpSync(join(ROOT, 'controller/cli.ts'), join(root, 'dist/controller/cli.js'));
    return root;
  };
  const touch = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  test('GIVEN a build newer than every source WHEN asked THEN the built CLI is used', () => {
    const root = layout();
    touch(join(root, 'controller/cli.ts'), 1_000);
    touch(join(root, 'dist/controller/cli.js'), 2_000);
    expect(builtCli(root)).toBe(join(root, 'dist/controller/cli.js'));
  });

  test('GIVEN a source edited after the build WHEN asked THEN the sources are used', () => {
    const root = layout();
    touch(join(root, 'dist/controller/cli.js'), 1_000);
    touch(join(root, 'controller/cli.ts'), 2_000);
    expect(builtCli(root)).toBeUndefined();
  });

  test('GIVEN no build WHEN asked THEN the sources are used', () => {
    expect(builtCli(mkdtempSync(join(tmpdir(), 'gitops-fresh-')))).toBeUndefined();
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^dist\/$/m);
  });
});
