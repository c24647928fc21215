// What preflight knows of a target before reading the package: which nodes pull with their
// own credentials, how a platform is named, the member GKE nodes pull as, the registries
// anyone can pull from; and the fix commands it prints (one word each, as the shell reads).
import { execFileSync } from 'node:child_process';
import type { PreflightConfig } from '../../src/config/types';
import {
  appendPullSecret,
  commandLine,
  namespaceFlag,
  shWord,
} from '../../src/preflight/command-line';
import {
  DEFAULT_PUBLIC_REGISTRIES,
  describePlatform,
  hasAwsNodeCredentials,
  hasGoogleNodeCredentials,
  nodeMember,
} from '../../src/preflight/target';
import type { Platform } from '../../src/preflight/target';
import { preflightResults } from '../preflight/harness';

const PLATFORMS: [Platform | undefined, string, boolean, boolean][] = [
  // platform, its name, Google node credentials, AWS node credentials
  ['gke', 'GKE', true, false],
  ['gke-autopilot', 'GKE Autopilot', true, false],
  ['anthos-aws', 'GKE on AWS (Anthos clusters on AWS)', false, true],
  ['eks', 'EKS', false, true],
  ['generic', 'the target cluster', false, false],
  [undefined, 'the target cluster', false, false],
];

describe('the platform', () => {
  test.each(PLATFORMS)('%s: %s; Google nodes %s, AWS nodes %s', (platform, name, google, aws) => {
    expect(describePlatform(platform)).toBe(name);
    expect(hasGoogleNodeCredentials(platform)).toBe(google);
    expect(hasAwsNodeCredentials(platform)).toBe(aws);
  });

  test('GKE nodes pull as the node service account, else the Compute Engine default one', () => {
    const config = (extra: Partial<PreflightConfig>) =>
      ({ apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', ...extra }) as PreflightConfig;
    expect(nodeMember(config({ nodeServiceAccount: 'nodes@p.iam.gserviceaccount.com' }))).toBe(
      'serviceAccount:nodes@p.iam.gserviceaccount.com',
    );
    expect(
      nodeMember(
        config({ nodeServiceAccount: 'nodes@p.iam.gserviceaccount.com', gcpProjectNumber: 42 }),
      ),
    ).toBe('serviceAccount:nodes@p.iam.gserviceaccount.com');
    expect(nodeMember(config({ gcpProjectNumber: 123456789012 }))).toBe(
      'serviceAccount:123456789012-compute@developer.gserviceaccount.com',
    );
    expect(nodeMember(config({ gcpProjectNumber: 0 }))).toBe(
      'serviceAccount:0-compute@developer.gserviceaccount.com',
    );
    expect(nodeMember(config({}))).toBeUndefined();
  });
});

describe('the registries anyone can pull from', () => {
  const pullFindings = (image: string) =>
    preflightResults(
      { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform: 'generic' },
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: ${image}\n`,
    )
      .filter((r) => String(r.tags?.check).startsWith('pull-'))
      .map((r) => `${r.severity} ${r.tags?.registry}`);

  test('the list, as documented', () => {
    expect([...DEFAULT_PUBLIC_REGISTRIES]).toEqual([
      'registry.k8s.io',
      'k8s.gcr.io',
      'mirror.gcr.io',
      'public.ecr.aws',
      'mcr.microsoft.com',
      'gcr.io/distroless',
      'gcr.io/google-containers',
      'gcr.io/google-samples',
      'gcr.io/cloudsql-docker',
    ]);
  });

  test.each([
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io.example.com/pause:3.9'],
    ['k8s.gcr.io/pause:3.2', 'gcr.io/k8s/pause:3.2'],
    ['mirror.gcr.io/library/nginx:1', 'eu.gcr.io/library/nginx:1'],
    ['public.ecr.aws/nginx/nginx:1', 'public.ecr.aws.example.com/nginx:1'],
    ['mcr.microsoft.com/dotnet/runtime:8.0', 'mcr.microsoft.com.example.com/x:1'],
    ['gcr.io/distroless/static:nonroot', 'gcr.io/distroless-x/static:1'],
    ['gcr.io/google-containers/pause:3.2', 'gcr.io/google-containers2/pause:3.2'],
    ['gcr.io/google-samples/hello-app:1.0', 'gcr.io/google-sample/hello-app:1.0'],
    ['gcr.io/cloudsql-docker/gce-proxy:1.33', 'gcr.io/cloudsql/gce-proxy:1.33'],
  ])('%s needs no credentials; %s does', (open, closed) => {
    expect(pullFindings(open)).toEqual([]);
    expect(pullFindings(closed)).toHaveLength(1);
  });
});

describe('fix commands', () => {
  test('safe characters stay bare, one by one; anything else is quoted', () => {
    for (const c of '@%+=:,./_-') expect(shWord(`a${c}b`)).toBe(`a${c}b`);
    for (const word of ['AZ', 'az', '09', 'a', 'Z9']) expect(shWord(word)).toBe(word);
    for (const c of ' !"#$&\'()*;<>?[\\]^`{|}~\t\n') expect(shWord(`a${c}b`)).not.toBe(`a${c}b`);
    expect(shWord('ab ')).toBe("'ab '");
    expect(shWord(' ab')).toBe("' ab'");
    expect(commandLine('kubectl', 'get', 'pod x')).toBe("kubectl get 'pod x'");
  });

  test('-n takes the namespace, or the NAMESPACE placeholder when the package leaves it open', () => {
    expect(namespaceFlag('shop')).toEqual(['-n', 'shop']);
    expect(namespaceFlag(undefined)).toEqual(['-n', 'NAMESPACE']);
  });

  test('adding a pull Secret to a ServiceAccount: append, else create the list', () => {
    expect(appendPullSecret('default', ['-n', 'shop'], 'regcred')).toBe(
      `kubectl patch serviceaccount default -n shop --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"regcred"}}]'` +
        ` (appends; if the ServiceAccount has no imagePullSecrets yet: ` +
        `kubectl patch serviceaccount default -n shop --type=json -p '[{"op":"add","path":"/imagePullSecrets","value":[{"name":"regcred"}]}]')`,
    );
  });

  test("the shell reads a ServiceAccount's and a Secret's hostile names back as one word each", () => {
    const command = appendPullSecret("sa'; rm -rf /", ['-n', 'a b'], 'x"}]').split(' (appends;')[0];
    const argv = execFileSync('/bin/sh', ['-c', `set -- ${command}; printf '%s\\n' "$@"`], {
      encoding: 'utf8',
    });
    expect(argv.split('\n').slice(0, -1)).toEqual([
      'kubectl',
      'patch',
      'serviceaccount',
      "sa'; rm -rf /",
      '-n',
      'a b',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'add', path: '/imagePullSecrets/-', value: { name: 'x"}]' } }]),
    ]);
  });
});
