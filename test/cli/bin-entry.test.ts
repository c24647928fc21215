/**
 * The `retarget` executable's entry (src/cli/bin.ts): it hands main() the user's
 * arguments (without node's own two) and exits with main()'s status. main() is replaced
 * here by a recorder, so nothing is written to this process's stdout.
 */
describe('the retarget executable', () => {
  test.each([[['--version']], [['hydrate', '-c', 'retarget.yaml', 'spec.yaml']], [[]]])(
    'argv %j reaches main; its status is the exit code',
    (args) => {
      const savedArgv = process.argv;
      const savedExit = process.exitCode;
      const calls: (readonly string[])[] = [];
      try {
        process.argv = ['/usr/bin/node', '/usr/lib/retarget/retarget.js', ...args];
        jest.isolateModules(() => {
          jest.doMock('../../src/cli/main', () => ({
            main: (argv: readonly string[]) => {
              calls.push(argv);
              return 7;
            },
          }));
          // The module runs on load, as node runs the executable: a fresh load per case.
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          require('../../src/cli/bin');
        });
        expect(calls).toEqual([args]);
        expect(process.exitCode).toBe(7);
      } finally {
        process.argv = savedArgv;
        process.exitCode = savedExit;
        jest.dontMock('../../src/cli/main');
      }
    },
  );
});
