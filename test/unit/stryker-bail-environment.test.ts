/**
 * The mutation runs' bail (test/support/stryker-bail-environment.js): after a test fails
 * with a mutant active, the rest of that mutant's tests are skipped; nothing changes with
 * no mutant active (the initial run, npm test) or for another mutant.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const BailEnvironment = require('../support/stryker-bail-environment.js') as {
  prototype: { handleTestEvent(event: unknown): Promise<void> };
};

type Test = { mode?: string; errors: unknown[] };
const handle = (event: { name: string; test: Test }) =>
  BailEnvironment.prototype.handleTestEvent.call({}, event);
const ENV = '__STRYKER_ACTIVE_MUTANT__';

describe('bail per mutant in the mutation runs', () => {
  const before = process.env[ENV];
  afterEach(() => {
    if (before === undefined) delete process.env[ENV];
    else process.env[ENV] = before;
  });

  test('a failure kills the mutant: its later tests are skipped; another mutant runs them', async () => {
    process.env[ENV] = '41';
    const first: Test = { errors: [] };
    await handle({ name: 'test_start', test: first });
    expect(first.mode).toBeUndefined();
    await handle({ name: 'test_done', test: first }); // passed: nothing is killed
    const second: Test = { errors: [] };
    await handle({ name: 'test_start', test: second });
    expect(second.mode).toBeUndefined();
    await handle({ name: 'test_done', test: { errors: [new Error('killed')] } });
    const third: Test = { errors: [] };
    await handle({ name: 'test_start', test: third });
    expect(third.mode).toBe('skip');
    process.env[ENV] = '42';
    const other: Test = { errors: [] };
    await handle({ name: 'test_start', test: other });
    expect(other.mode).toBeUndefined();
  });

  test('with no mutant active, a failure changes nothing', async () => {
    delete process.env[ENV];
    await handle({ name: 'test_done', test: { errors: [new Error('fails')] } });
    const next: Test = { errors: [] };
    await handle({ name: 'test_start', test: next });
    expect(next.mode).toBeUndefined();
  });
});
