import { BoundedBuffer, LogTail } from './output.js';

const SECRET = 'super-secret-value-123';

describe('LogTail', () => {
  test('GIVEN chunks of two streams WHEN read THEN they are interleaved in arrival order', () => {
    const tail = new LogTail(100);
    tail.append('stdout', Buffer.from('out 1\n'));
    tail.append('stderr', Buffer.from('err 2\n'));
    tail.append('stdout', Buffer.from('out 3\n'));
    expect(tail.toString()).toBe('out 1\nerr 2\nout 3\n');
    expect(tail.totalBytes).toBe(18);
  });

  test('GIVEN a character split across two chunks of one stream, with the other stream between them WHEN read THEN it is whole', () => {
    const euro = Buffer.from('€'); // 3 bytes
    const tail = new LogTail(100);
    tail.append('stdout', euro.subarray(0, 1));
    tail.append('stderr', Buffer.from('x'));
    tail.append('stdout', euro.subarray(1));
    expect(tail.toString()).toBe('x€');
  });

  test('GIVEN more output than the limit WHEN read THEN the last `limit` characters are shown and every byte is counted', () => {
    const tail = new LogTail(10);
    for (let i = 0; i < 100_000; i++) tail.append('stdout', Buffer.from(`line ${i}\n`));
    expect(tail.toString()).toBe('ine 99999\n');
    expect(tail.totalBytes).toBe(1_088_890);
  });

  test('GIVEN a secret split across chunks and streams WHEN read THEN it is masked', () => {
    const tail = new LogTail(100, [SECRET]);
    tail.append('stdout', Buffer.from('token=super-sec'));
    tail.append('stderr', Buffer.from('ret-value-123 done'));
    expect(tail.toString()).toBe('token=*** done');
  });

  test('GIVEN a private key WHEN the log holds it JSON-escaped or one of its lines THEN each form is masked', () => {
    const key = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4Uq1Jk2n8wzQe0f\nAbCdEfGhIjKlMnOpQrStUvWxYz012345\n-----END RSA PRIVATE KEY-----`;
    const tail = new LogTail(1000, [key]);
    tail.append('stdout', Buffer.from(`json: ${JSON.stringify(key)}\nline: AbCdEfGhIjKlMnOpQrStUvWxYz012345\n`));
    expect(tail.toString()).toBe('json: "***"\nline: ***\n');
  });

  test('GIVEN a tail that begins inside a secret WHEN read THEN no remnant of it is shown', () => {
    const tail = new LogTail(40, [SECRET]);
    for (let i = 0; i < 1000; i++) tail.append('stdout', Buffer.from(SECRET));
    tail.append('stdout', Buffer.from(' end\n'));
    const text = tail.toString();
    expect(text.endsWith('*** end\n')).toBe(true);
    expect(text.replace(/\*/g, '')).toBe(' end\n');
  });

  test("GIVEN a tail of a character a secret ends with WHEN read THEN at most the secret's length is dropped, not the whole tail", () => {
    const tail = new LogTail(100, ['abcdef-3']);
    for (let i = 0; i < 1000; i++) tail.append('stdout', Buffer.from('3'.repeat(100)));
    expect(tail.toString()).toBe('3'.repeat(100));
  });
});

describe('BoundedBuffer', () => {
  test('GIVEN chunks within the limit WHEN read THEN all are kept', () => {
    const buffer = new BoundedBuffer(10);
    expect(buffer.append(Buffer.from('12345'))).toBe(true);
    expect(buffer.append(Buffer.from('67890'))).toBe(true);
    expect(buffer.toString()).toBe('1234567890');
    expect(buffer.overflowed).toBe(false);
  });

  test('GIVEN a chunk past the limit WHEN appended THEN it is refused, nothing more is kept and the buffer says it overflowed', () => {
    const buffer = new BoundedBuffer(10);
    buffer.append(Buffer.from('12345'));
    expect(buffer.append(Buffer.from('678901'))).toBe(false);
    expect(buffer.append(Buffer.from('1'))).toBe(false);
    expect(buffer.toString()).toBe('12345');
    expect(buffer.overflowed).toBe(true);
  });
});
