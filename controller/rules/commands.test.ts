import fc from 'fast-check';
import { COMMAND_WINDOW, commandHelpReply, commandProblem, MAX_COMMENT_LENGTH, parseCommand } from './commands.js';

describe('parseCommand', () => {
  test.each<[string, object]>([
    ['/plan', { kind: 'plan', name: 'plan', args: [] }],
    ['/PLAN', { kind: 'plan', name: 'plan', args: [] }],
    ['  /plan  ', { kind: 'plan', name: 'plan', args: [] }],
    ['/help', { kind: 'help', name: 'help', args: [] }],
    ['/unlock', { kind: 'unlock', name: 'unlock', args: [] }],
    ['/apply', { kind: 'apply', name: 'apply', args: [] }],
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
    ['/apply prod', '/apply takes no arguments (got "prod")'],
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

describe('parseCommand reads Markdown: a command is a line of a top-level paragraph that readers see as text', () => {
  test.each([
    ['4-space indented code', 'Run:\n\n    /plan'],
    ['indented code at the start', '    /unlock prod'],
    ['tab-indented code', '\t/plan'],
    ['an HTML comment block', '<!--\n/plan\n-->'],
    ['an unclosed HTML comment', 'Hi\n\n<!--\n/plan'],
    ['an HTML comment inside a paragraph', 'Note to self <!--\n/plan\n-->'],
    ['a <pre> block', '<pre>\n/plan\n</pre>'],
    ['a <pre> block with blank lines', '<pre>\nlog line\n\n/plan\n\nmore log\n</pre>'],
    ['a <pre> opened inside a paragraph', 'Output: <pre>\n/plan\n</pre>'],
    ['paragraphs after a <pre> opened inline', 'Output: <pre>\n\n/plan\n\n</pre>'],
    ['a <code> element', 'Type <code>\n/unlock prod\n</code> to unlock'],
    ['a folded <details> block', '<details><summary>log</summary>\n\n/plan\n\n</details>'],
    ['a code span across lines', '`see\n/plan\n`'],
    ['a double-backtick code span', '``\n/plan\n``'],
    ['a link title', '[docs](https://example.com "\n/plan\n")'],
    ['an image description', '![\n/plan\n](diagram.png)'],
    ['a line lazily continuing a quote', '> I would run\n/plan'],
    ['a line lazily continuing a list item', '- first point\n/plan'],
    ['a list item', '1. /plan'],
    ['a setext heading', '/plan\n====='],
  ])('GIVEN a command inside %s WHEN parsed THEN there is no command', (_where, body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  test.each<[string, string, string]>([
    ['a sentence in the same paragraph', 'Looks good.\n/plan', 'plan'],
    ['a code span closed on the line before', 'Ran `npm test`\n/plan', 'plan'],
    ['a closed HTML comment before it', '<!-- note -->\n\n/unlock prod', 'unlock'],
    ['a closed <details> block before it', '<details><summary>log</summary>\n\nsteps\n\n</details>\n\n/plan', 'plan'],
    ['a closed <pre> block before it', '<pre>\n/unlock prod\n</pre>\n\n/help', 'help'],
    ['bold and an unknown tag before it', '**Fix** for Map<String>\n/plan', 'plan'],
    ['a link on the line before', 'See [the docs](https://example.com)\n/help', 'help'],
    ['an indented line continuing a paragraph', 'Please\n    /plan', 'plan'],
    ['a blockquote ended by a blank line', '> quoted\n\n/plan', 'plan'],
  ])('GIVEN %s WHEN parsed THEN the command is found', (_what, body, kind) => {
    expect(parseCommand(body)?.kind).toBe(kind);
  });

  test('GIVEN a body longer than GitHub allows WHEN parsed THEN it is not read', () => {
    expect(parseCommand('/plan\n\n' + 'x'.repeat(MAX_COMMENT_LENGTH))).toBeUndefined();
  });

  test('GIVEN a command near the top of a long comment WHEN parsed THEN it is found', () => {
    expect(parseCommand('/plan\n\n' + 'x'.repeat(MAX_COMMENT_LENGTH - 7))?.kind).toBe('plan');
  });

  test(`GIVEN a command whose paragraph ends after the first ${COMMAND_WINDOW} characters WHEN parsed THEN it is not read`, () => {
    expect(parseCommand('x'.repeat(COMMAND_WINDOW) + '\n\n/plan')).toBeUndefined();
    // the paragraph goes on past the window: its next line could make it a heading
    expect(parseCommand('/plan\n' + 'y'.repeat(COMMAND_WINDOW))).toBeUndefined();
    expect(parseCommand('/plan\n\n' + 'y'.repeat(COMMAND_WINDOW))?.kind).toBe('plan');
  });

  test.each([
    ['quotes', '>'.repeat(MAX_COMMENT_LENGTH)],
    ['quotes with spaces', '> '.repeat(MAX_COMMENT_LENGTH / 2)],
    ['ordered lists', '1. '.repeat(600) + '/plan'],
    ['quotes around a command', '>'.repeat(40) + ' x\n\n/plan'],
  ])('GIVEN %s nested past any real comment WHEN parsed THEN it is an ordinary comment, not a crash', (_what, body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  const unit = (pattern: string) =>
    (pattern.repeat(Math.ceil(COMMAND_WINDOW / pattern.length)).slice(0, COMMAND_WINDOW - 40) + '\n\n').repeat(32);
  test.each([
    ['emphasis', '**a*_b_*'],
    ['stars', '*a'],
    ['brackets', '['],
    ['links', '[a]('],
    ['tags', '<'],
    ['mixed', '[<`!\\'],
    ['setext headings', 'a\n=\n'],
    ['headings', '# a\n'],
    ['code spans', '`a`\n/x\n'],
  ])('GIVEN a %s-heavy 64 kB comment WHEN parsed THEN it takes milliseconds (best of 5 under 50 ms)', (_what, pattern) => {
    // the command sits beside the hostile text, in the same paragraph and in the one before
    const body = ('/plan\n' + unit(pattern)).slice(0, MAX_COMMENT_LENGTH);
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      parseCommand(body);
      best = Math.min(best, performance.now() - start);
    }
    expect(best).toBeLessThan(50);
  });
});

describe('parseCommand properties', () => {
  const letters = fc.stringMatching(/^[a-z]{1,8}$/);
  const plainText = fc.array(letters, { minLength: 1, maxLength: 5 }).map((words) => words.join(' '));
  const richWord = fc.oneof(
    letters,
    fc.constantFrom(
      '*stress*',
      '_note_',
      '`npm test`',
      '<b>bold</b>',
      'List<String>',
      '[docs](https://example.com)',
      '~~old~~',
      'a|b',
      '&amp;',
    ),
  );
  const richText = fc.array(richWord, { minLength: 1, maxLength: 5 }).map((words) => words.join(' '));
  const command = fc.constantFrom('/plan', '/unlock prod', '/help', '/deploy now', '/Plan', '/unlock');
  const hiddenCommand = fc
    .tuple(command, plainText)
    .chain(([cmd, text]) =>
      fc.constantFrom(
        '```\n' + cmd + '\n```',
        '~~~sh\n' + text + '\n' + cmd + '\n~~~',
        '    ' + cmd,
        '\t' + cmd,
        '<!--\n' + cmd + '\n-->',
        text + ' <!--\n' + cmd + '\n-->',
        '<pre>\n' + cmd + '\n</pre>',
        '<pre>\n' + text + '\n\n' + cmd + '\n</pre>',
        text + ' <pre>\n' + cmd + '\n</pre>',
        text + ' <code>\n' + cmd + '\n</code>',
        '<details><summary>' + text + '</summary>\n\n' + cmd + '\n\n</details>',
        '`' + text + '\n' + cmd + '\n`',
        '> ' + cmd,
        '> ' + text + '\n' + cmd,
        '- ' + text + '\n' + cmd,
        '[' + text + '](https://example.com "\n' + cmd + '\n")',
        '![\n' + cmd + '\n](a.png)',
      ),
    );
  const noise = richText.chain((text) =>
    fc.constantFrom(
      text,
      '# ' + text,
      '- ' + text,
      '> ' + text,
      '---',
      '| a | b |\n|---|---|\n| ' + text + ' | x |',
      '```\n' + text + '\n```',
      '<!-- ' + text + ' -->',
    ),
  );
  const visibleCommand = fc
    .tuple(command, richText)
    // not indented: after a list item, an indented paragraph belongs to the item
    .chain(([cmd, text]) => fc.constantFrom<[string, string]>([cmd, cmd], [cmd, text + '\n' + cmd], [cmd, cmd + '\n' + text]));
  const commandName = (cmd: string) => cmd.slice(1).split(' ')[0].toLowerCase();

  test('GIVEN commands inside code, HTML comments, <pre>, quotes, lists and link targets among ordinary Markdown WHEN parsed THEN none is found', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hiddenCommand, noise), { minLength: 1, maxLength: 8 }), (blocks) => {
        expect(parseCommand(blocks.join('\n\n'))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  test('GIVEN the same comments with one visible command among them WHEN parsed THEN that command is found', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hiddenCommand, noise), { maxLength: 8 }), visibleCommand, fc.nat(), (blocks, [cmd, block], at) => {
        const all = [...blocks];
        all.splice(at % (blocks.length + 1), 0, block);
        expect(parseCommand(all.join('\n\n'))?.name).toBe(commandName(cmd));
      }),
      { numRuns: 500 },
    );
  });

  test('GIVEN comments of plain lines WHEN parsed THEN the first line that is a command is found, as before Markdown was read', () => {
    const line = fc.oneof(
      plainText,
      command,
      fc.tuple(fc.constantFrom('', ' ', '   '), command).map(([indent, cmd]) => indent + cmd),
      fc.constant(''),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const first = lines.find((l) => /^\/[A-Za-z]/.test(l.trim()));
        expect(parseCommand(lines.join('\n'))?.name).toBe(first === undefined ? undefined : commandName(first.trim()));
      }),
      { numRuns: 500 },
    );
  });

  test('GIVEN arbitrary Markdown-like text WHEN parsed THEN it never throws and a command found is a line of the comment', () => {
    const piece = fc.constantFrom(
      '/plan',
      '/unlock prod',
      '\n',
      '\n\n',
      '    ',
      '> ',
      '- ',
      '1. ',
      '```',
      '~~~',
      '`',
      '<!--',
      '-->',
      '<pre>',
      '</pre>',
      '<b>',
      '[',
      '](',
      ')',
      '"',
      '*',
      '_',
      '\\',
      '===',
      'text',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const body = pieces.join('');
        const found = parseCommand(body);
        if (found === undefined) return;
        const lines = body.split(/\r?\n/).map((l) => l.trim());
        expect(lines.some((l) => l.toLowerCase().startsWith('/' + found.name))).toBe(true);
      }),
      { numRuns: 1000 },
    );
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
        '| `/apply` | on a merged pull request whose plan differed from the reviewed one: apply the plan shown here (approvers of the environment) |',
        '| `/unlock [env]` | release a stuck deployment lock of the environment, whoever holds it (approvers of the environment; default: the target environment) |',
        '| `/help` | show this list |',
      ].join('\n'),
    );
  });

  test('GIVEN an unknown command WHEN the problem is written THEN it names the command and the allowed ones, above the list', () => {
    const problem = commandProblem(parseCommand('/deploy prod')!);
    expect(problem).toBe('`/deploy` is not a command (allowed: /plan, /apply, /unlock, /help)');
    expect(commandHelpReply(problem).split('\n')[0]).toBe('⚠️ `/deploy` is not a command (allowed: /plan, /apply, /unlock, /help)');
  });

  test('GIVEN a valid command WHEN its problem is asked THEN there is none', () => {
    expect(commandProblem(parseCommand('/unlock prod')!)).toBeUndefined();
  });
});
