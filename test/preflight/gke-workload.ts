/**
 * The GKE Workload Identity names and the workload template the GKE suites share
 * (gke-workload-identity-edges.test.ts, gke-workload-identity-platforms.test.ts).
 */
export const ANNOTATION = 'iam.gke.io/gcp-service-account';
export const LABEL = 'iam.gke.io/gke-metadata-server-enabled';
export const CHECKS =
  /^(gcp-service-account|gke-metadata-server|gke-workload-identity|gcp-identity-mechanism)/;

export const deployment = (spec: string, container = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  namespace: orders
spec:
  selector:
    matchLabels: {app: billing}
  template:
    metadata:
      labels: {app: billing}
    spec:
      serviceAccountName: billing
${spec}      containers:
      - name: app
        image: registry.example.com/billing:2
${container}`;

export const SELECTOR = `      nodeSelector:\n        ${LABEL}: "true"\n`;
