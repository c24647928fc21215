import { parse } from 'yaml';
import type { ContainerKind } from '../config/types';

/**
 * One runtime answer from every artifact a migration leaves. Each artifact gives a piece
 * of evidence: the kind it points to, and the kinds it does not rule out (a v1.9+ runtime
 * image can run either runtime; a v1.3 image only the legacy one). The strongest piece
 * decides, in this order: an explicit config `runtime`, the deployment spec (what the
 * container will run with), the migration plan (`v2kServiceManager`, or its probes), the
 * Dockerfile (runtime image, entrypoint, services-config.yaml). Every weaker piece must
 * allow the answer; one that does not is a contradiction, reported with all the evidence,
 * because one of the artifacts was edited or belongs to another workload.
 *
 * `hydrate`, `preflight` (through the container's kind) and `retarget dockerfile` all
 * decide here, so the token path in the manifests and in the image agree.
 */
export type EvidenceSource = 'config' | 'spec' | 'plan' | 'dockerfile';

/** Strongest first. */
export const EVIDENCE_ORDER: readonly EvidenceSource[] = ['config', 'spec', 'plan', 'dockerfile'];

export interface RuntimeEvidence {
  source: EvidenceSource;
  kind: ContainerKind;
  /** The kinds this evidence does not rule out (always includes `kind`). */
  allows: readonly ContainerKind[];
  /** What was seen, for messages: `env HC_V2K_SERVICE_MANAGER="true"`. */
  reason: string;
  /** Where: `deployment_spec.yaml:31`, `migration.yaml`, `Dockerfile:4`. */
  where?: string;
}

export interface RuntimeDecision {
  kind: ContainerKind;
  decidedBy: RuntimeEvidence;
  /** Every piece considered, strongest first. */
  evidence: RuntimeEvidence[];
}

export class RuntimeConflictError extends Error {
  constructor(
    readonly kind: ContainerKind,
    readonly evidence: readonly RuntimeEvidence[],
  ) {
    super(conflictMessage(evidence));
    this.name = 'RuntimeConflictError';
  }
}

export const KIND_LABEL: Record<ContainerKind, string> = {
  legacy: 'legacy runtime',
  'service-manager': 'service-manager runtime',
  plain: 'plain container',
};

/** `spec deployment_spec.yaml:31: env HC_V2K_SERVICE_MANAGER="true" (service-manager runtime)` */
export function describeEvidence(e: RuntimeEvidence): string {
  return `${e.source}${e.where ? ` ${e.where}` : ''}: ${e.reason} (${KIND_LABEL[e.kind]})`;
}

function conflictMessage(evidence: readonly RuntimeEvidence[]): string {
  return `the migration artifacts disagree on the runtime: ${evidence.map(describeEvidence).join('; ')}; fix the artifact that was edited or belongs to another workload, or set runtime in the config`;
}

function rank(e: RuntimeEvidence): number {
  return EVIDENCE_ORDER.indexOf(e.source);
}

/**
 * The answer from the evidence, or undefined when there is none. An explicit config
 * decides alone (the user's word, even against the artifacts); otherwise the strongest
 * piece decides and a weaker one that rules its answer out throws RuntimeConflictError.
 */
export function decideRuntime(pieces: readonly RuntimeEvidence[]): RuntimeDecision | undefined {
  const evidence = [...pieces].sort((a, b) => rank(a) - rank(b));
  const first = evidence[0];
  if (!first) return undefined;
  if (first.source === 'config') return { kind: first.kind, decidedBy: first, evidence };
  const against = evidence.filter((e) => !e.allows.includes(first.kind));
  // Two pieces of the same strength that disagree cannot be ordered either.
  const tied = evidence.filter((e) => rank(e) === rank(first) && e.kind !== first.kind);
  if (against.length || tied.length) throw new RuntimeConflictError(first.kind, evidence);
  return { kind: first.kind, decidedBy: first, evidence };
}

/** The runtime a config's `runtime` names, as evidence; undefined for auto. */
export function configEvidence(
  runtime: string | undefined,
  reason = 'runtime',
): RuntimeEvidence | undefined {
  if (runtime !== 'legacy' && runtime !== 'service-manager' && runtime !== 'plain')
    return undefined;
  return { source: 'config', kind: runtime, allows: [runtime], reason: `${reason}: ${runtime}` };
}

/** Probe programs of the service-manager runtime across generations (v1.9+ and the m2c CLI). */
export const SERVICE_MANAGER_PROBES: readonly string[] = [
  '/gamma',
  'gamma',
  '/ko-app/service-manager-runtime',
];
/** The legacy runtime's readiness probe. */
export const LEGACY_PROBE = '/code/ready.sh';

/**
 * What a migration plan says: `v2kServiceManager` (migctl v1.9+; false keeps the legacy
 * runtime even on a v1.9+ image), else its probes (the m2c CLI writes
 * `/ko-app/service-manager-runtime probe`, v1.x plans `gamma /probe`). A plan that says
 * neither (a Tomcat or Apache plan, a v1.x plan) gives no evidence.
 */
export function planEvidence(plan: unknown, where?: string): RuntimeEvidence | undefined {
  const body = planBody(plan);
  if (!body) return undefined;
  const flag = body.v2kServiceManager;
  if (typeof flag === 'boolean') {
    const kind: ContainerKind = flag ? 'service-manager' : 'legacy';
    return withWhere(
      { source: 'plan', kind, allows: [kind], reason: `v2kServiceManager: ${flag}` },
      where,
    );
  }
  const deployment = asRecord(body.deployment);
  const probes = asRecord(deployment?.probes);
  for (const probe of Object.values(probes ?? {})) {
    const command = asRecord(asRecord(probe)?.exec)?.command;
    const program: unknown = Array.isArray(command) ? command[0] : undefined;
    const serviceManager = SERVICE_MANAGER_PROBES.find((p) => p === program);
    if (serviceManager) {
      return withWhere(
        {
          source: 'plan',
          kind: 'service-manager',
          allows: ['service-manager'],
          reason: `probe ${serviceManager}`,
        },
        where,
      );
    }
    if (program === LEGACY_PROBE) {
      return withWhere(
        { source: 'plan', kind: 'legacy', allows: ['legacy'], reason: `probe ${LEGACY_PROBE}` },
        where,
      );
    }
  }
  return undefined;
}

/**
 * The plan's own fields, wherever the generation put them: at the top (migration.yaml of
 * v1.9+ and the m2c CLI), under `spec` (a v1.x GenerateArtifactsFlow), or as the YAML
 * string in `spec.appXGenerateArtifactsConfig` (an AppXGenerateArtifactsFlow dump).
 */
export function planBody(plan: unknown): Record<string, unknown> | undefined {
  const top = asRecord(plan);
  if (!top) return undefined;
  const spec = asRecord(top.spec);
  if (spec && typeof spec.appXGenerateArtifactsConfig === 'string') {
    // Only AppX dumps carry the plan as text.
    try {
      return asRecord(parse(spec.appXGenerateArtifactsConfig)) ?? undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof top.kind === 'string' && spec) return spec;
  return top;
}

function withWhere(e: RuntimeEvidence, where: string | undefined): RuntimeEvidence {
  return where === undefined ? e : { ...e, where };
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/*
 * Evidence from artifacts next to a workload (its folder's plan and Dockerfile), found by
 * the I/O layer and attached to each resource read from that folder, so transforms read it
 * without any I/O of their own.
 */
const artifactEvidence = new WeakMap<object, RuntimeEvidence[]>();

export function attachArtifactEvidence(
  resource: object,
  evidence: readonly RuntimeEvidence[],
): void {
  if (evidence.length) artifactEvidence.set(resource, [...evidence]);
}

export function artifactEvidenceOf(resource: object): readonly RuntimeEvidence[] {
  return artifactEvidence.get(resource) ?? [];
}
