// `gitops serve` as an operator runs it: a real process, configured by environment variables.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'bin', 'gitops.mjs');
const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() };

describe('gitops serve', () => {
  test.each([
    [{}, 'gitops serve: APP_ID is not set (the numeric id of the GitHub App) (see gitops serve --help)'],
    [{ APP_ID: '1', WEBHOOK_SECRET: 's' }, 'gitops serve: PRIVATE_KEY or PRIVATE_KEY_PATH is not set'],
    [{ APP_ID: '1', WEBHOOK_SECRET: 's', PRIVATE_KEY: 'x', PORT: 'http' }, 'gitops serve: PRIVATE_KEY is not a PEM private key'],
  ])('GIVEN %p WHEN serve starts THEN it exits 2 with one line naming the variable', (env, line) => {
    const r = spawnSync(process.execPath, [BIN, 'serve'], { env: { ...base, ...env }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(line);
    expect(r.stderr).not.toContain('x,');
  });

  test('GIVEN a complete configuration WHEN serve starts THEN it answers /ping and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-serve-'));
    writeFileSync(
      join(dir, 'app.pem'),
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }),
    );
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd: dir,
      env: {
        ...base,
        APP_ID: '1',
        PRIVATE_KEY_PATH: 'app.pem',
        WEBHOOK_SECRET: 's',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        GITOPS_WORK_DIR: 'work',
      },
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/[\d.]+:\d+)\/api\/github\/webhooks/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    });
    expect(await (await fetch(`${url}/ping`)).text()).toBe('PONG');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: finishing running jobs and stopping');
  });
});
