// Why a value names no Google service account, word for word, at the edges the boundary
// tests leave: an email with nothing before its @, a look-alike domain with a suffix, a
// white space anywhere, and the project a finding names for an account without one.
import {
  accountProject,
  parseGoogleServiceAccount,
} from '../../src/preflight/google-service-account';

const problem = (value: string) =>
  (parseGoogleServiceAccount(value) as { problem?: string }).problem;

describe('Google service account emails: the reason given', () => {
  test.each([
    // An @ first is an email with an empty account id, not a value without an @.
    [
      '@project-b.iam.gserviceaccount.com',
      'the account id  is not 6 to 30 characters of lower-case letters, digits and hyphens starting with a letter and not ending with a hyphen',
    ],
    ['billing', 'it is not an email: NAME@PROJECT_ID.iam.gserviceaccount.com'],
    // A legacy-looking domain with something after it is not a service account domain at all.
    [
      'billing@project-b.gserviceaccount.com.example',
      'project-b.gserviceaccount.com.example is not a service account domain (NAME@PROJECT_ID.iam.gserviceaccount.com)',
    ],
    [
      'billing@project-b.gserviceaccount.com',
      'the domain is project-b.gserviceaccount.com; a user-managed service account is NAME@project-b.iam.gserviceaccount.com',
    ],
    // The Compute Engine default account's domain is a service account domain of its own.
    [
      'billing@developer.gserviceaccount.com',
      'it is not NAME@PROJECT_ID.iam.gserviceaccount.com (nor a Compute Engine or App Engine default service account)',
    ],
    ['billing@project-b.iam.gserviceaccount.com ', 'it contains white space'],
    ['\tbilling@project-b.iam.gserviceaccount.com', 'it contains white space'],
    ['billing@project b.iam.gserviceaccount.com', 'it contains white space'],
    ['billing@project-b.iam.gserviceaccount.com\n', 'it contains white space'],
    [' \u00a0', 'the value is empty'],
  ])('%j: %s', (value, why) => {
    expect(problem(value)).toBe(why);
  });
});

describe('the project a finding names', () => {
  test('the id, else the number, else a question mark for an account that names neither', () => {
    expect(
      accountProject({ email: 'a@p.iam.gserviceaccount.com', kind: 'user-managed', project: 'p' }),
    ).toBe('p');
    expect(
      accountProject({
        email: '123456-compute@developer.gserviceaccount.com',
        kind: 'compute-default',
        projectNumber: '123456',
      }),
    ).toBe('number 123456');
    expect(
      accountProject({ email: 'x-compute@developer.gserviceaccount.com', kind: 'compute-default' }),
    ).toBe('number ?');
  });
});
