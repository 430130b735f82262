import { existsSync } from 'node:fs';
import { functionEntry } from './function-source.js';

describe('functionEntry', () => {
  test.each([
    ['ingest', ['authorizer', 'receiver', 'consumer']],
    ['imaging', ['authorizer', 'api', 'processor']],
    ['commerce', ['product', 'inventory', 'order', 'user', 'change-capture', 'blob-backup', 'log-forwarder']],
  ])('GIVEN the %s system WHEN its functions are located THEN each entry is an existing index.ts', (system, names) => {
    for (const name of names) {
      const entry = functionEntry(system, name);
      expect(entry).toMatch(new RegExp(`/modules/systems/${system}/functions/${name}/index\\.ts$`));
      expect(existsSync(entry)).toBe(true);
    }
  });

  test('GIVEN a function without source WHEN located THEN the .ts path is returned (LambdaFunction then refuses it)', () => {
    const entry = functionEntry('ingest', 'missing');
    expect(entry).toMatch(/\/ingest\/functions\/missing\/index\.ts$/);
    expect(existsSync(entry)).toBe(false);
  });
});
