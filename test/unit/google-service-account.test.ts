import { parseGoogleServiceAccount } from '../../src/preflight/google-service-account';

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
