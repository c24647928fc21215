import type { Io } from '../../src/cli/io';
import { parseCommand, renderHelp, runCommand } from '../../src/cli/command';
import type { CommandSpec, ParsedArgs } from '../../src/cli/command';
import { UsageError } from '../../src/errors';

/**
 * The command-line parser every command shares (src/cli/command.ts), on a command of its
 * own: what each argv parses to, the one-line message of each mistake, and the help text
 * byte for byte (written out here, not recorded from a run).
 */
function spec(over: Partial<CommandSpec> = {}): CommandSpec & { calls: ParsedArgs[] } {
  const calls: ParsedArgs[] = [];
  return {
    invocation: 'retarget demo',
    summary: 'shows the parser',
    synopsis: 'retarget demo [-c CONFIG] [PATH...]',
    options: {
      config: { type: 'string', short: 'c', value: 'CONFIG', help: 'the config file' },
      format: { type: 'string', value: 'FORMAT', default: 'table', help: 'how to print' },
      level: { type: 'string', help: 'a string option with neither value name nor short' },
      quiet: { type: 'boolean', short: 'q', help: 'say less' },
      'in-place': { type: 'boolean', help: 'rewrite the inputs' },
    },
    examples: ['retarget demo -c c.yaml spec.yaml'],
    run: (args) => {
      calls.push(args);
      return 7;
    },
    calls,
    ...over,
  };
}

function mistake(s: CommandSpec, argv: string[]): { message: string; command?: string } {
  try {
    parseCommand(s, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const e = error as UsageError;
    return { message: e.message, command: e.command };
  }
  throw new Error(`no mistake in ${JSON.stringify(argv)}`);
}

const io = (): Io & { out: string[] } => {
  const out: string[] = [];
  return { out, stdout: (t) => void out.push(t), stderr: () => undefined, readStdin: () => '' };
};

describe('parseCommand', () => {
  test('values, positionals and defaults', () => {
    const parsed = parseCommand(spec(), ['-c', 'c.yaml', 'a.yaml', '--quiet', 'b.yaml']);
    expect(parsed.positionals).toEqual(['a.yaml', 'b.yaml']);
    expect({ ...parsed.values }).toEqual({ config: 'c.yaml', quiet: true, format: 'table' });
  });

  test('a given value wins over the default; an option without default stays unset', () => {
    const parsed = parseCommand(spec(), ['--format=json', '--level', 'x']);
    expect({ ...parsed.values }).toEqual({ format: 'json', level: 'x' });
    expect(Object.hasOwn(parseCommand(spec(), []).values, 'level')).toBe(false);
  });

  test('-h or --help anywhere before `--` is help, whatever else is wrong on the line', () => {
    for (const argv of [['-h'], ['--bogus', '--help'], ['a', 'b', '-c'], ['--quiet=1', '-h']]) {
      const line = argv.includes('-h') ? argv : [...argv, '--help'];
      expect(parseCommand(spec(), line)).toEqual({ values: { help: true }, positionals: [] });
    }
  });

  test('after `--`, -h is a path, not help', () => {
    const parsed = parseCommand(spec(), ['--', '-h', '--help']);
    expect(parsed.positionals).toEqual(['-h', '--help']);
    expect(parsed.values.help).toBeUndefined();
    // and options before `--` still parse
    expect(parseCommand(spec(), ['-q', '--', '-c']).values.quiet).toBe(true);
    expect(mistake(spec(), ['--bogus', '--', '-h']).message).toBe('unknown option --bogus');
  });

  test.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--confg', 'x'], 'unknown option --confg (did you mean --config?)'],
    [['--in-plac'], 'unknown option --in-plac (did you mean --in-place?)'],
    [['--zzzzzzzzzz'], 'unknown option --zzzzzzzzzz'],
    [['-x'], 'unknown option -x'],
    [['-c'], 'option -c/--config needs a value (CONFIG)'],
    [['--config'], 'option -c/--config needs a value (CONFIG)'],
    [['-c', '--quiet'], 'option -c/--config needs a value (CONFIG)'],
    [['--format'], 'option --format needs a value (FORMAT)'],
    [['--level'], 'option --level needs a value (VALUE)'],
    [['--quiet=yes'], 'option -q/--quiet takes no value'],
    [['--in-place=1'], 'option --in-place takes no value'],
  ])('%j: %s', (argv, message) => {
    expect(mistake(spec(), argv)).toEqual({ message, command: 'retarget demo' });
  });

  test('too many positionals: the first one too many, quoted, and the limit', () => {
    const one = spec({ positionals: { max: 1, what: 'input' } });
    expect(parseCommand(one, ['a']).positionals).toEqual(['a']);
    expect(mistake(one, ['a', 'b c', 'd'])).toEqual({
      message: 'unexpected argument "b c": at most 1 input',
      command: 'retarget demo',
    });
    const none = spec({ positionals: { max: 0, what: 'arguments' } });
    expect(parseCommand(none, []).positionals).toEqual([]);
    expect(mistake(none, ['x'])).toEqual({
      message: 'unexpected argument "x": takes no arguments',
      command: 'retarget demo',
    });
    expect(parseCommand(spec(), ['a', 'b', 'c', 'd']).positionals).toHaveLength(4);
  });

  test('--debug is every command option', () => {
    expect(parseCommand(spec(), ['--debug']).values.debug).toBe(true);
  });
});

describe('runCommand', () => {
  test('help is printed and the command not run', () => {
    const s = spec();
    const out = io();
    expect(runCommand(s, ['x', '--help'], out)).toBe(0);
    expect(out.out).toEqual([renderHelp(s)]);
    expect(s.calls).toEqual([]);
  });

  test('otherwise the command runs with the parsed arguments and its status is returned', () => {
    const s = spec();
    const out = io();
    expect(runCommand(s, ['-c', 'c.yaml', 'p'], out)).toBe(7);
    expect(out.out).toEqual([]);
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0].positionals).toEqual(['p']);
    expect(s.calls[0].values.config).toBe('c.yaml');
  });
});

describe('renderHelp', () => {
  test('the whole text: summary, usage, description, options in order, one example', () => {
    const s = spec({ description: 'What it does,\nin two lines.\n\n' });
    expect(renderHelp(s)).toBe(
      [
        'retarget demo: shows the parser',
        '',
        'Usage: retarget demo [-c CONFIG] [PATH...]',
        '',
        'What it does,',
        'in two lines.',
        '',
        'Options:',
        '  -c, --config CONFIG  the config file',
        '      --format FORMAT  how to print (default: table)',
        '      --level VALUE    a string option with neither value name nor short',
        '  -q, --quiet          say less',
        '      --in-place       rewrite the inputs',
        '  -h, --help           show this help',
        '      --debug          show the stack trace of an internal error',
        '',
        'Example:',
        '  retarget demo -c c.yaml spec.yaml',
        '',
      ].join('\n'),
    );
  });

  test('no description: no paragraph; several examples: "Examples:"', () => {
    const s = spec({ examples: ['retarget demo a', 'retarget demo b'], options: {} });
    expect(renderHelp(s)).toBe(
      [
        'retarget demo: shows the parser',
        '',
        'Usage: retarget demo [-c CONFIG] [PATH...]',
        '',
        'Options:',
        '  -h, --help   show this help',
        '      --debug  show the stack trace of an internal error',
        '',
        'Examples:',
        '  retarget demo a',
        '  retarget demo b',
        '',
      ].join('\n'),
    );
  });
});
