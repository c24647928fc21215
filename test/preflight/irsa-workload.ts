/**
 * The IRSA workloads and the findings view the AWS workload identity suites share
 * (workload-identity.test.ts, workload-identity-edges.test.ts).
 */
import { preflightResults } from './harness';

export const ROLE = 'arn:aws:iam::123456789012:role/app';
export const STANDARD = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';
export const HYDRATE_FIX =
  'run retarget set-aws-workload-identity (or hydrate with awsWorkloadIdentity), which sets both variables, the projected token volume and the ServiceAccount annotation';

export const TOKEN_VOLUME = `      - name: aws-iam-token
        projected:
          sources:
          - serviceAccountToken:
              audience: sts.amazonaws.com
              path: token
`;
export const TOKEN_MOUNT = `        - name: aws-iam-token
          mountPath: /var/run/secrets/eks.amazonaws.com/serviceaccount
`;

export interface Pod {
  env?: Record<string, string>;
  mounts?: string;
  volumes?: string;
  container?: string;
  spec?: string;
  annotations?: string;
  serviceAccount?: string | false;
}

/** A Deployment (ServiceAccount app unless told) with one container `app`. */
export function deployment(p: Pod): string {
  const env = Object.entries(p.env ?? { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: STANDARD })
    .map(([name, value]) => `        - name: ${name}\n          value: ${JSON.stringify(value)}\n`)
    .join('');
  const sa =
    p.serviceAccount === false
      ? ''
      : `---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
${p.serviceAccount ?? `  annotations:\n    eks.amazonaws.com/role-arn: ${ROLE}\n`}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
${p.annotations ?? ''}    spec:
      serviceAccountName: app
${p.spec ?? ''}      containers:
      - name: app
        image: registry.k8s.io/pause:3.9
${p.container ?? ''}        env:
${env}        volumeMounts:
${p.mounts ?? TOKEN_MOUNT}      volumes:
${p.volumes ?? TOKEN_VOLUME}${sa}`;
}

export const AWS_CHECKS = /^(aws-|fs-group|service-account|kubernetes-info)/;

export function findings(text: string, platform = 'eks') {
  const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', platform };
  return preflightResults(config, text)
    .filter((r) => AWS_CHECKS.test(String(r.tags?.check)))
    .map((r) => ({
      check: r.tags?.check,
      severity: r.severity,
      on: `${r.resourceRef?.kind}/${r.resourceRef?.name}`,
      field: r.field?.path,
      message: r.message,
    }));
}

export const volumeMissing = (severity: string, detail: string, path = STANDARD) => ({
  check: 'aws-token-volume-missing',
  severity,
  on: 'Deployment/web',
  field: 'spec.template.spec.containers[0].volumeMounts',
  message: `container app: AWS_WEB_IDENTITY_TOKEN_FILE=${path}, but ${detail}. Fix: ${HYDRATE_FIX}`,
});
