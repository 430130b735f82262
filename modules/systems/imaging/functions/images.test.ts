import { idOfKey, imageId, imageKey, parseImageRequest } from './images.js';

describe('images', () => {
  test('GIVEN the same pair in other case or spacing WHEN named THEN the id is the same; another pair gets another id', () => {
    const id = imageId({ cat: 'Tabby', hat: 'Top hat' });
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(imageId({ cat: ' tabby ', hat: 'TOP HAT' })).toBe(id);
    expect(imageId({ cat: 'Tabby', hat: 'Beret' })).not.toBe(id);
    expect(idOfKey(imageKey(id))).toBe(id);
    expect(idOfKey('images/other.png')).toBeUndefined();
  });

  test('GIVEN a bad request WHEN parsed THEN every problem is listed', () => {
    expect(parseImageRequest({ cat: '<script>', hat: 7, size: 'xl' })).toEqual([
      'cat must be 1-40 letters, digits, spaces or hyphens (got "<script>")',
      'hat must be 1-40 letters, digits, spaces or hyphens (got 7)',
      'unknown fields: size (allowed: cat, hat)',
    ]);
    expect(parseImageRequest({ cat: 'Tabby', hat: 'Beret' })).toEqual({ cat: 'Tabby', hat: 'Beret' });
  });
});
