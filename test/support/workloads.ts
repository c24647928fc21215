/** Small generated-style inputs for unit tests (written for these tests, not copied). */
export const LEGACY_DEPLOYMENT = `# Stateless application specification
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
    migrate-for-anthos-type: workload
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: gcr.io/source-project/web:v1
        name: web
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

export const SERVICE_MANAGER_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    anthos-migrate.cloud.google.com/type: linux-container
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - env:
        - name: HC_V2K_SERVICE_MANAGER
          value: "true"
        image: eu.gcr.io/source-project/api:v2
        livenessProbe:
          exec:
            command:
            - /gamma
            - probe
        name: api
`;

export const PLAIN_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    anthos-migrate.cloud.google.com/type: tomcat-container
  name: tomcat
spec:
  template:
    spec:
      containers:
      - image: docker.io/library/tomcat:9
        name: tomcat
`;

export const SERVICE = `# Headless Service
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
`;

export function stream(...docs: string[]): string {
  return docs.join('---\n');
}

/** A one-container Deployment named `name` (in `namespace` when given) running `image`. */
export function deploymentYaml(
  name: string,
  namespace?: string,
  image = 'gcr.io/project-a/app:v1',
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${image}
`;
}
