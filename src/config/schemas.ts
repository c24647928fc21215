/**
 * JSON Schemas of every function config: the single source of truth. The
 * TypeScript types in `types.ts` are derived from these with json-schema-to-ts,
 * ajv validates with them, and the README's config reference is written from them.
 *
 * Every string that can reach a shell script, a mounted file or a Dockerfile has
 * a pattern that admits no quote, whitespace, `$`, backtick, `;`, `|`, `&`, `<`,
 * `>`, backslash, newline or NUL.
 */

import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '../preflight/schema/versions';

export const API_VERSION = 'fn.retarget.dev/v1alpha1';

const dnsSubdomain = {
  type: 'string',
  description: 'a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")',
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  maxLength: 253,
} as const;

const dnsLabel = {
  type: 'string',
  description: 'a DNS-1123 label (lower-case letters, digits and "-")',
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
} as const;

const labelKey = {
  type: 'string',
  description: 'a Kubernetes label key ([prefix/]name)',
  pattern:
    '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$',
  maxLength: 317,
} as const;

const labelValue = {
  type: 'string',
  description: 'a Kubernetes label value (letters, digits, "-", "_", "." at most 63)',
  pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$',
  maxLength: 63,
} as const;

const absolutePath = {
  type: 'string',
  description: 'an absolute path of letters, digits, ".", "_", "-" and "/" with no ".." segment',
  pattern: '^(/(?!\\.\\.?(/|$))[A-Za-z0-9._-]+)+$',
  maxLength: 1024,
} as const;

const runtimeKind = {
  type: 'string',
  enum: ['legacy', 'service-manager', 'plain'],
  description:
    'legacy: Migrate for Anthos v1.x system container; service-manager: v1.9+ runtime; plain: any other container',
} as const;

const runtime = {
  type: 'string',
  enum: ['auto', 'legacy', 'service-manager', 'plain'],
  default: 'auto',
  description: 'container kind; auto detects it per container',
} as const;

const containerRuntimes = {
  type: 'object',
  description: 'container name -> kind, overriding detection for those containers',
  propertyNames: dnsLabel,
  additionalProperties: runtimeKind,
} as const;

const selector = {
  type: 'object',
  additionalProperties: false,
  description: 'which resources and containers a function changes; empty selects all',
  properties: {
    kinds: {
      type: 'array',
      items: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$', maxLength: 63 },
    },
    names: { type: 'array', items: dnsSubdomain },
    namespaces: { type: 'array', items: dnsLabel },
    labels: {
      type: 'object',
      description: 'label key -> value; a resource must carry all of them',
      propertyNames: labelKey,
      additionalProperties: labelValue,
    },
    containers: { type: 'array', items: dnsLabel },
  },
} as const;

const podTemplatePaths = {
  type: 'array',
  description:
    'where the pod spec sits in custom kinds, e.g. {kind: Rollout, path: spec.template.spec}',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'path'],
    properties: {
      apiVersion: { type: 'string', pattern: '^[a-z0-9.-]*/?[a-z0-9]+$', maxLength: 253 },
      kind: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$', maxLength: 63 },
      path: { type: 'string', pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$', maxLength: 253 },
    },
  },
} as const;

const targeting = {
  selector,
  podTemplatePaths,
} as const;

const registry = {
  type: 'string',
  description: 'a registry host, optionally with a port and a path prefix (gcr.io/my-project)',
  pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9._-]+)*$',
  maxLength: 255,
} as const;

const externalSecret = {
  type: 'object',
  additionalProperties: false,
  required: ['secretStoreRef', 'remoteKey', 'server'],
  description:
    'emit the pull Secret as an External Secrets ExternalSecret that templates a kubernetes.io/dockerconfigjson Secret; no credential is written to the output',
  properties: {
    apiVersion: {
      type: 'string',
      enum: ['external-secrets.io/v1', 'external-secrets.io/v1beta1'],
      default: 'external-secrets.io/v1',
    },
    secretName: {
      ...dnsSubdomain,
      description: 'which pull secret to emit; default: the first name',
    },
    secretStoreRef: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: dnsSubdomain,
        kind: {
          type: 'string',
          enum: ['SecretStore', 'ClusterSecretStore'],
          default: 'SecretStore',
        },
      },
    },
    remoteKey: {
      type: 'string',
      description: 'key of the password (e.g. the service-account JSON key) in the secret store',
      pattern: '^[A-Za-z0-9._/@:-]+$',
      maxLength: 512,
    },
    remoteProperty: { type: 'string', pattern: '^[A-Za-z0-9._-]+$', maxLength: 253 },
    server: registry,
    username: {
      type: 'string',
      description: 'registry user; _json_key for a GCR / Artifact Registry JSON key',
      pattern: '^[A-Za-z0-9._@-]+$',
      maxLength: 253,
      default: '_json_key',
    },
    refreshInterval: { type: 'string', pattern: '^([0-9]+(ns|us|ms|s|m|h))+$', default: '1h' },
  },
} as const;

const imagePullSecretsBody = {
  names: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: dnsSubdomain,
    description: 'pull Secret names, appended in this order to imagePullSecrets',
  },
  registries: {
    type: 'array',
    items: registry,
    description: 'only change pods with an image from one of these registries',
  },
  pods: {
    type: 'boolean',
    default: true,
    description: 'add the refs to the pod templates',
  },
  serviceAccounts: {
    type: 'array',
    items: dnsSubdomain,
    description:
      'ServiceAccounts (in each namespace of the selected workloads) whose imagePullSecrets get the refs merged by name; created if absent',
  },
  externalSecret,
} as const;

const fsGroupBody = {
  fsGroup: {
    type: 'integer',
    minimum: 1,
    maximum: 2147483647,
    description: 'the pod securityContext.fsGroup (the gid of the aws-token group)',
  },
  fsGroupChangePolicy: { type: 'string', enum: ['OnRootMismatch', 'Always'] },
  override: {
    type: 'boolean',
    default: false,
    description: 'replace a different existing fsGroup instead of reporting a conflict',
  },
  dataVolumes: {
    type: 'string',
    enum: ['set', 'skip'],
    default: 'set',
    description:
      'pods that mount a PersistentVolumeClaim (migrated data): set gives them fsGroup with fsGroupChangePolicy OnRootMismatch unless a policy is given; skip leaves fsGroup off them',
  },
} as const;

const initSystem = {
  type: 'string',
  enum: ['systemd', 'sysv-pam', 'sysv', 'upstart'],
  description:
    "the migrated VM's init system: systemd, sysv-pam (SysV/Upstart services run as non-root through su), sysv or upstart (services without a new user)",
} as const;

const linkBody = {
  source: { ...absolutePath, default: '/kubernetes-info/secrets' },
  target: { ...absolutePath, default: '/var/run/secrets' },
  initSystem: {
    ...initSystem,
    description: 'systemd adds a tmpfiles.d drop-in that restores the link',
  },
} as const;

const linuxName = {
  type: 'string',
  description: 'a Linux user or group name ([a-z_][a-z0-9_-]*, at most 32 characters)',
  pattern: '^[a-z_][a-z0-9_-]{0,31}$',
} as const;

/** An IAM role ARN in any AWS partition (aws, aws-cn, aws-us-gov, the isolated ones, aws-eusc). */
export const ROLE_ARN_PATTERN =
  '^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$';

const awsBody = {
  mechanism: {
    type: 'string',
    enum: ['irsa', 'pod-identity'],
    default: 'irsa',
    description:
      'irsa: IAM roles for service accounts (the role in the ServiceAccount annotation, a web identity token); pod-identity: EKS Pod Identity (the container credentials endpoint of the Pod Identity agent, the association made with the EKS API)',
  },
  clusterName: {
    type: 'string',
    description:
      'pod-identity: the EKS cluster the association is made in (the printed command, the PodIdentityAssociation)',
    pattern: '^[0-9A-Za-z][A-Za-z0-9_-]*$',
    maxLength: 100,
  },
  emitPodIdentityAssociation: {
    type: 'boolean',
    default: false,
    description:
      'pod-identity: also add an ACK PodIdentityAssociation (eks.services.k8s.aws/v1alpha1) per ServiceAccount; needs clusterName and the ACK EKS controller in the cluster',
  },
  roleArn: {
    type: 'string',
    description:
      "the IAM role ARN, in any partition (arn:aws:…, arn:aws-cn:…, arn:aws-us-gov:…); optional with irsa when the pods' ServiceAccount is in the package with eks.amazonaws.com/role-arn; required with pod-identity",
    pattern: ROLE_ARN_PATTERN,
    maxLength: 2048,
  },
  override: {
    type: 'boolean',
    default: false,
    description:
      'the config wins over what the package already says: a different eks.amazonaws.com/role-arn on the ServiceAccount, AWS variables the containers set, a different token volume',
  },
  region: {
    type: 'string',
    description:
      "sets AWS_DEFAULT_REGION and AWS_REGION where neither is set, as the webhook's --aws-default-region (e.g. eu-west-1)",
    pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
    maxLength: 32,
  },
  stsRegionalEndpoints: {
    type: 'string',
    enum: ['regional', 'legacy'],
    description: 'sets AWS_STS_REGIONAL_ENDPOINTS',
  },
  serviceAccountName: {
    ...dnsSubdomain,
    description:
      'the ServiceAccount to bind (created if absent, set on the pods); default: the one the pods name if not default, else one per workload named after it; default only when named here',
  },
  initSystem,
  serviceUsers: {
    type: 'array',
    uniqueItems: true,
    items: linuxName,
    description: 'non-root users that run the services; they join the token group (build time)',
  },
  services: {
    type: 'array',
    uniqueItems: true,
    items: {
      type: 'string',
      description: 'a service (init script or job) name',
      pattern: '^[A-Za-z0-9_][A-Za-z0-9@._+-]{0,127}$',
    },
    description: 'SysV init scripts or Upstart jobs that need the variables (build time)',
  },
  tokenGroup: { ...linuxName, default: 'aws-token' },
  audience: {
    type: 'string',
    pattern: '^[A-Za-z0-9._:/-]+$',
    maxLength: 253,
    default: 'sts.amazonaws.com',
  },
  expirationSeconds: { type: 'integer', minimum: 600, maximum: 4294967295, default: 86400 },
  tokenVolumeName: { ...dnsLabel, default: 'aws-iam-token' },
} as const;

const runtimeSelection = { runtime, containerRuntimes } as const;

/** Stable ids of the preflight checks (results carry one in `tags.check`; `skip` takes them). */
export const PREFLIGHT_CHECK_IDS = [
  'image-reference',
  'image-placeholder',
  'pull-not-covered',
  'pull-secret-unknown',
  'gcr-cross-project',
  'artifact-registry-cross-project',
  'ecr-node-profile',
  'ecr-cross-account',
  'aws-env-incomplete',
  'aws-token-volume-missing',
  'aws-token-path',
  'aws-pod-identity-env-incomplete',
  'aws-pod-identity-token-volume-missing',
  'aws-identity-mechanism-conflict',
  'aws-pod-identity-platform',
  'gcp-service-account-malformed',
  'gcp-service-account-cross-project',
  'gke-metadata-server-node-selector',
  'gke-workload-identity-platform',
  'gke-workload-identity-host-network',
  'gcp-identity-mechanism-conflict',
  'kubernetes-info-link-missing',
  'fs-group-missing',
  'service-account-role-missing',
  'pod-security-baseline',
  'pod-security-restricted',
  'autopilot',
  'plaintext-registry-credentials',
  'schema',
  'schema-unknown-api-version',
  'data-volume-platform',
  'data-volume-zone',
  'data-volume-in-tree',
  'data-volume-project',
  'data-volume-claim-unbound',
  'data-volume-claim-ref',
  'data-volume-reclaim-delete',
  'server-populated-metadata',
  'generator-placeholder',
] as const;

const awsNamePattern = '[A-Za-z0-9+=,.@_-]{1,128}';

const gcpProject = {
  type: 'string',
  description: 'a Google Cloud project id (my-project or example.com:my-project)',
  pattern:
    '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$',
  maxLength: 100,
} as const;

/** A Google Cloud project number, as a string or an integer. */
const gcpProjectNumber = {
  oneOf: [
    { type: 'string', pattern: '^[1-9][0-9]{5,18}$' },
    { type: 'integer', minimum: 100000, maximum: 9007199254740991 },
  ],
} as const;

const cloudZone = {
  type: 'string',
  description: 'a Compute Engine zone (us-central1-a) or an AWS Availability Zone (us-east-1a)',
  pattern: '^[a-z]{2,}(-[a-z0-9]+)+$',
  maxLength: 63,
} as const;

const cloudRegion = {
  type: 'string',
  description: 'a Compute Engine region (us-central1) or an AWS Region (us-east-1)',
  pattern: '^[a-z]{2,}(-[a-z0-9]+)+$',
  maxLength: 63,
} as const;

const preflightBody = {
  platform: {
    type: 'string',
    enum: ['gke', 'gke-autopilot', 'anthos-aws', 'eks', 'generic'],
    default: 'generic',
    description:
      'where the workload will run: gke (Standard), gke-autopilot, anthos-aws (GKE / Anthos clusters on AWS), eks, or generic (no cloud node credentials assumed)',
  },
  gcpProjectId: {
    ...gcpProject,
    description:
      "the target cluster's Google Cloud project id (my-project or example.com:my-project)",
  },
  gcpProjectNumber: {
    ...gcpProjectNumber,
    description:
      "the target cluster's project number: names its Compute Engine default service account",
  },
  nodeServiceAccount: {
    type: 'string',
    description:
      "the GKE nodes' service account email, when it is not PROJECT_NUMBER-compute@developer.gserviceaccount.com",
    pattern: '^[a-z0-9][a-z0-9._-]{0,63}@[a-z0-9][a-z0-9.-]{0,127}\\.gserviceaccount\\.com$',
    maxLength: 254,
  },
  pullSecrets: {
    type: 'array',
    description:
      "image pull Secrets that exist in the cluster (in the workloads' namespaces) and the registries each holds credentials for",
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'registries'],
      properties: {
        name: dnsSubdomain,
        registries: { type: 'array', minItems: 1, items: registry },
        serviceAccounts: {
          type: 'array',
          items: dnsSubdomain,
          description:
            'ServiceAccounts in the cluster that already list this Secret in imagePullSecrets',
        },
      },
    },
  },
  publicRegistries: {
    type: 'array',
    items: registry,
    description: 'registries or path prefixes whose images anyone can pull (no credentials needed)',
  },
  nodeReadableRegistries: {
    type: 'array',
    items: registry,
    description:
      "registries or path prefixes the nodes' own credentials can already read (an IAM grant in place, e.g. gcr.io/project-a)",
  },
  podSecurity: {
    type: 'string',
    enum: ['privileged', 'baseline', 'restricted'],
    description: "the Pod Security Standards level enforced on the workloads' namespaces",
  },
  podSecurityVersion: {
    type: 'string',
    pattern: '^(latest|v1\\.(0|[1-9][0-9]{0,2}))$',
    description:
      'the Pod Security policy version enforced (pod-security.kubernetes.io/enforce-version): latest (when unset) or v1.N, as the admission plugin evaluates it',
  },
  nodeInstanceProfile: {
    type: 'string',
    description: "the AWS node pool's IAM instance profile (iamInstanceProfile)",
    pattern: `^${awsNamePattern}$`,
  },
  nodeInstanceProfilePolicies: {
    type: 'array',
    description:
      "the IAM policies attached to the instance profile's role, by name or ARN (e.g. AmazonEC2ContainerRegistryReadOnly); unset: unknown",
    items: {
      type: 'string',
      pattern: `^(arn:aws(-cn|-us-gov)?:iam::([0-9]{12}|aws):policy/([A-Za-z0-9+=,.@_-]+/)*)?${awsNamePattern}$`,
      maxLength: 2048,
    },
  },
  awsAccountId: {
    type: 'string',
    description:
      "the AWS account of the cluster's nodes: ECR images in other accounts need a repository policy",
    pattern: '^[0-9]{12}$',
  },
  zones: {
    type: 'array',
    uniqueItems: true,
    items: cloudZone,
    description:
      "the zones the cluster's nodes run in: a PersistentVolume pinned elsewhere cannot be attached",
  },
  region: { ...cloudRegion, description: "the cluster's region" },
  emitIamPolicyMember: {
    type: 'boolean',
    default: false,
    description:
      'add a Config Connector IAMPolicyMember granting each missing cross-project pull (needs gcpProjectNumber or nodeServiceAccount)',
  },
  skip: {
    type: 'array',
    uniqueItems: true,
    description: 'check ids to turn off',
    items: { type: 'string', enum: PREFLIGHT_CHECK_IDS },
  },
  kubernetesVersion: {
    type: 'string',
    enum: KUBERNETES_VERSIONS,
    description: `the target cluster's Kubernetes minor version (quoted, "1.35"): the schema check validates against its published OpenAPI documents; default: the newest shipped, ${DEFAULT_KUBERNETES_VERSION}`,
  },
} as const;

/** A user-managed Google service account: NAME (6-30) @ PROJECT_ID (or a domain-scoped project's id.domain) .iam.gserviceaccount.com. */
export const GCP_SERVICE_ACCOUNT_PATTERN =
  '^[a-z]([-a-z0-9]{4,28}[a-z0-9])@[a-z]([-a-z0-9]{4,28}[a-z0-9])(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\.iam\\.gserviceaccount\\.com$';

const gcpBody = {
  principal: {
    type: 'string',
    enum: ['service-account', 'direct'],
    default: 'service-account',
    description:
      'service-account: the Kubernetes ServiceAccount impersonates gcpServiceAccount (iam.gke.io/gcp-service-account, roles/iam.workloadIdentityUser); direct: IAM roles are granted to the Kubernetes ServiceAccount itself (its principal:// identifier), no Google service account',
  },
  gcpServiceAccount: {
    type: 'string',
    description:
      'a Google service account email, NAME@PROJECT_ID.iam.gserviceaccount.com (NAME 6-30 lower-case letters, digits and "-"); required with principal service-account, refused with direct',
    pattern: GCP_SERVICE_ACCOUNT_PATTERN,
    maxLength: 254,
  },
  projectId: {
    ...gcpProject,
    description:
      "the cluster's Google Cloud project id: its workload identity pool is PROJECT_ID.svc.id.goog",
  },
  projectNumber: {
    ...gcpProjectNumber,
    description:
      "the cluster's project number: names the workload identity pool in the principal:// identifier (required with principal direct)",
  },
  roles: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    description:
      'principal direct: the IAM roles granted to the workload on projectId (roles/NAME, projects/P/roles/NAME or organizations/N/roles/NAME)',
    items: {
      type: 'string',
      description: 'an IAM role (roles/storage.objectViewer, projects/P/roles/NAME)',
      pattern:
        '^(roles/[A-Za-z0-9_.]{1,64}|projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/roles/[A-Za-z0-9_.]{3,64}|organizations/[0-9]{1,20}/roles/[A-Za-z0-9_.]{3,64})$',
    },
  },
  platform: {
    type: 'string',
    enum: ['gke', 'gke-autopilot'],
    default: 'gke',
    description:
      'gke (Standard): pods get the nodeSelector iam.gke.io/gke-metadata-server-enabled: "true" so they run only on node pools with the GKE metadata server; gke-autopilot: no nodeSelector (Autopilot rejects it: every node has the metadata server); in Retarget, target.platform when unset',
  },
  serviceAccountName: {
    ...dnsSubdomain,
    description:
      'the Kubernetes ServiceAccount to bind (created if absent, set on the pods); default: the one the pods name if not default, else one per workload named after it; default only when named here',
  },
  override: {
    type: 'boolean',
    default: false,
    description:
      'the config wins over a different iam.gke.io/gcp-service-account already on the ServiceAccount',
  },
  emitIamPolicyMember: {
    type: 'boolean',
    default: false,
    description:
      'also add the grants as Config Connector IAMPolicyMember objects (iam.cnrm.cloud.google.com/v1beta1), in the workload namespace',
  },
} as const;

/** What principal decides: ajv checks it (the types take every field as optional). */
const gcpPrincipalRules = [
  {
    if: { properties: { principal: { const: 'direct' } }, required: ['principal'] },
    then: {
      required: ['projectNumber', 'roles'],
      properties: {
        projectNumber: {},
        roles: {},
        gcpServiceAccount: {
          not: {},
          description:
            'is refused with principal direct: the roles are granted to the Kubernetes ServiceAccount itself (set principal: service-account to impersonate it)',
        },
      },
    },
    else: {
      required: ['gcpServiceAccount'],
      properties: {
        gcpServiceAccount: {},
        roles: {
          not: {},
          description:
            "is for principal direct: with service-account the Google service account's own roles apply (grant them to it)",
        },
      },
    },
  },
] as const;

const diskName = {
  type: 'string',
  description:
    'the disk to attach: a Compute Engine disk name (GKE) or an EBS volume id vol-... (EKS, GKE on AWS)',
  pattern: '^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$',
  maxLength: 63,
} as const;

const dataVolumePlacement = {
  disk: diskName,
  zone: { ...cloudZone, description: 'the zone of the disk on the target (and of the pods)' },
  project: { ...gcpProject, description: "the target disk's project (GKE): the cluster's" },
  sourceProject: {
    ...gcpProject,
    description:
      "the project of the processing cluster's disk, when its PersistentVolume does not say (in-tree gcePersistentDisk): names the source in the copy commands",
  },
} as const;

const dataVolumesBody = {
  platform: {
    type: 'string',
    enum: ['gke', 'gke-autopilot', 'anthos-aws', 'eks'],
    description:
      'the target platform: its CSI driver is pd.csi.storage.gke.io (GKE) or ebs.csi.aws.com (EKS, GKE on AWS); in Retarget, target.platform when unset',
  },
  mode: {
    type: 'string',
    enum: ['attach', 'provision'],
    default: 'attach',
    description:
      'attach: rewrite each PersistentVolume to the target CSI driver, disk and zone; provision: drop the PersistentVolumes and let each claim provision a new volume (the data is restored into it by other means)',
  },
  ...dataVolumePlacement,
  storageClassName: {
    ...dnsSubdomain,
    description:
      "provision: the claims' StorageClass (unset: the cluster's default); attach: the class set on both the PersistentVolume and its claim (unset: the claim's, \"\" in generated specs)",
  },
  volumes: {
    type: 'object',
    description:
      'PersistentVolume name -> where its data is on the target, overriding the fields above',
    propertyNames: dnsSubdomain,
    additionalProperties: {
      type: 'object',
      additionalProperties: false,
      properties: dataVolumePlacement,
    },
  },
  staging: {
    type: 'object',
    additionalProperties: false,
    description:
      'buckets the copy commands to EBS pass the disk image through (Compute Engine image export, then EC2 VM Import)',
    properties: {
      gcsBucket: { ...dnsSubdomain, maxLength: 222 },
      s3Bucket: { ...dnsSubdomain, maxLength: 63 },
    },
  },
} as const;

/**
 * ajv applies no defaults inside oneOf (and strict mode refuses them there); the
 * Retarget sections get theirs when hydrate validates each stage's own config.
 */
function withoutDefaults<T>(schema: T): T {
  return JSON.parse(
    JSON.stringify(schema, (key, value: unknown) => (key === 'default' ? undefined : value)),
  ) as T;
}

export const setImagePullSecretsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['names'],
  properties: { ...imagePullSecretsBody, ...targeting },
} as const;

export const setFsGroupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fsGroup'],
  properties: { ...fsGroupBody, ...targeting },
} as const;

export const linkKubernetesInfoSecretsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...linkBody, ...runtimeSelection, ...targeting },
} as const;

export const setAwsWorkloadIdentitySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...awsBody, ...runtimeSelection, ...targeting },
} as const;

export const setGcpWorkloadIdentitySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['projectId'],
  properties: { ...gcpBody, ...targeting },
  allOf: gcpPrincipalRules,
} as const;

export const retargetSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...runtimeSelection,
    ...targeting,
    imagePullSecrets: {
      description: 'pull Secret names, or the full set-image-pull-secrets options',
      oneOf: withoutDefaults([
        imagePullSecretsBody.names,
        {
          type: 'object',
          additionalProperties: false,
          required: ['names'],
          properties: imagePullSecretsBody,
        },
      ] as const),
    },
    fsGroup: {
      description: 'the fsGroup, or the full set-fs-group options',
      oneOf: withoutDefaults([
        fsGroupBody.fsGroup,
        {
          type: 'object',
          additionalProperties: false,
          required: ['fsGroup'],
          properties: fsGroupBody,
        },
      ] as const),
    },
    linkKubernetesInfoSecrets: {
      description: 'the link step for legacy-runtime containers: on by default',
      oneOf: withoutDefaults([
        { type: 'boolean' },
        { type: 'object', additionalProperties: false, properties: linkBody },
      ] as const),
    },
    awsWorkloadIdentity: {
      type: 'object',
      additionalProperties: false,
      properties: awsBody,
    },
    gcpWorkloadIdentity: {
      type: 'object',
      additionalProperties: false,
      description:
        'Workload Identity Federation for GKE (set-gcp-workload-identity); projectId, projectNumber and platform default to the target',
      properties: withoutDefaults(gcpBody),
    },
    target: {
      type: 'object',
      additionalProperties: false,
      description: 'the target cluster: turns on the preflight checks, run after every other stage',
      properties: preflightBody,
    },
    dataVolumes: {
      type: 'object',
      additionalProperties: false,
      description:
        'port the PersistentVolumes and claims of an ImageAndData migration to the target (off when absent)',
      properties: withoutDefaults(dataVolumesBody),
    },
  },
} as const;

export const preflightSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...preflightBody, ...runtimeSelection, ...targeting },
} as const;

export const portDataVolumesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['platform'],
  properties: dataVolumesBody,
} as const;

export const CONFIG_SCHEMAS = {
  SetImagePullSecrets: setImagePullSecretsSchema,
  SetFsGroup: setFsGroupSchema,
  LinkKubernetesInfoSecrets: linkKubernetesInfoSecretsSchema,
  SetAwsWorkloadIdentity: setAwsWorkloadIdentitySchema,
  SetGcpWorkloadIdentity: setGcpWorkloadIdentitySchema,
  Retarget: retargetSchema,
  Preflight: preflightSchema,
  PortDataVolumes: portDataVolumesSchema,
} as const;

export type ConfigKind = keyof typeof CONFIG_SCHEMAS;
