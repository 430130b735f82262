// The events the controller handles, the events its handlers subscribe to and the events the App's
// manifest (app.yml) subscribes to must be one list: an event missing from the manifest never arrives,
// an extra one asks installers for more than the code uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Probot } from 'probot';
import { parse } from 'yaml';
import { eventOf, HANDLED_EVENTS } from './events.js';
import { registerHandlers, type HandlerDeps } from './handlers.js';

/** The event names registerHandlers subscribes to, recorded from its app.on calls. */
function subscribedNames(): string[] {
  const names: string[] = [];
  const recorder = {
    on(name: string | string[]) {
      names.push(...[name].flat());
    },
  };
  registerHandlers(recorder as unknown as Probot, {} as HandlerDeps);
  return names;
}

describe('handled events', () => {
  test('GIVEN registerHandlers WHEN it subscribes THEN every event it listens to is a handled event', () => {
    const names = subscribedNames();
    expect(names.length).toBeGreaterThan(0);
    expect(names.map(eventOf).filter((e) => !(HANDLED_EVENTS as readonly string[]).includes(e))).toEqual([]);
  });

  test('GIVEN app.yml WHEN its default_events are read THEN they are exactly the handled events', () => {
    const manifest = parse(readFileSync(join(process.cwd(), 'app.yml'), 'utf8')) as { default_events: string[] };
    expect([...manifest.default_events].sort()).toEqual([...HANDLED_EVENTS].sort());
  });

  test('GIVEN action-qualified names WHEN eventOf reads them THEN it gives the event', () => {
    expect(eventOf('pull_request.opened')).toBe('pull_request');
    expect(eventOf('push')).toBe('push');
  });
});
