/**
 * Google service account emails, as the GKE metadata server and IAM read them. A
 * user-managed account is ACCOUNT_ID@PROJECT_ID.iam.gserviceaccount.com (ACCOUNT_ID 6 to
 * 30 characters: a lower-case letter, then letters, digits or hyphens, not ending in a
 * hyphen; https://cloud.google.com/iam/docs/service-accounts-create); a domain-scoped
 * project example.com:my-project writes its accounts ACCOUNT_ID@my-project.example.com.iam.gserviceaccount.com.
 * The default service accounts have their own forms: PROJECT_NUMBER-compute@developer.gserviceaccount.com
 * (Compute Engine) and PROJECT_ID@appspot.gserviceaccount.com (App Engine).
 */
export interface GoogleServiceAccount {
  email: string;
  kind: 'user-managed' | 'compute-default' | 'app-engine-default';
  /** The project id, when the email names it (not for the Compute Engine default account). */
  project?: string;
  /** The project number, for the Compute Engine default account. */
  projectNumber?: string;
}

const PROJECT_ID = '[a-z][-a-z0-9]{4,28}[a-z0-9]';
const DOMAIN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+';
const USER_MANAGED = new RegExp(
  `^([a-z][-a-z0-9]{4,28}[a-z0-9])@(${PROJECT_ID})(\\.(${DOMAIN}))?\\.iam\\.gserviceaccount\\.com$`,
);
const COMPUTE_DEFAULT = /^([1-9][0-9]{5,18})-compute@developer\.gserviceaccount\.com$/;
const APP_ENGINE_DEFAULT = new RegExp(`^(${PROJECT_ID})@appspot\\.gserviceaccount\\.com$`);

/** The account an email names, or why it names none (a sentence for a finding). */
export function parseGoogleServiceAccount(
  value: string,
): GoogleServiceAccount | { problem: string } {
  const user = USER_MANAGED.exec(value);
  if (user) {
    const project = user[4] ? `${user[4]}:${user[2]}` : user[2];
    if (user[2].startsWith('gcp-sa-')) {
      return {
        problem: `${value} is a Google-managed service agent, which workloads cannot impersonate`,
      };
    }
    return { email: value, kind: 'user-managed', project };
  }
  const compute = COMPUTE_DEFAULT.exec(value);
  if (compute) return { email: value, kind: 'compute-default', projectNumber: compute[1] };
  const appEngine = APP_ENGINE_DEFAULT.exec(value);
  if (appEngine) return { email: value, kind: 'app-engine-default', project: appEngine[1] };
  return { problem: whyMalformed(value) };
}

function whyMalformed(value: string): string {
  if (value.trim() === '') return 'the value is empty';
  if (/^serviceAccount:/i.test(value)) {
    return 'it is an IAM member (serviceAccount:EMAIL); the annotation takes the email alone';
  }
  if (value.startsWith('principal')) {
    return 'it is an IAM principal identifier; with direct resource access the ServiceAccount carries no annotation, the principal is granted roles directly';
  }
  // Leading and trailing white space included: trim() removes exactly what \s matches.
  if (/\s/.test(value)) return 'it contains white space';
  if (/[A-Z]/.test(value)) return 'service account emails are lower case';
  const at = value.indexOf('@');
  if (at < 0) return 'it is not an email: NAME@PROJECT_ID.iam.gserviceaccount.com';
  const [account, host] = [value.slice(0, at), value.slice(at + 1)];
  const project = /^([a-z][-a-z0-9]*)\.gserviceaccount\.com$/.exec(host)?.[1];
  if (project !== undefined && host !== 'developer.gserviceaccount.com') {
    return `the domain is ${host}; a user-managed service account is NAME@${project}.iam.gserviceaccount.com`;
  }
  if (!host.endsWith('.gserviceaccount.com')) {
    return `${host} is not a service account domain (NAME@PROJECT_ID.iam.gserviceaccount.com)`;
  }
  if (!/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(account)) {
    return `the account id ${account} is not 6 to 30 characters of lower-case letters, digits and hyphens starting with a letter and not ending with a hyphen`;
  }
  return 'it is not NAME@PROJECT_ID.iam.gserviceaccount.com (nor a Compute Engine or App Engine default service account)';
}

/** The project a service account lives in, as the finding names it. */
export function accountProject(gsa: GoogleServiceAccount): string {
  return gsa.project ?? `number ${gsa.projectNumber ?? '?'}`;
}
