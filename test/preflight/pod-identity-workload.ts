/**
 * The Pod Identity workloads and the findings view the EKS Pod Identity suites share
 * (pod-identity.test.ts, pod-identity-edges.test.ts).
 */
import { preflightResults } from './harness';

export const URI = 'http://169.254.170.23/v1/credentials';
export const DIR = '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount';
export const TOKEN = `${DIR}/eks-pod-identity-token`;
export const FIX =
  'run retarget set-aws-workload-identity with mechanism: pod-identity (or hydrate with it), which sets both variables and the eks-pod-identity-token volume and mount';
export const VOLUME = `  - name: eks-pod-identity-token
    projected:
      sources:
      - serviceAccountToken:
          audience: pods.eks.amazonaws.com
          path: eks-pod-identity-token
`;
export const MOUNT = `    - name: eks-pod-identity-token
      mountPath: ${DIR}
`;

/** A Pod with container `app` (a service-manager runtime one), ServiceAccount app. */
export function pod(
  o: { env?: string; mounts?: string; volumes?: string; spec?: string } = {},
): string {
  const env =
    o.env ??
    `    - name: AWS_CONTAINER_CREDENTIALS_FULL_URI\n      value: ${URI}\n    - name: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE\n      value: ${TOKEN}\n`;
  return `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  serviceAccountName: app
${o.spec ?? ''}  containers:
  - name: app
    image: registry.k8s.io/pause:3.9
    env:
    - name: HC_V2K_SERVICE_MANAGER
      value: "true"
${env}    volumeMounts:
${o.mounts ?? MOUNT}  volumes:
${o.volumes ?? VOLUME}`;
}

export const envVar = (name: string, value: string) =>
  `    - name: ${name}\n      value: ${value}\n`;

export function findings(text: string, platform?: string) {
  const config = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Preflight',
    ...(platform ? { platform } : {}),
  };
  return preflightResults(config, text)
    .filter((r) => /^(aws-|fs-group)/.test(String(r.tags?.check)))
    .map((r) => [r.tags?.check, r.severity, r.field?.path, r.message]);
}

export const NO_MOUNT = {
  mounts: '    - name: data\n      mountPath: /data\n',
  volumes: '  - name: data\n    emptyDir: {}\n',
};
export const missing = (
  severity: string,
  why: string,
  detail = `no volume is mounted at ${DIR}`,
) => [
  'aws-pod-identity-token-volume-missing',
  severity,
  'spec.containers[0].volumeMounts',
  `container app: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${TOKEN}, but ${detail}; ${why}. Fix: ${FIX}`,
];
