import type { ContainerKind } from '../config/types';
import type { BuildStage, DockerInstruction, ParsedDockerfile } from './parse';

/** The Migrate for Anthos runtime's entrypoint, in both runtime generations. */
export const V2K_ENTRYPOINT = '/.v2k.go';
/**
 * The Migrate to Containers CLI's (m2c) runtime image and entrypoint: the service
 * manager only, versioned on its own (1.0.x), so its tag says nothing about generations.
 * https://cloud.google.com/migrate/containers/docs/post-migration-image-updates
 */
const M2C_RUNTIME_IMAGE = /(^|\/)service-manager-runtime$/;
export const M2C_ENTRYPOINT = '/ko-app/service-manager-runtime';
/** First v2k runtime release with the service manager (standard secret paths). */
const SERVICE_MANAGER_SINCE = { major: 1, minor: 9 };

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
 * Which container kind the final stage builds, read from the Dockerfile alone:
 * - the m2c CLI's `service-manager-runtime` image with its own entrypoint (or none):
 *   the service-manager runtime;
 * - no `v2k-run-embedded` image in the final stage's ancestry (its FROM chain or a
 *   `COPY --from=` of it): a plain container;
 * - the final stage (or the stage it is built FROM) sets an ENTRYPOINT other than
 *   `/.v2k.go`: the runtime is not what runs, so a plain container;
 * - otherwise the runtime image's tag decides: v1.0 to v1.8 is the legacy runtime
 *   (secrets under /kubernetes-info), v1.9 and later the service-manager runtime;
 *   a tag that is not a version (a digest, `latest`, an ARG) cannot tell, and the
 *   config must set `runtime`.
 */
export function detectRuntime(parsed: ParsedDockerfile): RuntimeDecision {
  const final = parsed.stages[parsed.stages.length - 1];
  const runtime = findRuntimeImage(parsed.stages, final, new Set());
  if (!runtime) return { kind: 'plain', reason: 'no v2k runtime image in the final stage' };
  const entrypoint = lastEntrypoint(parsed.stages, final, new Set());
  if (M2C_RUNTIME_IMAGE.test(imageName(runtime.image))) {
    return entrypoint && entrypointProgram(entrypoint) !== M2C_ENTRYPOINT
      ? { kind: 'plain', reason: `the final stage's ENTRYPOINT is not ${M2C_ENTRYPOINT}` }
      : { kind: 'service-manager', reason: `${runtime.image} is the m2c service-manager runtime` };
  }
  if (entrypoint && entrypointProgram(entrypoint) !== V2K_ENTRYPOINT) {
    return { kind: 'plain', reason: `the final stage's ENTRYPOINT is not ${V2K_ENTRYPOINT}` };
  }
  const version = /:v?([0-9]+)\.([0-9]+)(?:[.-][0-9A-Za-z.-]*)?$/.exec(
    runtime.image.replace(/@.*$/, ''),
  );
  if (!version) {
    throw new RuntimeUnknownError(
      `cannot tell the Migrate for Anthos runtime generation from ${JSON.stringify(runtime.image)} (no vMAJOR.MINOR tag); set runtime: legacy or service-manager in the config`,
      runtime.line,
    );
  }
  const [major, minor] = [Number(version[1]), Number(version[2])];
  const serviceManager =
    major > SERVICE_MANAGER_SINCE.major ||
    (major === SERVICE_MANAGER_SINCE.major && minor >= SERVICE_MANAGER_SINCE.minor);
  return serviceManager
    ? { kind: 'service-manager', reason: `${runtime.image} is v1.9 or later` }
    : { kind: 'legacy', reason: `${runtime.image} is before v1.9` };
}

export function isV2kRuntimeImage(image: string): boolean {
  const name = imageName(image);
  return /(^|\/)v2k-run(-embedded)?$/.test(name) || M2C_RUNTIME_IMAGE.test(name);
}

function imageName(image: string): string {
  return image.replace(/@.*$/, '').replace(/:[^/]*$/, '');
}

function findRuntimeImage(
  stages: readonly BuildStage[],
  stage: BuildStage,
  seen: Set<number>,
): { image: string; line: number } | undefined {
  if (seen.has(stage.index)) return undefined;
  seen.add(stage.index);
  const sources: { ref: string; line: number }[] = [
    { ref: stage.image, line: stage.from.startLine },
    ...stage.instructions
      .filter((i) => i.keyword === 'COPY' && i.copyFrom)
      .map((i) => ({ ref: i.copyFrom as string, line: i.startLine })),
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
  seen: Set<number>,
): DockerInstruction | undefined {
  if (seen.has(stage.index)) return undefined;
  seen.add(stage.index);
  const own = stage.instructions.filter((i) => i.keyword === 'ENTRYPOINT').pop();
  if (own) return own;
  const base = stageByRef(stages, stage.image, stage.index);
  return base && lastEntrypoint(stages, base, seen);
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
