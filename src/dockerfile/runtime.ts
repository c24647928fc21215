import type { ContainerKind } from '../config/types';
import type { RuntimeEvidence } from '../runtime/evidence';
import { V2K_ENTRYPOINT } from '../workload/container-kind';
import type { BuildStage, DockerInstruction, ParsedDockerfile } from './parse';

export { V2K_ENTRYPOINT };
/** First v2k runtime release that ships the service manager (a preview in v1.8). */
const SERVICE_MANAGER_SINCE = { major: 1, minor: 8 };
/** Where the service manager reads its service list (generated only when it is enabled). */
const SERVICES_CONFIG = /(^|\/)services-config\.ya?ml$/;

export interface RuntimeDecision {
  kind: ContainerKind;
  /** Why, for messages and docs. */
  reason: string;
}

/** Thrown when the Dockerfile does not say which runtime it uses; `line` is 0-based. */
export class RuntimeUnknownError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * What the Dockerfile says about the runtime of the image its final stage builds:
 * - no `v2k-run-embedded` image in the final stage's ancestry (its FROM chain or a
 *   `COPY --from=` of it), or an ENTRYPOINT other than `/.v2k.go` (own or inherited):
 *   a plain container;
 * - a runtime image before v1.8: the legacy runtime, the only one it has;
 * - v1.8 and later can run either: the stage adding `services-config.yaml` (the service
 *   manager's service list, which the generator writes only with `v2kServiceManager:
 *   true`) or running `servicemanager generate config` means the service manager, its
 *   absence the legacy runtime; both allow the other, so a spec or plan decides.
 * A tag that is not a version (a digest, `latest`, an ARG) with no services-config.yaml
 * cannot tell: RuntimeUnknownError, which matters only when nothing stronger decides.
 */
export function dockerfileEvidence(
  parsed: ParsedDockerfile,
  path?: string,
): RuntimeEvidence | RuntimeUnknownError {
  const at = (line: number) => (path === undefined ? undefined : `${path}:${line + 1}`);
  const evidence = (
    kind: ContainerKind,
    allows: ContainerKind[],
    reason: string,
    line: number,
  ): RuntimeEvidence => {
    const where = at(line);
    return { source: 'dockerfile', kind, allows, reason, ...(where ? { where } : {}) };
  };
  const final = parsed.stages[parsed.stages.length - 1];
  const runtime = final && findRuntimeImage(parsed.stages, final, new Set());
  if (!final || !runtime) {
    return evidence(
      'plain',
      ['plain'],
      'no v2k runtime image in the final stage',
      final?.from.startLine ?? 0,
    );
  }
  const entrypoint = lastEntrypoint(parsed.stages, final);
  const program = entrypoint && entrypointProgram(entrypoint);
  if (entrypoint && !RUNTIME_ENTRYPOINTS.includes(program ?? '')) {
    return evidence(
      'plain',
      ['plain'],
      `the final stage's ENTRYPOINT is not ${V2K_ENTRYPOINT}`,
      entrypoint.startLine,
    );
  }
  if (isServiceManagerRuntimeImage(runtime.image)) {
    return evidence(
      'service-manager',
      ['service-manager'],
      `${runtime.image} (the m2c CLI's service-manager runtime)`,
      runtime.line,
    );
  }
  const version = /:v?([0-9]+)\.([0-9]+)(?:[.-][0-9A-Za-z.-]*)?$/.exec(runtime.image.split('@')[0]);
  const both: ContainerKind[] = ['legacy', 'service-manager'];
  if (version) {
    const [major, minor] = [Number(version[1]), Number(version[2])];
    const capable =
      major > SERVICE_MANAGER_SINCE.major ||
      (major === SERVICE_MANAGER_SINCE.major && minor >= SERVICE_MANAGER_SINCE.minor);
    if (!capable) {
      return evidence(
        'legacy',
        ['legacy'],
        `${runtime.image} is before v1.8 (legacy runtime only)`,
        runtime.line,
      );
    }
  }
  const servicesConfig = findServicesConfig(parsed.stages, final);
  if (servicesConfig) {
    return evidence(
      'service-manager',
      both,
      `${runtime.image} with ${servicesConfig.what}`,
      servicesConfig.line,
    );
  }
  if (!version) {
    return new RuntimeUnknownError(
      `cannot tell the Migrate for Anthos runtime generation from ${JSON.stringify(runtime.image)} (no vMAJOR.MINOR tag, no services-config.yaml); give --spec or --plan, or set runtime: legacy or service-manager in the config`,
      runtime.line,
    );
  }
  return evidence(
    'legacy',
    both,
    `${runtime.image} without services-config.yaml (written only with v2kServiceManager: true)`,
    runtime.line,
  );
}

/** The Dockerfile's answer alone (no spec, no plan): throws RuntimeUnknownError when it has none. */
export function detectRuntime(parsed: ParsedDockerfile): RuntimeDecision {
  const found = dockerfileEvidence(parsed);
  if (found instanceof RuntimeUnknownError) throw found;
  return { kind: found.kind, reason: found.reason };
}

/** An ADD/COPY of services-config.yaml or a `servicemanager generate config` RUN, in the stage's ancestry. */
function findServicesConfig(
  stages: readonly BuildStage[],
  stage: BuildStage,
): { what: string; line: number } | undefined {
  for (const i of stage.instructions) {
    if ((i.keyword === 'ADD' || i.keyword === 'COPY') && !i.copyFrom) {
      // dockerfile-ast leaves the flags (--chown, --link) out of the arguments.
      const sources = i.args.slice(0, -1);
      if (sources.some((a) => SERVICES_CONFIG.test(a.replace(/^["']|["']$/g, '')))) {
        return { what: `${i.keyword} services-config.yaml`, line: i.startLine };
      }
    }
    if (i.keyword === 'RUN' && /servicemanager[^\s]*\s+generate\s+config/.test(i.argumentsText)) {
      return { what: 'RUN servicemanager generate config', line: i.startLine };
    }
  }
  // A stage is built FROM an earlier one only, so this chain ends.
  const base = stageByRef(stages, stage.image, stage.index);
  return base && findServicesConfig(stages, base);
}

export function isV2kRuntimeImage(image: string): boolean {
  const name = image.split('@')[0].replace(/:[^/]*$/, '');
  return /(^|\/)v2k-run(-embedded)?$/.test(name) || isServiceManagerRuntimeImage(image);
}

/**
 * The m2c CLI's runtime image (`us-docker.pkg.dev/migrate-modernize-public/
 * modernize-plugins-prod/service-manager-runtime:1.0.0`), which has only the service
 * manager (cloud.google.com/migrate/containers/docs/about-linux-system-containers).
 */
export function isServiceManagerRuntimeImage(image: string): boolean {
  const name = image.split('@')[0].replace(/:[^/]*$/, '');
  return /(^|\/)service-manager-runtime$/.test(name);
}

/** The runtime programs an ENTRYPOINT may name: the v2k entrypoint, the m2c CLI runtime. */
const RUNTIME_ENTRYPOINTS = [V2K_ENTRYPOINT, '/ko-app/service-manager-runtime'];

function findRuntimeImage(
  stages: readonly BuildStage[],
  stage: BuildStage,
  seen: Set<number>,
): { image: string; line: number } | undefined {
  // A build graph may reach a stage by several paths: each is searched once.
  if (seen.has(stage.index)) return undefined;
  seen.add(stage.index);
  const sources: { ref: string; line: number }[] = [
    { ref: stage.image, line: stage.from.startLine },
    // Only COPY has a copyFrom (ADD takes no --from).
    ...stage.instructions.flatMap((i) =>
      i.copyFrom === undefined ? [] : [{ ref: i.copyFrom, line: i.startLine }],
    ),
  ];
  for (const source of sources) {
    const previous = stageByRef(stages, source.ref, stage.index);
    const found = previous
      ? findRuntimeImage(stages, previous, seen)
      : isV2kRuntimeImage(source.ref)
        ? { image: source.ref, line: source.line }
        : undefined;
    if (found) return found;
  }
  return undefined;
}

function lastEntrypoint(
  stages: readonly BuildStage[],
  stage: BuildStage,
): DockerInstruction | undefined {
  const own = stage.instructions.filter((i) => i.keyword === 'ENTRYPOINT').pop();
  if (own) return own;
  const base = stageByRef(stages, stage.image, stage.index);
  return base && lastEntrypoint(stages, base);
}

/** The stage a FROM image or `COPY --from=` names (by name or index), before `before`. */
export function stageByRef(
  stages: readonly BuildStage[],
  ref: string,
  before: number,
): BuildStage | undefined {
  const earlier = stages.slice(0, before);
  if (/^[0-9]+$/.test(ref)) return earlier[Number(ref)];
  const name = ref.toLowerCase();
  return earlier.find((s) => s.name === name);
}

function entrypointProgram(entrypoint: DockerInstruction): string | undefined {
  return entrypoint.json ? entrypoint.json[0] : entrypoint.args[0];
}
