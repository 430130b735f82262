import { bodyOf, request } from '../../../../../test/functions/fakes.js';
import { imageId, imageKey } from '../images.js';
import { imagingApi, PAGE_SIZE } from './handler.js';

function api(stored: string[] = [], cdnDomain: string | undefined = 'img.example.com') {
  const queued: { body: string; group: string }[] = [];
  const handle = imagingApi({
    cdnDomain,
    images: {
      exists: async (key) => stored.includes(key),
      list: async (prefix, limit, after) => {
        const keys = stored.filter((k) => k.startsWith(prefix)).sort();
        const start = after ? keys.indexOf(after) + 1 : 0;
        return { keys: keys.slice(start, start + limit), next: start + limit < keys.length ? keys[start + limit - 1] : undefined };
      },
    },
    requestRendering: async (body, group) => void queued.push({ body, group }),
  });
  return { handle, queued };
}

const tabby = imageId({ cat: 'Tabby', hat: 'Beret' });

describe('imaging API', () => {
  test("GIVEN a new cat-and-hat WHEN requested THEN the rendering is queued (202) in the image's message group", async () => {
    const { handle, queued } = api();
    const result = await handle(request('POST', '/v1/images', { body: { cat: 'Tabby', hat: 'Beret' } }));
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toEqual({
      id: tabby,
      key: imageKey(tabby),
      url: `https://img.example.com/${imageKey(tabby)}`,
      status: 'queued',
    });
    expect(queued).toEqual([{ body: JSON.stringify({ id: tabby, cat: 'Tabby', hat: 'Beret' }), group: tabby }]);
  });

  test('GIVEN the image already exists WHEN requested again THEN its link is answered (200) and nothing is queued', async () => {
    const { handle, queued } = api([imageKey(tabby)]);
    const result = await handle(request('POST', '/v1/images', { body: { cat: 'tabby', hat: 'BERET' } }));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result).id).toBe(tabby);
    expect(queued).toEqual([]);
  });

  test('GIVEN stored images WHEN read and listed THEN one answers its link, a missing one 404, the list pages', async () => {
    const ids = Array.from({ length: PAGE_SIZE + 1 }, (_, i) => imageId({ cat: `cat ${i}`, hat: 'cap' }));
    const { handle } = api([...ids.map(imageKey), 'images/readme.txt'], '');
    const one = await handle(request('GET', `/v1/images/${ids[0]}`));
    expect(bodyOf(one)).toEqual({ id: ids[0], key: imageKey(ids[0]!) });
    expect((await handle(request('GET', '/v1/images/0000000000000000'))).statusCode).toBe(404);
    const first = bodyOf(await handle(request('GET', '/v1/images')));
    expect((first.images as unknown[]).length).toBe(PAGE_SIZE);
    const second = bodyOf(await handle(request('GET', '/v1/images', { query: { next: first.next as string } })));
    expect((second.images as unknown[]).length).toBe(1);
  });

  test.each([
    ['a bad id', 'GET', '/v1/images/../../etc', undefined, 404],
    ['an id that is not hex', 'GET', '/v1/images/not-an-id', undefined, 400],
    ['a bad request body', 'POST', '/v1/images', { cat: '', hat: 'cap' }, 400],
    ['an unsupported method', 'DELETE', `/v1/images/${tabby}`, undefined, 405],
  ])('GIVEN %s WHEN called THEN %s', async (_, method, path, body, status) => {
    const { handle, queued } = api();
    expect((await handle(request(method, path, { body }))).statusCode).toBe(status);
    expect(queued).toEqual([]);
  });
});
