// Reading the published schemas: which group a version is of, which kinds and versions a
// Kubernetes release serves, and what a missing schema file says.
import {
  groupOf,
  kindsOf,
  lookup,
  servedVersions,
} from '../../src/preflight/schema/kubernetes-schemas';

describe('the Kubernetes schemas as read', () => {
  test('the group of an API version: core is the empty group', () => {
    expect(groupOf('v1')).toBe('');
    expect(groupOf('apps/v1')).toBe('apps');
    expect(groupOf('resource.k8s.io/v1alpha3')).toBe('resource.k8s.io');
  });

  test('the kinds an API version serves, for a misspelt kind', () => {
    expect(kindsOf('1.35', 'apps/v1')).toEqual([
      'ControllerRevision',
      'ControllerRevisionList',
      'DaemonSet',
      'DaemonSetList',
      'Deployment',
      'DeploymentList',
      'ReplicaSet',
      'ReplicaSetList',
      'StatefulSet',
      'StatefulSetList',
    ]);
    expect(kindsOf('1.35', 'example.com/v1')).toEqual([]);
    expect(kindsOf('1.35', 'toString')).toEqual([]);
  });

  test('the versions a release serves of a group', () => {
    expect(servedVersions('1.35', '')).toEqual(['v1']);
    expect(servedVersions('1.35', 'apps')).toEqual(['apps/v1']);
    expect(servedVersions('1.31', 'resource.k8s.io')).toEqual(['resource.k8s.io/v1alpha3']);
    expect(servedVersions('1.35', 'example.com')).toEqual([]);
  });

  test('a custom resource: its CRD when published, else none; an unknown custom version is none', () => {
    const found = lookup('1.35', 'external-secrets.io/v1beta1', 'ExternalSecret');
    expect(found.found === 'kind' && { custom: found.custom, source: found.source }).toEqual({
      custom: true,
      source: expect.stringMatching(/external-secrets/) as string,
    });
    const builtIn = lookup('1.35', 'v1', 'Pod');
    expect(builtIn.found === 'kind' && builtIn.custom).toBe(false);
    expect(lookup('1.35', 'external-secrets.io/v2', 'ExternalSecret').found).toBe('none');
    expect(lookup('1.35', 'external-secrets.io/v1', 'constructor').found).toBe('none');
    // No slash: the core group, which serves v1 only.
    expect(lookup('1.35', 'constructor', 'Pod').found).toBe('unknown-version');
  });

  test('a schema file that is not there says how to ship them; another error is not disguised', () => {
    expect(() => lookup('1.99', 'v1', 'Pod')).toThrow(
      /^the Kubernetes schemas are missing \(.*kubernetes-schemas\/v1\.99\.json\): they ship beside the executables in kubernetes-schemas\/; copy dist\/ whole, or skip the schema check$/,
    );
    expect(() => lookup('1.35.json/x', 'v1', 'Pod')).toThrow(/^ENOTDIR/);
  });
});
