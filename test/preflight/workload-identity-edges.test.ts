/**
 * AWS workload identity (IRSA) at the edges the main tests leave: which of several mounts
 * holds the token, tokens among other projected sources, link steps written by hand, the
 * kubelet's token owner when containers disagree, and IRSA beside EKS Pod Identity.
 */
import { preflightResults } from './harness';
import {
  ROLE,
  STANDARD,
  HYDRATE_FIX,
  TOKEN_VOLUME,
  TOKEN_MOUNT,
  deployment,
  findings,
  volumeMissing,
} from './irsa-workload';

describe('IRSA: which mount holds the token', () => {
  test('a shallower projected mount listed first does not hide the deeper token mount', () => {
    const mounts = `        - name: run\n          mountPath: /var/run/secrets\n${TOKEN_MOUNT}`;
    const volumes = `${TOKEN_VOLUME}      - name: run\n        projected:\n          sources:\n          - configMap: {name: c}\n`;
    expect(findings(deployment({ mounts, volumes }))).toEqual([]);
  });

  test('a mount path ending in several slashes is the same directory', () => {
    expect(
      findings(
        deployment({ mounts: TOKEN_MOUNT.replace('serviceaccount\n', 'serviceaccount//\n') }),
      ),
    ).toEqual([]);
  });

  test('the token among other projected sources is found', () => {
    const volumes = TOKEN_VOLUME.replace(
      '          sources:\n',
      '          sources:\n          - configMap: {name: c}\n',
    );
    expect(findings(deployment({ volumes }))).toEqual([]);
  });

  test('malformed mount entries (not a map, no mountPath) are passed over', () => {
    const mounts = `        - junk\n        - name: nopath\n${TOKEN_MOUNT}`;
    expect(findings(deployment({ mounts }))).toEqual([]);
  });

  test('a volume named aws-iam-token mounted elsewhere: the webhook adds no mount, an error', () => {
    const mounts =
      '        - name: data\n          mountPath: /data\n        - name: aws-iam-token\n          mountPath: /aws\n';
    expect(findings(deployment({ mounts }))).toEqual([
      volumeMissing(
        'error',
        'no volume is mounted at /var/run/secrets/eks.amazonaws.com/serviceaccount; the container already mounts a volume named aws-iam-token, so the EKS pod identity webhook adds no mount',
      ),
    ]);
  });

  test('no platform set is the generic one: no webhook adds the mount', () => {
    const text = deployment({ mounts: '        - name: data\n          mountPath: /data\n' });
    const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight' };
    const missing = preflightResults(config, text).filter(
      (r) => r.tags?.check === 'aws-token-volume-missing',
    );
    expect(missing.map((r) => r.message)).toEqual([
      `container app: AWS_WEB_IDENTITY_TOKEN_FILE=${STANDARD}, but no volume is mounted at /var/run/secrets/eks.amazonaws.com/serviceaccount; no EKS pod identity webhook runs on platform generic to add it. Fix: ${HYDRATE_FIX}`,
    ]);
  });
});

describe('IRSA: link steps a legacy container writes itself', () => {
  const legacy = (
    container: string,
    env = { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: STANDARD },
  ) => findings(deployment({ container: `${container}`, env })).map((f) => f.check);
  const command = (words: string[]) =>
    `        command: ["/.v2k.go"]\n        args: ${JSON.stringify(words)}\n`;

  test.each([
    ['in args', ['sh', '-c', 'ln -s /kubernetes-info/secrets /var/run/secrets && exec app']],
    [
      'flags before s, spaces doubled',
      ['sh', '-c', 'ln  -fs  /kubernetes-info/secrets/  /var/run/secrets'],
    ],
  ])('%s: linked, nothing to say', (_, words) => {
    expect(legacy(command(words))).toEqual([]);
  });

  test.each([
    ['words that link nothing', ['sh', '-c', 'exec app']],
    ['a link the other way', ['sh', '-c', 'ln -s /var/run/secrets /kubernetes-info/secrets']],
    ['the marker not at the start', ['echo # retarget: link-kubernetes-info-secrets']],
  ])('%s: the standard path names no file', (_, words) => {
    expect(legacy(command(words))).toEqual(['aws-token-path']);
  });
});

describe('IRSA: the token path against the runtime, whole messages', () => {
  const LEGACY = '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token';
  const pathFindings = (container: string, file: string) =>
    findings(
      deployment({ container, env: { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: file } }),
    ).filter((f) => f.check === 'aws-token-path');

  test('a plain container told the legacy path', () => {
    expect(pathFindings('', LEGACY)).toEqual([
      {
        check: 'aws-token-path',
        severity: 'error',
        on: 'Deployment/web',
        field: 'spec.template.spec.containers[0].env[1].value',
        message: `container app is not a legacy-runtime container, so /kubernetes-info/secrets does not exist in it: AWS_WEB_IDENTITY_TOKEN_FILE=${LEGACY} names no file. Fix: use ${STANDARD} (${HYDRATE_FIX})`,
      },
    ]);
  });

  test('a legacy container told the standard path, with no link step', () => {
    expect(pathFindings('        command: ["/.v2k.go"]\n', STANDARD)).toEqual([
      {
        check: 'aws-token-path',
        severity: 'error',
        on: 'Deployment/web',
        field: 'spec.template.spec.containers[0].env[1].value',
        message: `container app runs the legacy Migrate for Anthos runtime, which shows pod secrets under /kubernetes-info/secrets, and nothing links /var/run/secrets there: AWS_WEB_IDENTITY_TOKEN_FILE=${STANDARD} names no file for the services. Fix: use ${LEGACY}, or add the link step (retarget link-kubernetes-info-secrets)`,
      },
    ]);
  });
});

describe('IRSA: the token owner when containers disagree', () => {
  const env = {
    HC_V2K_SERVICE_MANAGER: 'true',
    AWS_ROLE_ARN: ROLE,
    AWS_WEB_IDENTITY_TOKEN_FILE: STANDARD,
  };
  const init = (sc: string) =>
    `      initContainers:\n      - name: init\n        image: registry.k8s.io/pause:3.9\n${sc}`;
  const own = '        securityContext:\n          runAsUser: 1000\n';

  test('an init container without runAsUser: the token is readable by all, nothing to say', () => {
    expect(findings(deployment({ env, spec: init(''), container: own }))).toEqual([]);
  });

  test("every container with the same runAsUser of its own: the token is the user's only", () => {
    expect(
      findings(
        deployment({
          env,
          spec: init(`        securityContext:\n          runAsUser: 1000\n`),
          container: own,
        }),
      ).map((f) => f.check),
    ).toEqual(['fs-group-missing']);
  });
});

describe('IRSA: fsGroup is about the services a VM container starts', () => {
  test('a VM-runtime init container beside a plain container: nothing to say', () => {
    const spec = `      securityContext:\n        runAsUser: 1000\n      initContainers:\n      - name: init\n        image: registry.k8s.io/pause:3.9\n        env:\n        - {name: HC_V2K_SERVICE_MANAGER, value: "true"}\n`;
    expect(findings(deployment({ spec })).map((f) => f.check)).toEqual([]);
    // The same container as the main one: the warning.
    expect(
      findings(
        deployment({
          spec: '      securityContext:\n        runAsUser: 1000\n',
          env: {
            HC_V2K_SERVICE_MANAGER: 'true',
            AWS_ROLE_ARN: ROLE,
            AWS_WEB_IDENTITY_TOKEN_FILE: STANDARD,
          },
        }),
      ).map((f) => f.check),
    ).toEqual(['fs-group-missing']);
  });
});

describe('IRSA beside EKS Pod Identity', () => {
  test('AWS_ROLE_ARN alone with both Pod Identity variables: the mechanisms conflict', () => {
    const checks = findings(
      deployment({
        env: {
          AWS_ROLE_ARN: ROLE,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
          AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE:
            '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
        },
      }),
    ).map((f) => f.check);
    expect(checks).toContain('aws-identity-mechanism-conflict');
  });
});
