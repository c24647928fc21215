// Synthetic packages in the style Migrate to Containers generates: per workload a
// legacy-runtime Deployment (privileged, cgroups hostPath, /code/ready.sh probe) and a
// headless Service, each with the generator's explanatory comments, `---` with a blank
// line before it. Written for the benchmark, not copied from any real artifact.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bumped when the generated text changes, so the bench's work directory is regenerated. */
export const GENERATOR_VERSION = 3;

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/bench-reader';
export const PULL_SECRET = 'gcr-json-key';
export const FS_GROUP = 2000;

export function workloadName(i) {
  return `app-vm-${String(i).padStart(5, '0')}`;
}

function deployment(name, i) {
  return `# Stateless application specification - generated for the migrated VM ${name}
# The Deployment runs one replica of the migrated system container
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: ${name}
    migrate-for-anthos-type: workload
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
      migrate-for-anthos-type: workload
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: ${name}
        migrate-for-anthos-type: workload
    spec:
      containers:
      - image: gcr.io/source-project-${i % 7}/${name}:v1.0.${i % 10}
        name: ${name}
        readinessProbe:
          exec:
            command:
            - /code/ready.sh
        resources: {}
        securityContext:
          privileged: true
        volumeMounts:
        - mountPath: /sys/fs/cgroup
          name: cgroups
      volumes:
      - hostPath:
          path: /sys/fs/cgroup
          type: Directory
        name: cgroups
status: {}
`;
}

function service(name) {
  return `# Headless Service specification -
# No load balancing and no cluster IP: DNS returns the addresses of the Pods
# labelled "app": "${name}", so each migrated VM keeps a stable name
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  name: ${name}
spec:
  clusterIP: None
  selector:
    app: ${name}
  type: ClusterIP
status:
  loadBalancer: {}
`;
}

/** The generated-spec text for `n` workloads (2n documents). */
export function specText(n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    const name = workloadName(i);
    docs.push(deployment(name, i), service(name));
  }
  return docs.join('\n---\n');
}

/**
 * The Retarget config for the same job as the kustomize patch below: pull secret, fsGroup,
 * AWS identity. retarget does more with it (the projected token and its mount, the
 * ServiceAccount role annotation, and for these legacy-runtime containers the link step,
 * which is on by default), never less.
 */
export const RETARGET_CONFIG = `apiVersion: fn.retarget.dev/v1alpha1
kind: Retarget
metadata:
  name: bench
  annotations:
    config.kubernetes.io/local-config: "true"
imagePullSecrets:
- ${PULL_SECRET}
fsGroup: ${FS_GROUP}
awsWorkloadIdentity:
  roleArn: ${ROLE_ARN}
  region: eu-west-1
`;

/** The same with the systemd drop-in: a ConfigMap and two mounts more per workload. */
export const RETARGET_FULL_CONFIG = `${RETARGET_CONFIG}  initSystem: systemd
`;

/** The full config with the preflight stage on (\`target:\` set): hydrate, then the checks. */
export const RETARGET_PREFLIGHT_CONFIG = `${RETARGET_FULL_CONFIG}target:
  platform: eks
  pullSecrets:
  - name: ${PULL_SECRET}
    registries:
    - gcr.io
`;

/** The same edits as a kustomize patch on every Deployment. */
export const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../pkg/deployment_spec.yaml
patches:
- target:
    kind: Deployment
  patch: |-
    - op: add
      path: /spec/template/spec/imagePullSecrets
      value:
      - name: ${PULL_SECRET}
    - op: add
      path: /spec/template/spec/securityContext
      value:
        fsGroup: ${FS_GROUP}
    - op: add
      path: /spec/template/spec/containers/0/env
      value:
      - name: AWS_ROLE_ARN
        value: ${ROLE_ARN}
      - name: AWS_WEB_IDENTITY_TOKEN_FILE
        value: /kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token
      - name: AWS_REGION
        value: eu-west-1
      - name: AWS_DEFAULT_REGION
        value: eu-west-1
`;

/**
 * Writes `dir/pkg/deployment_spec.yaml` (+ a Kptfile), `dir/retarget.yaml`,
 * `dir/retarget-full.yaml` and `dir/kustomize/kustomization.yaml`. Returns the paths.
 */
export function writePackage(dir, n) {
  const pkg = join(dir, 'pkg');
  const kustomize = join(dir, 'kustomize');
  mkdirSync(pkg, { recursive: true });
  mkdirSync(kustomize, { recursive: true });
  const spec = join(pkg, 'deployment_spec.yaml');
  writeFileSync(spec, specText(n));
  writeFileSync(
    join(pkg, 'Kptfile'),
    `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n  annotations:\n    config.kubernetes.io/local-config: "true"\n`,
  );
  const config = join(dir, 'retarget.yaml');
  writeFileSync(config, RETARGET_CONFIG);
  const fullConfig = join(dir, 'retarget-full.yaml');
  writeFileSync(fullConfig, RETARGET_FULL_CONFIG);
  writeFileSync(join(dir, 'retarget-preflight.yaml'), RETARGET_PREFLIGHT_CONFIG);
  writeFileSync(join(kustomize, 'kustomization.yaml'), KUSTOMIZATION);
  return { pkg, spec, config, fullConfig, kustomize };
}
