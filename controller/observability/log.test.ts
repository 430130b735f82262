import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { ServedController } from '../compose.js';
import type { ControllerCore } from '../core/controller.js';
import { HeldSecrets } from '../secrets/held.js';
import { postSigned, recordingCore, SECRET, serveForTest } from '../../test/fixtures/served-controller.js';
import { maskedLogger, singleNameLog, withoutBound } from './log.js';

/** The top-level keys of a JSON object's text, in order, duplicates kept (JSON.parse keeps only the last). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let end = i + 1;
      while (line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
      if (depth === 1 && line[end + 1] === ':') keys.push(JSON.parse(line.slice(i, end + 1)) as string);
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

/** A core whose plan job logs a line about a stack, the way the core's steps do, through the session's logger. */
function loggingCore(): ControllerCore {
  return {
    ...recordingCore().core,
    pullRequestChanged: async (session, pr) => {
      session.log.info({ pr: pr.number, environment: 'dev', stack: 'release-dev' }, 'stack planned');
    },
  };
}

let server: ServedController;
let lines: string[];

beforeEach(async () => {
  lines = [];
  const stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => void (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()),
  });
  server = await serveForTest(maskedLogger('trace', new HeldSecrets([SECRET]), stream), loggingCore());
});
afterEach(() => server.close());

describe('the log of a served controller', () => {
  test('GIVEN a delivery and its redelivery WHEN handled at trace level THEN every line has each key once and one name, gitops', async () => {
    expect((await postSigned(server, 'log-1')).status).toBe(200);
    expect((await postSigned(server, 'log-1')).status).toBe(200);
    await server.runtime.queue.onIdle();
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      const keys = topLevelKeys(line);
      expect({ line, duplicates: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual({ line, duplicates: [] });
      expect(JSON.parse(line)).toMatchObject({ name: 'gitops' });
    }
  });

  test("GIVEN a pull request's job WHEN its step logs about a stack THEN the line carries the delivery, repository, pull request, environment and stack", async () => {
    expect((await postSigned(server, 'log-2')).status).toBe(200);
    await server.runtime.queue.onIdle();
    const line = lines.find((l) => l.includes('stack planned'))!;
    expect(topLevelKeys(line)).toEqual([
      'level',
      'time',
      'pid',
      'hostname',
      'name',
      'delivery',
      'repo',
      'pr',
      'environment',
      'stack',
      'msg',
    ]);
    expect(JSON.parse(line)).toMatchObject({ delivery: 'log-2', repo: 'acme/infra', pr: 7, environment: 'dev', stack: 'release-dev' });
  });

  test('GIVEN a redelivery WHEN it is turned away THEN its one line names the delivery once and the event', async () => {
    await postSigned(server, 'log-3');
    await postSigned(server, 'log-3');
    await server.runtime.queue.onIdle();
    const line = lines.find((l) => l.includes('delivery seen before'))!;
    expect(topLevelKeys(line).filter((k) => k === 'delivery')).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ name: 'gitops', delivery: 'log-3', event: 'pull_request.opened' });
  });
});

describe('singleNameLog', () => {
  test("GIVEN Probot's named children WHEN they log THEN the root's name is the only one and the event's id is bound as delivery", () => {
    const out: string[] = [];
    const root = pino({ name: 'gitops' }, new Writable({ write: (c: Buffer, _e, done) => void (out.push(c.toString()), done()) }));
    singleNameLog(root).child({ name: 'probot' }).child({ name: 'event', id: 'd-9' }).child({ name: 'github', id: 3 }).info('x');
    expect(topLevelKeys(out[0]!)).toEqual(['level', 'time', 'pid', 'hostname', 'name', 'delivery', 'id', 'msg']);
    expect(JSON.parse(out[0]!)).toMatchObject({ name: 'gitops', delivery: 'd-9', id: 3 });
  });
});

describe('withoutBound', () => {
  test('GIVEN fields the logger has bound to the same value WHEN logged THEN they are left out; a different value or an Error stays', () => {
    expect(withoutBound({ pr: 7, environment: 'dev', repo: 'x' }, { pr: 7, repo: 'acme/infra' })).toEqual({
      environment: 'dev',
      repo: 'x',
    });
    const error = new Error('e');
    expect(withoutBound(error, { message: 'e' })).toBe(error);
  });
});

describe('maskedLogger', () => {
  test('GIVEN a held secret in a log message and in a field WHEN logged THEN the line holds neither', () => {
    const lines: string[] = [];
    const log = maskedLogger(
      'info',
      new HeldSecrets([SECRET]),
      new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
    );
    log.info({ err: `request signed with ${SECRET}`, nested: { token: SECRET } }, `secret ${SECRET} seen`);
    log.error(`plain ${SECRET}`);
    const hooked = lines.join('');
    expect(hooked).not.toContain(SECRET);
    expect(hooked).toContain('request signed with ***');
    expect(hooked).toContain('"msg":"secret *** seen"');
    expect(hooked).toContain('"msg":"plain ***"');
  });
});
