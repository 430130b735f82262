// .env loading for gitops serve, on real files: the syntax probot run reads, the environment winning.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPrivateKey } from './config.js';
import { DotEnvError, loadDotEnv } from './dotenv.js';

const dirWith = (dotenv?: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-dotenv-'));
  if (dotenv !== undefined) writeFileSync(join(dir, '.env'), dotenv);
  return dir;
};

describe('loadDotEnv', () => {
  test('GIVEN a .env WHEN loaded THEN unset variables are set from it and the names returned', () => {
    const env: NodeJS.ProcessEnv = {};
    const set = loadDotEnv(env, dirWith('# comment\nAPP_ID=42\nexport LOG_LEVEL=debug\nHOST="0.0.0.0"\n'));
    expect(env).toEqual({ APP_ID: '42', LOG_LEVEL: 'debug', HOST: '0.0.0.0' });
    expect(set.sort()).toEqual(['APP_ID', 'HOST', 'LOG_LEVEL']);
  });

  test('GIVEN a variable already in the environment WHEN .env sets it too THEN the environment wins, even when empty', () => {
    const env: NodeJS.ProcessEnv = { PORT: '0', GHE_HOST: '' };
    expect(loadDotEnv(env, dirWith('PORT=3000\nGHE_HOST=github.example.com\nAPP_ID=7\n'))).toEqual(['APP_ID']);
    expect(env).toEqual({ PORT: '0', GHE_HOST: '', APP_ID: '7' });
  });

  test('GIVEN no .env WHEN loaded THEN nothing is set and nothing thrown', () => {
    const env: NodeJS.ProcessEnv = { A: '1' };
    expect(loadDotEnv(env, dirWith())).toEqual([]);
    expect(env).toEqual({ A: '1' });
  });

  test('GIVEN the private key as Probot setup writes it (one line, \\n escapes, double quotes) WHEN loaded THEN it is read as a PEM key', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const env: NodeJS.ProcessEnv = {};
    loadDotEnv(env, dirWith(`APP_ID=1\nPRIVATE_KEY="${pem.replace(/\n/g, '\\n')}"\nWEBHOOK_SECRET=s`));
    expect(readPrivateKey(env)).toBe(pem);
  });

  test('GIVEN a .env that is a directory WHEN loaded THEN one error names the file and nothing is set', () => {
    const dir = dirWith();
    mkdirSync(join(dir, '.env'));
    const env: NodeJS.ProcessEnv = {};
    expect(() => loadDotEnv(env, dir)).toThrow(DotEnvError);
    expect(() => loadDotEnv(env, dir)).toThrow(`${join(dir, '.env')} could not be read (EISDIR)`);
    expect(env).toEqual({});
  });
});
