import { jest } from '@jest/globals';
import { imageId, imageKey } from '../images.js';
import { processor, render } from './handler.js';

const message = (id: string, body: unknown) => ({ messageId: id, body: JSON.stringify(body) });

describe('imaging processor', () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN requests for a new and an existing image WHEN processed THEN only the new one is drawn and stored as SVG', async () => {
    const tabby = imageId({ cat: 'Tabby', hat: 'Beret' });
    const siamese = imageId({ cat: 'Siamese', hat: 'Fez' });
    const stored = new Map<string, { body: string; type: string }>([[imageKey(siamese), { body: 'old', type: 'image/svg+xml' }]]);
    const handle = processor({
      exists: async (key) => stored.has(key),
      put: async (key, body, type) => void stored.set(key, { body, type }),
    });
    const result = await handle({
      Records: [message('m1', { id: tabby, cat: 'Tabby', hat: 'Beret' }), message('m2', { id: siamese, cat: 'Siamese', hat: 'Fez' })],
    });
    expect(result.batchItemFailures).toEqual([]);
    expect(stored.get(imageKey(siamese))!.body).toBe('old');
    expect(stored.get(imageKey(tabby))).toEqual({ body: render({ cat: 'Tabby', hat: 'Beret' }), type: 'image/svg+xml' });
  });

  test('GIVEN a forged id, a bad pair and a failing store WHEN processed THEN each is reported for retry, nothing stored', async () => {
    const handle = processor({ exists: async () => false, put: async () => Promise.reject(new Error('SlowDown')) });
    const tabby = imageId({ cat: 'Tabby', hat: 'Beret' });
    const result = await handle({
      Records: [
        message('forged', { id: '0000000000000000', cat: 'Tabby', hat: 'Beret' }),
        message('bad', { id: tabby, cat: '<x>', hat: 'Beret' }),
        message('store', { id: tabby, cat: 'Tabby', hat: 'Beret' }),
      ],
    });
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['forged', 'bad', 'store']);
  });

  test('GIVEN names WHEN rendered THEN the SVG names both, escaped, and the hat colour follows the pair', () => {
    const svg = render({ cat: 'Tabby', hat: 'Top hat' });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg".*<\/svg>$/);
    expect(svg).toContain('<title>Tabby in a Top hat</title>');
    expect(render({ cat: 'Tabby', hat: 'Top hat' })).toBe(svg);
    expect(render({ cat: 'Tabby', hat: 'Fez' })).not.toBe(svg.replace(/Top hat/g, 'Fez'));
  });
});
