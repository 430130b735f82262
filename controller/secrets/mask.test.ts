import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MASK, MIN_PEM_CHUNK_LENGTH, MIN_SECRET_LENGTH, SecretMasker, secretForms } from './mask.js';

// A real App private key: PKCS#1 RSA, as GitHub hands it out.
const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const BODY_LINES = PRIVATE_KEY.trim().split('\n').slice(1, -1);
const WEBHOOK_SECRET = 'whsec-9f8e7d6c5b4a';
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

const masker = new SecretMasker([PRIVATE_KEY, WEBHOOK_SECRET, TOKEN]);

/** Every way a leak could show a piece of the key: each body line of 16+ characters. */
const keyChunks = BODY_LINES.filter((l) => l.length >= MIN_PEM_CHUNK_LENGTH);

describe('SecretMasker.mask', () => {
  test('GIVEN a text with the webhook secret and a token WHEN masked THEN each becomes *** and the rest is untouched', () => {
    const text = `signature check with ${WEBHOOK_SECRET} failed\ngit clone https://x-access-token:${TOKEN}@github.com/acme/infra.git`;
    expect(masker.mask(text)).toBe('signature check with *** failed\ngit clone https://x-access-token:***@github.com/acme/infra.git');
  });

  test('GIVEN a text without any secret WHEN masked THEN the very same string comes back', () => {
    const text = 'nothing to see here '.repeat(100);
    expect(masker.mask(text)).toBe(text);
    expect(masker.mask('')).toBe('');
  });

  test.each([
    ['as a file', PRIVATE_KEY],
    ['with CRLF line breaks', PRIVATE_KEY.replace(/\n/g, '\r\n')],
    ['escaped in JSON', JSON.stringify({ key: PRIVATE_KEY })],
    ['on one line, spaces for line breaks', PRIVATE_KEY.trim().split('\n').join(' ')],
    ['on one line, line breaks removed', PRIVATE_KEY.trim().split('\n').join('')],
    ['as its body only', BODY_LINES.join('')],
    ['base64-encoded whole (a PRIVATE_KEY variable)', Buffer.from(PRIVATE_KEY).toString('base64')],
    ['URL-encoded', encodeURIComponent(PRIVATE_KEY)],
  ])('GIVEN the private key %s inside a log line WHEN masked THEN no chunk of it is left', (_, form) => {
    const masked = masker.mask(`before ${form} after`);
    expect(masked.startsWith('before ')).toBe(true);
    expect(masked.endsWith(' after')).toBe(true);
    expect(masked).toContain(MASK);
    for (const chunk of keyChunks) expect(masked).not.toContain(chunk);
    expect(masked).not.toContain('PRIVATE KEY-----\n');
  });

  test('GIVEN single lines of the key body, alone or glued to other text WHEN masked THEN each line is masked in place', () => {
    const [first, second] = [keyChunks[3], keyChunks[10]];
    expect(masker.mask(`chunk=${first};`)).toBe('chunk=***;');
    expect(masker.mask(`${first}\nnoise\n${second}`)).toBe('***\nnoise\n***');
  });

  test('GIVEN a key whose last body line is short WHEN its forms are listed THEN lines under 16 characters are not masked on their own', () => {
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(64)}\n${'B'.repeat(64)}\nCCCCDDDD\n-----END RSA PRIVATE KEY-----\n`;
    const forms = secretForms(pem);
    expect(forms).toContain('A'.repeat(64));
    expect(forms).not.toContain('CCCCDDDD');
    expect(new SecretMasker([pem]).mask('CCCCDDDD is a word')).toBe('CCCCDDDD is a word');
  });

  test('GIVEN secrets that contain or overlap each other WHEN masked THEN each occurrence becomes one *** with nothing left over', () => {
    const nested = new SecretMasker(['abcdefgh', 'abcdefghijkl', 'cdefghij', 'ijklmnop']);
    expect(nested.mask('x abcdefghijklmnop y')).toBe('x *** y');
    expect(nested.mask('x abcdefgh y')).toBe('x *** y');
    expect(nested.mask('x cdefghij y abcdefgh z')).toBe('x *** y *** z');
    expect(nested.mask('abcdefg')).toBe('abcdefg');
    // a longer secret that starts before earlier matches absorbs them
    const later = new SecretMasker(['bbbbbb', 'cccccc', 'abbbbbbxcccccc']);
    expect(later.mask('-abbbbbbxcccccc-')).toBe('-***-');
    expect(later.mask('-bbbbbb-cccccc-')).toBe('-***-***-');
  });

  test('GIVEN secrets with regex characters, quotes and non-ASCII WHEN masked THEN they are matched literally', () => {
    const odd = new SecretMasker(['p@ss.*(word)+', 'clé-secrète-😀', 'say "hi"\\now']);
    expect(odd.mask('a p@ss.*(word)+ b')).toBe('a *** b');
    expect(odd.mask('a p@ssXX(word)+ b')).toBe('a p@ssXX(word)+ b');
    expect(odd.mask('→clé-secrète-😀←')).toBe('→***←');
    expect(odd.mask(JSON.stringify({ v: 'say "hi"\\now' }))).toBe('{"v":"***"}');
  });

  test('GIVEN empty, blank and short secrets WHEN the masker is built THEN they are ignored instead of masking ordinary words', () => {
    const short = new SecretMasker(['', '   ', 'dev', 'x'.repeat(MIN_SECRET_LENGTH - 1)]);
    const text = `dev uat prod ${'x'.repeat(MIN_SECRET_LENGTH - 1)}`;
    expect(short.mask(text)).toBe(text);
    expect(new SecretMasker([]).mask(text)).toBe(text);
  });

  test('GIVEN a secret read from a file with a trailing newline WHEN masked THEN the value without the newline is masked too', () => {
    expect(new SecretMasker([`${WEBHOOK_SECRET}\n`]).mask(`secret=${WEBHOOK_SECRET}.`)).toBe('secret=***.');
  });
});

describe('SecretMasker.maskValue', () => {
  test('GIVEN a store row or log object WHEN masked THEN every string inside is masked, keys and other values kept, the input untouched', () => {
    const row = {
      id: 7,
      ok: true,
      none: null,
      payload: { headers: { authorization: `token ${TOKEN}` }, list: ['a', `key: ${keyChunks[0]}`, 3] },
      [WEBHOOK_SECRET]: 'key stays',
    };
    const before = JSON.stringify(row);
    expect(masker.maskValue(row)).toEqual({
      id: 7,
      ok: true,
      none: null,
      payload: { headers: { authorization: 'token ***' }, list: ['a', 'key: ***', 3] },
      [WEBHOOK_SECRET]: 'key stays',
    });
    expect(JSON.stringify(row)).toBe(before);
    expect(masker.maskValue(`x${TOKEN}`)).toBe('x***');
    expect(masker.maskValue(42)).toBe(42);
  });

  test('GIVEN an Error, a Date and a cycle WHEN masked THEN the error keeps name, message and stack masked, the date its JSON, the cycle is cut', () => {
    const error = Object.assign(new Error(`push failed: ${TOKEN}`), { code: 'E_PUSH' });
    const cyclic: Record<string, unknown> = { at: new Date('2026-03-02T09:14:03.000Z'), error };
    cyclic.self = cyclic;
    const masked = masker.maskValue(cyclic) as { at: unknown; error: Record<string, string>; self: unknown };
    expect(masked.at).toBe('2026-03-02T09:14:03.000Z');
    expect(masked.error).toMatchObject({ name: 'Error', message: 'push failed: ***', code: 'E_PUSH' });
    expect(masked.error.stack).toContain('push failed: ***');
    expect(masked.self).toBe('[Circular]');
    expect(JSON.stringify(masked)).not.toContain(TOKEN);
  });
});

describe('SecretMasker cost', () => {
  const timeOf = (run: () => void) => {
    const times = Array.from({ length: 7 }, () => {
      const start = performance.now();
      run();
      return performance.now() - start;
    });
    return times.sort((a, b) => a - b)[3];
  };

  test('GIVEN 50 secrets (a key among them) and a 65 kB text WHEN masked THEN it takes a few milliseconds, hostile text included', () => {
    const secrets = [PRIVATE_KEY, ...Array.from({ length: 49 }, () => randomBytes(20).toString('hex'))];
    const many = new SecretMasker(secrets);
    const words = Array.from({ length: 6000 }, (_, i) => (i % 500 === 0 ? secrets[1 + (i % 49)] : `word${i}`)).join(' ');
    const text = words.slice(0, 65_536);
    const masked = many.mask(text);
    for (const s of secrets.slice(1)) expect(masked).not.toContain(s);
    const median = timeOf(() => many.mask(text));
    // near-misses of long secrets make a naive search quadratic
    const hostileMasker = new SecretMasker(['a'.repeat(1000) + 'b', 'a'.repeat(500) + 'c']);
    const hostile = 'a'.repeat(65_536);
    const hostileMedian = timeOf(() => hostileMasker.mask(hostile));
    console.log(`mask 65,536 characters: 50 secrets ${median.toFixed(2)} ms, hostile near-misses ${hostileMedian.toFixed(2)} ms`);
    expect(median).toBeLessThan(50);
    expect(hostileMedian).toBeLessThan(50);
  });
});
