import { stringify } from 'yaml';
import { iamPolicyMember, iamPolicyMemberName } from '../../src/krm/iam-policy-member';

/**
 * Config Connector's IAMPolicyMember as retarget writes it (iam.cnrm.cloud.google.com/v1beta1,
 * the vendored CRD in src/preflight/schema/upstream): the object's exact shape, the
 * namespace it is applied to, and a name that fits a DNS subdomain and is stable per grant.
 * The expected hashes were computed apart from the code: `printf 'a\0b' | sha256sum`.
 */

const GRANT = {
  member: 'serviceAccount:app-project.svc.id.goog[shop/orders]',
  role: 'roles/iam.workloadIdentityUser',
  resourceRef: {
    apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
    kind: 'IAMServiceAccount',
    external: 'projects/app-project/serviceAccounts/orders@app-project.iam.gserviceaccount.com',
  },
};

describe('iamPolicyMember: the object', () => {
  test('in a namespace: apiVersion, kind, metadata with the namespace, the spec of the grant, in that order', () => {
    const object = iamPolicyMember('grant-1', 'shop', GRANT);
    expect(object).toStrictEqual({
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMPolicyMember',
      metadata: { name: 'grant-1', namespace: 'shop' },
      spec: {
        member: GRANT.member,
        role: GRANT.role,
        resourceRef: GRANT.resourceRef,
      },
    });
    // Key order is what the emitted YAML shows.
    expect(stringify(object)).toBe(
      [
        'apiVersion: iam.cnrm.cloud.google.com/v1beta1',
        'kind: IAMPolicyMember',
        'metadata:',
        '  name: grant-1',
        '  namespace: shop',
        'spec:',
        '  member: serviceAccount:app-project.svc.id.goog[shop/orders]',
        '  role: roles/iam.workloadIdentityUser',
        '  resourceRef:',
        '    apiVersion: iam.cnrm.cloud.google.com/v1beta1',
        '    kind: IAMServiceAccount',
        '    external: projects/app-project/serviceAccounts/orders@app-project.iam.gserviceaccount.com',
        '',
      ].join('\n'),
    );
  });

  test('without a namespace: no namespace key at all (not an empty or null one)', () => {
    for (const namespace of [undefined, '']) {
      const metadata = iamPolicyMember('grant-1', namespace, GRANT).metadata as object;
      expect(metadata).toStrictEqual({ name: 'grant-1' });
      expect(Object.keys(metadata)).toEqual(['name']);
    }
  });
});

describe('iamPolicyMemberName', () => {
  test('base, a dash, the first 8 hex digits of sha256 over the parts joined by NUL', () => {
    expect(iamPolicyMemberName('grant', ['a', 'b'])).toBe('grant-59b271ae');
    expect(iamPolicyMemberName('grant', ['ab'])).toBe('grant-fb8e20fc');
    expect(iamPolicyMemberName('grant', [])).toBe('grant-e3b0c442');
  });

  test('parts that concatenate alike still name two grants apart', () => {
    expect(iamPolicyMemberName('g', ['ab', 'c'])).not.toBe(iamPolicyMemberName('g', ['a', 'bc']));
  });

  test('the same grant gives the same name on every run', () => {
    expect(iamPolicyMemberName('g', ['m', 'r'])).toBe(iamPolicyMemberName('g', ['m', 'r']));
  });

  test('trailing dots and dashes of the base are dropped, inner ones kept', () => {
    expect(iamPolicyMemberName('a.b-c.-.', ['ab'])).toBe('a.b-c-fb8e20fc');
    expect(iamPolicyMemberName('abc-', ['ab'])).toBe('abc-fb8e20fc');
    expect(iamPolicyMemberName('abc', ['ab'])).toBe('abc-fb8e20fc');
  });

  test('the base is cut at 240 characters, then cleaned: the name fits a DNS subdomain (253)', () => {
    const long = 'a'.repeat(300);
    const name = iamPolicyMemberName(long, ['ab']);
    expect(name).toBe(`${'a'.repeat(240)}-fb8e20fc`);
    expect(name.length).toBe(249);
    // The cut lands on a dash: it is dropped, not doubled before the hash.
    const dashAtCut = `${'b'.repeat(239)}-${'c'.repeat(20)}`;
    expect(iamPolicyMemberName(dashAtCut, ['ab'])).toBe(`${'b'.repeat(239)}-fb8e20fc`);
    expect(iamPolicyMemberName('d'.repeat(240), ['ab'])).toBe(`${'d'.repeat(240)}-fb8e20fc`);
  });
});
