import {
  accountProject,
  parseGoogleServiceAccount,
} from '../../src/preflight/google-service-account';

describe('Google service account emails', () => {
  test.each([
    ['billing@project-b.iam.gserviceaccount.com', 'user-managed', 'project-b', undefined],
    // A domain-scoped project example.com:legacy-app writes its accounts under legacy-app.example.com.
    [
      'billing@legacy-app.example.com.iam.gserviceaccount.com',
      'user-managed',
      'example.com:legacy-app',
      undefined,
    ],
    [
      '123456789012-compute@developer.gserviceaccount.com',
      'compute-default',
      undefined,
      '123456789012',
    ],
    ['project-b@appspot.gserviceaccount.com', 'app-engine-default', 'project-b', undefined],
  ])('%s is a %s account', (email, kind, project, projectNumber) => {
    expect(parseGoogleServiceAccount(email)).toEqual({
      email,
      kind,
      ...(project ? { project } : {}),
      ...(projectNumber ? { projectNumber } : {}),
    });
  });

  test.each([
    ['', 'empty'],
    ['serviceAccount:billing@project-b.iam.gserviceaccount.com', 'IAM member'],
    [
      'principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p.svc.id.goog/subject/ns/a/sa/b',
      'principal identifier',
    ],
    [' billing@project-b.iam.gserviceaccount.com', 'white space'],
    ['Billing@project-b.iam.gserviceaccount.com', 'lower case'],
    ['billing', 'not an email'],
    ['billing@project-b.gserviceaccount.com', 'NAME@project-b.iam.gserviceaccount.com'],
    ['billing@example.com', 'not a service account domain'],
    ['vm@project-b.iam.gserviceaccount.com', 'the account id vm'],
    ['billing-@project-b.iam.gserviceaccount.com', 'the account id billing-'],
    ['billing@p.iam.gserviceaccount.com', 'it is not NAME@PROJECT_ID'],
    ['service-1234567@gcp-sa-pubsub.iam.gserviceaccount.com', 'service agent'],
    ['billing@project-b.iam.gserviceaccount.com.attacker.example', 'not a service account domain'],
  ])('%j is refused: %s', (value, why) => {
    const parsed = parseGoogleServiceAccount(value);
    expect(parsed).toHaveProperty('problem');
    expect((parsed as { problem: string }).problem).toContain(why);
  });
});

/**
 * The boundaries, from the IAM documentation rather than from the patterns: an account id
 * (and a project id) is 6 to 30 characters, a lower-case letter first, then lower-case
 * letters, digits or hyphens, not ending in a hyphen
 * (https://cloud.google.com/iam/docs/service-accounts-create,
 * https://cloud.google.com/resource-manager/docs/creating-managing-projects); a project
 * number has no leading zero.
 */
describe('Google service account emails: every boundary', () => {
  const id = (n: number) => `a${'b'.repeat(n - 2)}c`;
  const problem = (value: string) =>
    (parseGoogleServiceAccount(value) as { problem?: string }).problem;
  const PROJECT_FORM =
    'it is not NAME@PROJECT_ID.iam.gserviceaccount.com (nor a Compute Engine or App Engine default service account)';

  test.each([
    [`${id(6)}@project-b.iam.gserviceaccount.com`, 'project-b'],
    [`${id(30)}@project-b.iam.gserviceaccount.com`, 'project-b'],
    [`a-1-b2@project-b.iam.gserviceaccount.com`, 'project-b'],
    [`billing@${id(6)}.iam.gserviceaccount.com`, id(6)],
    [`billing@${id(30)}.iam.gserviceaccount.com`, id(30)],
    ['billing@p-1-2-3.iam.gserviceaccount.com', 'p-1-2-3'],
    ['billing@legacy-app.a.b-c.example.iam.gserviceaccount.com', 'a.b-c.example:legacy-app'],
    ['billing@legacy-app.a1.b2.iam.gserviceaccount.com', 'a1.b2:legacy-app'],
  ])('%s is a user-managed account of project %s', (email, project) => {
    expect(parseGoogleServiceAccount(email)).toEqual({ email, kind: 'user-managed', project });
  });

  test.each([
    [
      `${id(5)}@project-b.iam.gserviceaccount.com`,
      `the account id ${id(5)} is not 6 to 30 characters of lower-case letters, digits and hyphens starting with a letter and not ending with a hyphen`,
    ],
    [
      `${id(31)}@project-b.iam.gserviceaccount.com`,
      `the account id ${id(31)} is not 6 to 30 characters of lower-case letters, digits and hyphens starting with a letter and not ending with a hyphen`,
    ],
    [
      '1billing@project-b.iam.gserviceaccount.com',
      'the account id 1billing is not 6 to 30 characters of lower-case letters, digits and hyphens starting with a letter and not ending with a hyphen',
    ],
    [
      'bill_ing@project-b.iam.gserviceaccount.com',
      'the account id bill_ing is not 6 to 30 characters of lower-case letters, digits and hyphens starting with a letter and not ending with a hyphen',
    ],
    // Not anchored at the start, "billing@..." inside would be found.
    [
      '_billing@project-b.iam.gserviceaccount.com',
      'the account id _billing is not 6 to 30 characters of lower-case letters, digits and hyphens starting with a letter and not ending with a hyphen',
    ],
    [`billing@${id(5)}.iam.gserviceaccount.com`, PROJECT_FORM],
    [`billing@${id(31)}.iam.gserviceaccount.com`, PROJECT_FORM],
    ['billing@1project.iam.gserviceaccount.com', PROJECT_FORM],
    ['billing@project-.iam.gserviceaccount.com', PROJECT_FORM],
    ['billing@project_b.iam.gserviceaccount.com', PROJECT_FORM],
    ['billing@legacy-app.-a.example.iam.gserviceaccount.com', PROJECT_FORM],
    ['billing@legacy-app.a-.example.iam.gserviceaccount.com', PROJECT_FORM],
    ['billing@legacy-app.a..example.iam.gserviceaccount.com', PROJECT_FORM],
    [
      'billing@project-bxiamxgserviceaccount.com',
      'project-bxiamxgserviceaccount.com is not a service account domain (NAME@PROJECT_ID.iam.gserviceaccount.com)',
    ],
    ['billing@developer.gserviceaccount.com', PROJECT_FORM],
    [
      'billing@project-b.gserviceaccount.com',
      'the domain is project-b.gserviceaccount.com; a user-managed service account is NAME@project-b.iam.gserviceaccount.com',
    ],
    [
      'billing@example.com',
      'example.com is not a service account domain (NAME@PROJECT_ID.iam.gserviceaccount.com)',
    ],
    [
      'billing@project-b.iam.gserviceaccount.com.attacker.example',
      'project-b.iam.gserviceaccount.com.attacker.example is not a service account domain (NAME@PROJECT_ID.iam.gserviceaccount.com)',
    ],
    ['billing', 'it is not an email: NAME@PROJECT_ID.iam.gserviceaccount.com'],
    ['', 'the value is empty'],
    ['  ', 'the value is empty'],
    ['billing@project-b.iam.gserviceaccount.com ', 'it contains white space'],
    ['billing @project-b.iam.gserviceaccount.com', 'it contains white space'],
    ['billing@Project-b.iam.gserviceaccount.com', 'service account emails are lower case'],
    [
      'serviceaccount:billing@project-b.iam.gserviceaccount.com',
      'it is an IAM member (serviceAccount:EMAIL); the annotation takes the email alone',
    ],
    // Only a prefix is an IAM member or principal: the words elsewhere are an account id.
    [
      'my-serviceAccount:billing@project-b.iam.gserviceaccount.com',
      'service account emails are lower case',
    ],
    [
      'principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p.svc.id.goog/namespace/ns',
      'it is an IAM principal identifier; with direct resource access the ServiceAccount carries no annotation, the principal is granted roles directly',
    ],
    [
      'service-1234567@gcp-sa-pubsub.iam.gserviceaccount.com',
      'service-1234567@gcp-sa-pubsub.iam.gserviceaccount.com is a Google-managed service agent, which workloads cannot impersonate',
    ],
  ])('%j is refused: %s', (value, why) => {
    expect(problem(value)).toBe(why);
  });

  test('an account id that merely contains gcp-sa- is an ordinary account', () => {
    expect(parseGoogleServiceAccount('billing@my-gcp-sa-x.iam.gserviceaccount.com')).toEqual({
      email: 'billing@my-gcp-sa-x.iam.gserviceaccount.com',
      kind: 'user-managed',
      project: 'my-gcp-sa-x',
    });
  });

  test.each([
    ['100000-compute@developer.gserviceaccount.com', '100000'],
    ['1234567890123456789-compute@developer.gserviceaccount.com', '1234567890123456789'],
  ])('%s is the Compute Engine default account of project number %s', (email, projectNumber) => {
    expect(parseGoogleServiceAccount(email)).toEqual({
      email,
      kind: 'compute-default',
      projectNumber,
    });
  });

  test.each([
    '12345-compute@developer.gserviceaccount.com',
    '12345678901234567890-compute@developer.gserviceaccount.com',
    '0123456-compute@developer.gserviceaccount.com',
    'x123456-compute@developer.gserviceaccount.com',
    '123456-compute@developer.gserviceaccount.com.attacker.example',
    '123456-computer@developer.gserviceaccount.com',
    '123456-compute@developerxgserviceaccount.com',
  ])('%s is no Compute Engine default account', (value) => {
    expect(parseGoogleServiceAccount(value)).toHaveProperty('problem');
  });

  test.each([
    [`${id(6)}@appspot.gserviceaccount.com`, id(6)],
    [`${id(30)}@appspot.gserviceaccount.com`, id(30)],
  ])('%s is the App Engine default account of project %s', (email, project) => {
    expect(parseGoogleServiceAccount(email)).toEqual({
      email,
      kind: 'app-engine-default',
      project,
    });
  });

  test.each([
    `${id(5)}@appspot.gserviceaccount.com`,
    `${id(31)}@appspot.gserviceaccount.com`,
    '_project-b@appspot.gserviceaccount.com',
    'project-b@appspot.gserviceaccount.com.attacker.example',
    'project-b@appspotxgserviceaccount.com',
  ])('%s is no App Engine default account', (value) => {
    expect(parseGoogleServiceAccount(value)).toHaveProperty('problem');
  });

  test('the project a finding names: the id, or the number of a Compute Engine default account', () => {
    const user = parseGoogleServiceAccount('billing@project-b.iam.gserviceaccount.com');
    const compute = parseGoogleServiceAccount('123456789012-compute@developer.gserviceaccount.com');
    expect('problem' in user ? user.problem : accountProject(user)).toBe('project-b');
    expect('problem' in compute ? compute.problem : accountProject(compute)).toBe(
      'number 123456789012',
    );
  });
});
