import { basename, dirname, relative } from 'node:path';
import type { YAMLMap } from 'yaml';
import type { ContainerKind } from '../config/types';
import type { InputFile } from '../io/files';
import type { Resource } from '../krm/resource';
import { StreamResourceSet } from '../io/stream-set';
import { parseImageReference } from '../image/reference';
import { classifyRegistry } from '../image/registry-hosts';
import { attachFolderEvidence, classifyStream } from '../pipeline/artifact-files';
import type { FolderArtifacts } from '../pipeline/artifact-files';
import { artifactKind, describeArtifact, documentValues } from '../runtime/artifacts';
import {
  artifactEvidenceOf,
  asRecord,
  decideRuntime,
  KIND_LABEL,
  planBody,
  RuntimeConflictError,
} from '../runtime/evidence';
import type { RuntimeEvidence } from '../runtime/evidence';
import { parseDocumentStream } from '../yaml/document-stream';
import { plainValueAt, valueAt } from '../yaml/edit';
import { MapNode, SeqNode } from '../yaml/classes';
import { specEvidence } from '../workload/container-kind';
import { containersOf, podSpecOf } from '../workload/pod-specs';
import { scanSource } from './source';
import type { ScannedSource } from './source';

/** What `retarget init` learns from an artifact folder; rendered by render.ts. */
export interface InitScan {
  dir: string;
  /** Each file read and what it is, relative to dir. */
  files: { path: string; what: string }[];
  workloads: ScannedWorkload[];
  images: ScannedImage[];
  /** Per container: the runtime decision, or the contradiction. */
  runtimes: ScannedRuntime[];
  /** Data the VM kept outside the image: PVCs and hostPath volumes of the spec, the plan's data volumes. */
  dataVolumes: string[];
  /** The PersistentVolumes of the spec (dumped from the processing cluster), for the dataVolumes: proposal. */
  persistentVolumes: { resource: Resource; file: string }[];
  /** Where the VM ran, when the processing cluster's Migration / SourceProvider are in the folder. */
  source?: ScannedSource;
}

export interface ScannedWorkload {
  id: string;
  name: string;
  namespace?: string;
  serviceAccountName?: string;
}

export interface ScannedImage {
  image: string;
  where: string;
  /** The GCP project an image lives in (Container Registry / Artifact Registry). */
  project?: string;
  registry: string;
}

export interface ScannedRuntime {
  container: string;
  workload: string;
  kind?: ContainerKind;
  decidedBy?: RuntimeEvidence;
  agreeing: RuntimeEvidence[];
  conflict?: string;
}

/**
 * Reads an artifact folder's YAML (already loaded) and the Dockerfile evidence of its
 * folders; no I/O here. Parse errors are located SourceErrors, as in hydrate.
 */
export function scanArtifacts(
  dir: string,
  inputs: readonly InputFile[],
  folders: readonly FolderArtifacts[],
  dockerfiles: readonly { path: string; what: string }[],
): InitScan {
  const rel = (p: string) => relative(dir, p) || basename(p);
  const scan: InitScan = {
    dir,
    files: [],
    workloads: [],
    images: [],
    runtimes: [],
    dataVolumes: [],
    persistentVolumes: [],
  };
  const streams = [];
  const plans: { path: string; value: unknown }[] = [];
  const objects: { path: string; value: unknown }[] = [];
  for (const input of inputs) {
    const stream = parseDocumentStream(input.text, input.path);
    const c = classifyStream(stream, true);
    if (c.artifact) {
      const values = documentValues(input.text);
      const kinds = new Set(values.map(artifactKind).filter((k) => k !== undefined));
      // scanSource picks the Migration and SourceProvider among them.
      objects.push(...values.map((value) => ({ path: rel(input.path), value })));
      scan.files.push({ path: rel(input.path), what: [...kinds].map(describeArtifact).join(', ') });
      plans.push(...c.plans.map((value) => ({ path: input.path, value })));
      for (const plan of c.plans) scan.dataVolumes.push(...planDataVolumes(plan, rel(input.path)));
      continue;
    }
    streams.push(stream);
  }
  scan.source = scanSource(objects);
  const set = new StreamResourceSet(streams);
  attachFolderEvidence(set.resources, plans, folders);
  const skaffoldImages = new Set(
    inputs.flatMap((i) =>
      documentValues(i.text)
        .filter((v) => artifactKind(v) === 'skaffold')
        .flatMap((v) => {
          const artifacts = asRecord(asRecord(v)?.build)?.artifacts;
          // Whatever is no string matches no container's image.
          return Array.isArray(artifacts) ? artifacts.map((a) => asRecord(a)?.image) : [];
        }),
    ),
  );
  const byFile = new Map<string, string[]>();
  for (const resource of set.resources) {
    const id = `${resource.kind}/${resource.name}`;
    const path = resource.origin.path ?? '';
    byFile.set(path, [...(byFile.get(path) ?? []), id]);
    if (resource.isLocalConfig()) continue;
    if (resource.kind === 'PersistentVolumeClaim') {
      scan.dataVolumes.push(`PersistentVolumeClaim ${resource.name} (${rel(path)})`);
    }
    if (resource.kind === 'PersistentVolume' && resource.apiVersion === 'v1') {
      scan.persistentVolumes.push({ resource, file: rel(path) });
    }
    const pod = podSpecOf(resource);
    if (!pod) continue;
    const sa = plainValueAt(pod.node, 'serviceAccountName');
    scan.workloads.push({
      id,
      name: resource.name,
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
      ...(typeof sa === 'string' ? { serviceAccountName: sa } : {}),
    });
    scan.dataVolumes.push(...claimVolumes(pod.node, id));
    for (const container of containersOf(pod, ['containers', 'initContainers'])) {
      const image = plainValueAt(container.node, 'image');
      if (typeof image === 'string' && !scan.images.some((i) => i.image === image)) {
        const where = `${id} container ${container.name}`;
        scan.images.push(
          skaffoldImages.has(image)
            ? {
                image,
                where,
                registry:
                  'a skaffold artifact name: `skaffold run -d REGISTRY` builds it and pushes it as REGISTRY/' +
                  image,
              }
            : describeImage(image, where),
        );
      }
      if (container.list !== 'containers') continue;
      scan.runtimes.push(runtimeOf(container, id, rel));
    }
  }
  for (const [path, ids] of byFile) scan.files.push({ path: rel(path), what: ids.join(', ') });
  scan.files.push(...dockerfiles.map((d) => ({ path: rel(d.path), what: d.what })));
  // Each path is listed once: no two compare equal.
  scan.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return scan;
}

function runtimeOf(
  container: Parameters<typeof specEvidence>[0],
  workload: string,
  rel: (path: string) => string,
): ScannedRuntime {
  const spec = specEvidence(container);
  // Paths as the user reads them in the folder: relative to it (a `:line` suffix stays).
  const pieces = [...(spec ? [spec] : []), ...artifactEvidenceOf(container.pod.resource)].map(
    (e) => (e.where === undefined ? e : { ...e, where: rel(e.where) }),
  );
  const base = { container: container.name, workload, agreeing: [] as RuntimeEvidence[] };
  try {
    const decision = decideRuntime(pieces);
    if (!decision) return { ...base, kind: 'plain' };
    return {
      ...base,
      kind: decision.kind,
      decidedBy: decision.decidedBy,
      agreeing: decision.evidence.filter((e) => e !== decision.decidedBy),
    };
  } catch (error) {
    if (!(error instanceof RuntimeConflictError)) throw error;
    return { ...base, conflict: error.message };
  }
}

function describeImage(image: string, where: string): ScannedImage {
  try {
    const ref = parseImageReference(image);
    const host = classifyRegistry(ref);
    switch (host.kind) {
      case 'gcr':
        return {
          image,
          where,
          project: host.project,
          registry: `Container Registry ${host.host}, project ${host.project}`,
        };
      case 'artifact-registry':
        return {
          image,
          where,
          project: host.project,
          registry: `Artifact Registry ${host.host}, project ${host.project}`,
        };
      case 'ecr':
        return {
          image,
          where,
          registry: `Amazon ECR, account ${host.accountId}, region ${host.region}`,
        };
      case 'docker-hub':
        return {
          image,
          where,
          registry: host.official ? 'Docker Hub (official image)' : 'Docker Hub',
        };
      default:
        return { image, where, registry: host.host };
    }
  } catch {
    return { image, where, registry: 'not a valid image reference' };
  }
}

function claimVolumes(pod: YAMLMap, id: string): string[] {
  const volumes = valueAt(pod, 'volumes');
  if (!(volumes instanceof SeqNode)) return [];
  const out: string[] = [];
  for (const v of volumes.items) {
    if (!(v instanceof MapNode)) continue;
    const claim = valueAt(v, 'persistentVolumeClaim');
    if (claim instanceof MapNode) {
      out.push(
        `${id} volume ${String(plainValueAt(v, 'name'))}: claim ${String(plainValueAt(claim, 'claimName'))}`,
      );
    }
  }
  return out;
}

/** `dataVolumes` (v1.x plans) and `dataConfig.volumes` (AppX dumps): the folders moved to volumes. */
function planDataVolumes(plan: unknown, where: string): string[] {
  const out: string[] = [];
  const top = asRecord(plan);
  const lists = [
    planBody(plan)?.dataVolumes,
    asRecord(asRecord(top?.spec)?.dataConfig)?.volumes,
    asRecord(top?.dataConfig)?.volumes,
  ];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const volume of list) {
      const v = asRecord(volume);
      const folders = Array.isArray(v?.folders)
        ? v.folders.filter((f) => typeof f === 'string')
        : [];
      const real = folders.filter((f) => !/^<.*>$/.test(f));
      if (real.length)
        out.push(
          `${real.join(', ')} (${where}${typeof v?.deploymentPvcName === 'string' ? `, PVC ${v.deploymentPvcName}` : ''})`,
        );
    }
  }
  return out;
}

/** How a Dockerfile is listed: its runtime evidence, or why it gives none. */
export function describeDockerfile(evidence: RuntimeEvidence | Error): string {
  return evidence instanceof Error
    ? evidence.message.split(';')[0]
    : `${evidence.reason} (${KIND_LABEL[evidence.kind]})`;
}

export { dirname };
