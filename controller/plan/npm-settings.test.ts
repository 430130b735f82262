import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carriedSettings, isNpm, parseNpmrc, readCaFile, readMachineNpmSettings, renderNpmrc } from './npm-settings.js';

describe('parseNpmrc', () => {
  test('GIVEN an .npmrc with comments, quotes, a section and an array entry WHEN parsed THEN only its key=value lines remain', () => {
    const text = [
      '; a comment',
      '# another',
      'registry = "https://npm.example.com/"',
      "proxy='http://proxy.example:3128'",
      '[section]',
      'ca[]=-----BEGIN CERTIFICATE-----',
      'no equals sign',
      '=no key',
      'strict-ssl=false\r',
    ].join('\n');
    expect(parseNpmrc(text)).toEqual({
      registry: 'https://npm.example.com/',
      proxy: 'http://proxy.example:3128',
      'strict-ssl': 'false',
    });
  });
});

describe('carriedSettings', () => {
  const everything = {
    registry: 'https://npm.example.com/',
    '@acme:registry': 'https://npm.acme.example/',
    proxy: 'http://proxy.example:3128',
    'https-proxy': 'http://proxy.example:3128',
    noproxy: 'localhost,.internal',
    'strict-ssl': false,
    cafile: '/etc/ssl/corp-ca.pem',
    nodedir: '/opt/node-headers',
    '//npm.example.com/:_authToken': 'npm_SECRET',
    _authToken: 'npm_SECRET',
    _auth: 'dXNlcjpwYXNz',
    _password: 'cGFzcw==',
    'npm-token': 'npm_SECRET',
    email: 'ci@example.com',
    'ignore-scripts': false,
    'script-shell': '/bin/evil',
  };

  test('GIVEN the machine configuration WHEN carried THEN registry, proxies, strict-ssl, CA file and node headers pass, and no credential or other setting does', () => {
    expect(carriedSettings(everything, 'machine')).toEqual({
      registry: 'https://npm.example.com/',
      '@acme:registry': 'https://npm.acme.example/',
      proxy: 'http://proxy.example:3128',
      'https-proxy': 'http://proxy.example:3128',
      noproxy: 'localhost,.internal',
      'strict-ssl': 'false',
      cafile: '/etc/ssl/corp-ca.pem',
      nodedir: '/opt/node-headers',
    });
  });

  test("GIVEN a repository's .npmrc WHEN carried THEN the host paths it names (cafile, nodedir) are left out too", () => {
    expect(Object.keys(carriedSettings(everything, 'repository'))).toEqual([
      'registry',
      '@acme:registry',
      'proxy',
      'https-proxy',
      'noproxy',
      'strict-ssl',
    ]);
  });

  test.each([
    ['a proxy URL with a user and password', { proxy: 'http://user:secret@proxy.example:3128' }],
    ['a registry URL with a token as user', { registry: 'https://npm_SECRET@npm.example.com/' }],
    ['a value npm would fill from its environment', { registry: 'https://npm.example.com/${NPM_TOKEN}/' }],
    ['a value with a line break (a second setting)', { registry: 'https://npm.example.com/\n//npm.example.com/:_authToken=x' }],
    ['a scope registry named like a credential', { '@token:registry': 'https://npm.example.com/' }],
    ['a URL that does not parse', { registry: 'https://[bad/' }],
    ['no value', { registry: null }],
  ])('GIVEN %s WHEN carried THEN it is left out', (_, settings) => {
    expect(carriedSettings(settings, 'machine')).toEqual({});
  });
});

describe('renderNpmrc', () => {
  test('GIVEN settings WHEN rendered THEN one key=value line each', () => {
    expect(renderNpmrc({ registry: 'https://npm.example.com/', 'strict-ssl': 'false' })).toBe(
      'registry=https://npm.example.com/\nstrict-ssl=false\n',
    );
  });
});

describe('isNpm', () => {
  test.each([
    ['npm', true],
    ['/usr/bin/npm', true],
    ['/usr/bin/node', false],
    ['pnpm', false],
  ])('GIVEN %s WHEN asked THEN %s', (command, expected) => {
    expect(isNpm(command)).toBe(expected);
  });
});

describe('readMachineNpmSettings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitops-npmrc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a user .npmrc with a registry, a proxy and tokens, and a secret elsewhere in the environment WHEN read through npm THEN the registry and proxy come back, no credential does', async () => {
    mkdirSync(join(dir, 'home'));
    writeFileSync(
      join(dir, 'home', '.npmrc'),
      'registry=https://npm.example.com/\n//npm.example.com/:_authToken=npm_MachineSecret\n_auth=dXNlcjpwYXNz\nhttps-proxy=http://proxy.example:3128\n',
    );
    const settings = await readMachineNpmSettings('npm', dir, {
      PATH: process.env.PATH,
      HOME: join(dir, 'home'),
      npm_config_noproxy: 'localhost',
      GITHUB_TOKEN: 'ghs_NotForNpm',
    });
    expect(settings).toMatchObject({
      registry: 'https://npm.example.com/',
      'https-proxy': 'http://proxy.example:3128',
      noproxy: 'localhost',
    });
    expect(JSON.stringify(settings)).not.toMatch(/MachineSecret|dXNlcjpwYXNz|ghs_/);
  }, 30_000);

  test('GIVEN an npm that fails WHEN read THEN it says how it exited', async () => {
    writeFileSync(join(dir, 'npm'), '#!/bin/sh\necho "npm error broken config" >&2\nexit 7\n', { mode: 0o755 });
    await expect(readMachineNpmSettings(join(dir, 'npm'), dir, { PATH: process.env.PATH })).rejects.toThrow(
      'npm config list --json exited with 7: npm error broken config',
    );
  });
});

describe('readCaFile', () => {
  test('GIVEN a missing file WHEN read THEN undefined (the install goes on without it)', () => {
    expect(readCaFile('/nonexistent/ca.pem')).toBeUndefined();
  });
});
