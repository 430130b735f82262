import { commandHelpReply, commandProblem, parseCommand } from './commands.js';

describe('parseCommand', () => {
  test.each<[string, object]>([
    ['/plan', { kind: 'plan', name: 'plan', args: [] }],
    ['/PLAN', { kind: 'plan', name: 'plan', args: [] }],
    ['  /plan  ', { kind: 'plan', name: 'plan', args: [] }],
    ['/help', { kind: 'help', name: 'help', args: [] }],
    ['/unlock', { kind: 'unlock', name: 'unlock', args: [] }],
    ['/Unlock prod', { kind: 'unlock', name: 'unlock', args: ['prod'] }],
    ['/unlock\tuat', { kind: 'unlock', name: 'unlock', args: ['uat'] }],
    ['Thanks!\n\n/plan\n\nmore text', { kind: 'plan', name: 'plan', args: [] }],
    ['/plan\r\n/unlock prod', { kind: 'plan', name: 'plan', args: [] }],
    ['/foo bar', { kind: 'unknown', name: 'foo', args: ['bar'] }],
    ['/Deploy', { kind: 'unknown', name: 'deploy', args: [] }],
  ])('GIVEN the comment %p WHEN parsed THEN the command is %p', (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  test.each([
    ['a plain comment', 'Looks good to me'],
    ['a command mid-line', 'please run /plan'],
    ['a quoted command', '> /plan\nagreed'],
    ['a quoted command with leading spaces', '   > /unlock prod'],
    ['a command inside a fenced code block', 'Run this:\n```\n/plan\n```'],
    ['a command inside a tilde fence', '~~~sh\n/unlock prod\n~~~'],
    ['a path, not a command', '/usr/bin/terraform crashed'],
    ['a lone slash', '/'],
    ['a slash and a space', '/ plan'],
    ['a digit after the slash', '/1'],
    ['an empty body', ''],
  ])('GIVEN %s WHEN parsed THEN there is no command', (_what, body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  test('GIVEN a code block and then a real command WHEN parsed THEN the command after the block is found', () => {
    expect(parseCommand('```\n/unlock prod\n```\n/plan')?.kind).toBe('plan');
  });

  test('GIVEN an unclosed code fence WHEN parsed THEN nothing after it runs', () => {
    expect(parseCommand('```\n/plan')).toBeUndefined();
  });

  test.each([null, undefined, 42 as unknown as string])('GIVEN a non-string body %p WHEN parsed THEN there is no command', (body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  test.each<[string, string]>([
    ['/plan now', '/plan takes no arguments (got "now")'],
    ['/help me', '/help takes no arguments (got "me")'],
    ['/unlock prod uat', '/unlock takes at most one environment name (got 2 words)'],
    ['/unlock ../etc', '/unlock: "../etc" is not an environment name (lowercase letters, digits and -, at most 16)'],
    ['/unlock $(id)', '/unlock: "$(id)" is not an environment name (lowercase letters, digits and -, at most 16)'],
    ['/unlock Prod', '/unlock: "Prod" is not an environment name (lowercase letters, digits and -, at most 16)'],
  ])('GIVEN %p WHEN parsed THEN the command carries an error naming the bad argument', (body, error) => {
    const command = parseCommand(body);
    expect(command?.error).toBe(error);
    expect(commandProblem(command!)).toBe(error);
  });
});

describe('replies', () => {
  test('GIVEN /help WHEN the reply is written THEN it lists every command in a table', () => {
    expect(commandHelpReply()).toBe(
      [
        'Commands (on a line of their own; only people with write access can run them):',
        '',
        '| command | what it does |',
        '|---|---|',
        '| `/plan` | plan this pull request again against its target environment |',
        "| `/unlock [env]` | release the environment's deployment lock held for this pull request (default: the target environment) |",
        '| `/help` | show this list |',
      ].join('\n'),
    );
  });

  test('GIVEN an unknown command WHEN the problem is written THEN it names the command and the allowed ones, above the list', () => {
    const problem = commandProblem(parseCommand('/deploy prod')!);
    expect(problem).toBe('`/deploy` is not a command (allowed: /plan, /unlock, /help)');
    expect(commandHelpReply(problem).split('\n')[0]).toBe('⚠️ `/deploy` is not a command (allowed: /plan, /unlock, /help)');
  });

  test('GIVEN a valid command WHEN its problem is asked THEN there is none', () => {
    expect(commandProblem(parseCommand('/unlock prod')!)).toBeUndefined();
  });
});
