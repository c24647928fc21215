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

const LEGACY = '/kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token';

describe('preflight AWS workload identity (IRSA)', () => {
  test('both variables, the projected token mounted where the file says, the annotated ServiceAccount: nothing to say', () => {
    expect(findings(deployment({}))).toEqual([]);
    // A mount path written with a trailing slash is the same directory.
    expect(
      findings(
        deployment({ mounts: TOKEN_MOUNT.replace('serviceaccount\n', 'serviceaccount/\n') }),
      ),
    ).toEqual([]);
    // A Secret (or any volume that is not projected) holding the token file is trusted.
    expect(
      findings(
        deployment({
          volumes: '      - name: aws-iam-token\n        secret: {secretName: token}\n',
        }),
      ),
    ).toEqual([]);
  });

  test('the deepest mount holding the file is the one that must carry the token', () => {
    const mounts = `${TOKEN_MOUNT}        - name: run\n          mountPath: /var/run/secrets\n`;
    const volumes = `${TOKEN_VOLUME}      - name: run\n        emptyDir: {}\n`;
    expect(findings(deployment({ mounts, volumes }))).toEqual([]);
    const reversed = `        - name: run\n          mountPath: /var/run/secrets\n${TOKEN_MOUNT}`;
    expect(findings(deployment({ mounts: reversed, volumes }))).toEqual([]);
  });

  test.each([
    [
      'no mount',
      { mounts: '        - name: other\n          mountPath: /data\n' },
      'no volume is mounted at /var/run/secrets/eks.amazonaws.com/serviceaccount',
    ],
    [
      'a mount of a volume the pod lacks',
      { volumes: '      - name: other\n        emptyDir: {}\n' },
      "volume aws-iam-token mounted at /var/run/secrets/eks.amazonaws.com/serviceaccount is not in the pod's volumes",
    ],
    [
      'a projected volume without the token at that path',
      { volumes: TOKEN_VOLUME.replace('path: token', 'path: other-token') },
      'projected volume aws-iam-token has no serviceAccountToken at path token',
    ],
    [
      'a projected volume of other sources',
      {
        volumes:
          '      - name: aws-iam-token\n        projected:\n          sources:\n          - configMap: {name: c}\n',
      },
      'projected volume aws-iam-token has no serviceAccountToken at path token',
    ],
  ])('%s: an error, since the webhook adds no mount beside one of that name', (_, pod, problem) => {
    const why =
      'mounts' in pod
        ? 'at admission the EKS pod identity webhook keeps the variables and adds volume aws-iam-token there, since ServiceAccount app carries eks.amazonaws.com/role-arn; the manifest alone does not work elsewhere'
        : 'the container already mounts a volume named aws-iam-token, so the EKS pod identity webhook adds no mount';
    expect(findings(deployment(pod))).toEqual([
      volumeMissing('mounts' in pod ? 'warning' : 'error', `${problem}; ${why}`),
    ]);
  });

  describe('what the EKS pod identity webhook would do about a missing mount', () => {
    const noMount = { mounts: '        - name: data\n          mountPath: /data\n' };
    const problem = 'no volume is mounted at /var/run/secrets/eks.amazonaws.com/serviceaccount';

    test.each([
      ['generic', 'no EKS pod identity webhook runs on platform generic to add it'],
      ['gke', 'no EKS pod identity webhook runs on platform gke to add it'],
    ])('on %s, nothing: an error', (platform, why) => {
      expect(findings(deployment(noMount), platform)).toEqual([
        volumeMissing('error', `${problem}; ${why}`),
      ]);
    });

    test('on anthos-aws as on EKS it mounts the token: a warning', () => {
      expect(findings(deployment(noMount), 'anthos-aws').map((f) => f.severity)).toEqual([
        'warning',
      ]);
    });

    test('a ServiceAccount not in the package: it mounts only if the cluster one carries the role', () => {
      expect(findings(deployment({ ...noMount, serviceAccount: false }))).toEqual([
        {
          check: 'service-account-role-missing',
          severity: 'info',
          on: 'Deployment/web',
          field: 'spec.template.spec.serviceAccountName',
          message: `ServiceAccount app is not in the package: make sure the cluster's carries eks.amazonaws.com/role-arn: ${ROLE}. Fix: kubectl annotate serviceaccount app -n NAMESPACE eks.amazonaws.com/role-arn=${ROLE}, or let set-aws-workload-identity create it (serviceAccountName)`,
        },
        volumeMissing(
          'warning',
          `${problem}; at admission the EKS pod identity webhook keeps the variables and adds volume aws-iam-token there if ServiceAccount app (not in the package) carries eks.amazonaws.com/role-arn in the cluster; the manifest alone does not work elsewhere`,
        ),
      ]);
    });

    test('skip-containers naming the container (Go CSV, among others): it leaves it alone', () => {
      const annotations =
        '      annotations:\n        eks.amazonaws.com/skip-containers: "sidecar,app"\n';
      expect(findings(deployment({ ...noMount, annotations }))).toEqual([
        volumeMissing(
          'error',
          `${problem}; the pod's eks.amazonaws.com/skip-containers names it, so the EKS pod identity webhook leaves it alone`,
        ),
      ]);
      const others =
        '      annotations:\n        eks.amazonaws.com/skip-containers: "sidecar,application"\n';
      expect(
        findings(deployment({ ...noMount, annotations: others })).map((f) => f.severity),
      ).toEqual(['warning']);
    });

    test('a region without AWS_STS_REGIONAL_ENDPOINTS is not enough for it to leave the container alone', () => {
      const env = {
        AWS_ROLE_ARN: ROLE,
        AWS_WEB_IDENTITY_TOKEN_FILE: STANDARD,
        AWS_DEFAULT_REGION: 'eu-west-1',
      };
      expect(findings(deployment({ ...noMount, env })).map((f) => f.severity)).toEqual(['warning']);
      const all = { ...env, AWS_STS_REGIONAL_ENDPOINTS: 'regional' };
      expect(findings(deployment({ ...noMount, env: all }))).toEqual([
        volumeMissing(
          'error',
          `${problem}; it sets a web identity variable, a region and AWS_STS_REGIONAL_ENDPOINTS, and the EKS pod identity webhook leaves such a container alone`,
        ),
      ]);
    });

    test('a token file elsewhere than where the webhook mounts', () => {
      const path = '/var/run/secrets/custom/token';
      expect(
        findings(
          deployment({
            ...noMount,
            env: { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: path },
          }),
        ),
      ).toEqual([
        volumeMissing(
          'error',
          'no volume is mounted at /var/run/secrets/custom; the EKS pod identity webhook mounts its token at /var/run/secrets/eks.amazonaws.com/serviceaccount/token, not there',
          path,
        ),
      ]);
    });
  });

  test('the token file alone is incomplete', () => {
    expect(findings(deployment({ env: { AWS_WEB_IDENTITY_TOKEN_FILE: STANDARD } }))).toEqual([
      {
        check: 'aws-env-incomplete',
        severity: 'error',
        on: 'Deployment/web',
        field: 'spec.template.spec.containers[0].env[0]',
        message: `container app sets AWS_WEB_IDENTITY_TOKEN_FILE without AWS_ROLE_ARN: the AWS SDKs use web identity only with both. Fix: ${HYDRATE_FIX}`,
      },
    ]);
  });

  test('a legacy container that links /var/run/secrets itself (ln -s in its command) reads either path', () => {
    const container = `        readinessProbe:\n          exec:\n            command: [/code/ready.sh]\n        command: ["/bin/sh", "-c", "ln -sf /kubernetes-info/secrets/ /var/run/secrets && exec /.v2k.go"]\n`;
    expect(findings(deployment({ container }))).toEqual([]);
    expect(
      findings(
        deployment({ container, env: { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: LEGACY } }),
      ),
    ).toEqual([]);
  });

  describe('fsGroup: who can read the token the kubelet writes', () => {
    // A service-manager runtime container (its init starts the VM's services).
    const env = {
      HC_V2K_SERVICE_MANAGER: 'true',
      AWS_ROLE_ARN: ROLE,
      AWS_WEB_IDENTITY_TOKEN_FILE: STANDARD,
    };
    const fsGroupMissing = {
      check: 'fs-group-missing',
      severity: 'warning',
      on: 'Deployment/web',
      field: 'spec.template.spec.securityContext.fsGroup',
      message:
        "every container runs as runAsUser 1000 and the pod sets no securityContext.fsGroup: the kubelet makes the AWS token readable by uid 1000 only (mode 0600), so services that app's init starts as other users cannot read it. Fix: set the pod securityContext.fsGroup to the gid of a group the service users belong to (retarget set-fs-group; the aws-token group: groupadd aws-token --gid GID && usermod -a -G aws-token USER), or drop the shared runAsUser",
    };

    test("the pod's runAsUser, shared by every container of a VM runtime, without fsGroup", () => {
      expect(
        findings(
          deployment({
            env,
            spec: '      securityContext:\n        runAsUser: 1000\n',
          }),
        ),
      ).toEqual([fsGroupMissing]);
    });

    test('fsGroup 0 is a value: the token is group-readable', () => {
      expect(
        findings(
          deployment({
            env,
            spec: '      securityContext:\n        runAsUser: 1000\n        fsGroup: 0\n',
          }),
        ),
      ).toEqual([]);
      // A null fsGroup is no fsGroup.
      expect(
        findings(
          deployment({
            env,
            spec: '      securityContext:\n        runAsUser: 1000\n        fsGroup: null\n',
          }),
        ),
      ).toEqual([fsGroupMissing]);
    });

    test('an init container of another user, or a plain container only: nothing to say', () => {
      const init = `      securityContext:\n        runAsUser: 1000\n      initContainers:\n      - name: init\n        image: registry.k8s.io/pause:3.9\n        securityContext:\n          runAsUser: 2000\n`;
      expect(findings(deployment({ env, spec: init }))).toEqual([]);
      expect(
        findings(deployment({ spec: '      securityContext:\n        runAsUser: 1000\n' })),
      ).toEqual([]);
    });

    test('a container-level runAsUser counts as the pod one does', () => {
      const own = `        securityContext:\n          runAsUser: 1000\n`;
      expect(findings(deployment({ env, container: own }))).toEqual([fsGroupMissing]);
    });
  });
});
