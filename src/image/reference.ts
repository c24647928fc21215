/**
 * Container image references, parsed the way Docker normalizes them (the
 * distribution/reference grammar): the first path component is a registry host
 * only if it has a `.` or a `:` or is `localhost`; otherwise the image is on
 * Docker Hub (`docker.io`, with `library/` for one-component names).
 */
export interface ImageReference {
  /** Registry host with port, e.g. `gcr.io`, `localhost:5000`, `docker.io`. */
  registry: string;
  /** Repository path without the registry, e.g. `my-project/app`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** True when the image names no registry: it is on Docker Hub, or a placeholder a builder replaces. */
  implicitRegistry: boolean;
  /**
   * A bare one-component name with no registry, tag or digest (`petclinic-image`):
   * Migrate to Containers writes these for a builder (skaffold, Cloud Build) to
   * replace; pulled as is, it means `docker.io/library/NAME:latest`.
   */
  placeholder: boolean;
}

export const DOCKER_HUB = 'docker.io';
/** Other host names Docker treats as Docker Hub itself. */
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io']);

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const REGISTRY = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?$`,
);
/** Docker's limit on the name (registry and repository) of a reference. */
const NAME_MAX = 255;

export class ImageReferenceError extends Error {}

export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  if (!rest) throw new ImageReferenceError('empty image reference');
  if (/\s/.test(rest)) throw new ImageReferenceError(`whitespace in image reference ${image}`);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageReferenceError(`invalid digest in ${image}`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  // A colon inside `[...]` belongs to an IPv6 host, never to a tag.
  if (colon > lastSlash && !(lastSlash < 0 && rest.startsWith('['))) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ImageReferenceError(`invalid tag in ${image}`);
  }
  if (rest.length > NAME_MAX)
    throw new ImageReferenceError(`image name longer than ${NAME_MAX} characters: ${image}`);
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  let implicitRegistry = true;
  if (parts.length > 1 && (/[.:[]/.test(parts[0]) || parts[0] === 'localhost')) {
    const host = parts.shift()!;
    if (!REGISTRY.test(host)) throw new ImageReferenceError(`invalid registry host in ${image}`);
    registry = canonicalRegistry(host);
    implicitRegistry = false;
  }
  if (!parts.every((p) => COMPONENT.test(p))) {
    throw new ImageReferenceError(
      `invalid repository in ${image}: use lower-case letters, digits and . _ -`,
    );
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  // No slash: no registry and a single component (now library/NAME).
  const placeholder = !tag && !digest && !rest.includes('/');
  return { registry, repository: parts.join('/'), tag, digest, implicitRegistry, placeholder };
}

/** Lower-cased host with port; Docker Hub's aliases become `docker.io`. */
export function canonicalRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** Host and port of a registry (`[::1]:5000` keeps its brackets). */
export function splitRegistry(registry: string): { host: string; port?: number } {
  const port = /:([0-9]{1,5})$/.exec(registry);
  return port ? { host: registry.slice(0, port.index), port: Number(port[1]) } : { host: registry };
}

/**
 * The reference as text. `familiar` (the default) is how Docker prints it: no
 * `docker.io/` and no `library/` for Docker Hub images named without a registry;
 * `full` always names the registry.
 */
export function formatImageReference(
  ref: ImageReference,
  style: 'familiar' | 'full' = 'familiar',
): string {
  let name = `${ref.registry}/${ref.repository}`;
  // An image named without a registry is on Docker Hub.
  if (style === 'familiar' && ref.implicitRegistry) {
    name = ref.repository.replace(/^library\/(?=[^/]+$)/, '');
  }
  return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** Whether a path (`registry/repository`) is `prefix` or lies under it, by whole components. */
export function underPrefix(ref: ImageReference, prefix: string): boolean {
  const full = `${ref.registry}/${ref.repository}`;
  // Repository paths are lower-case, and so is a canonical host.
  const [host, ...path] = prefix.split('/');
  const wanted = [canonicalRegistry(host), ...path].join('/').toLowerCase().replace(/\/+$/, '');
  return full === wanted || full.startsWith(`${wanted}/`);
}

/**
 * Whether `image` comes from `registry`, which is a host (`gcr.io`) or a host with
 * a path prefix (`gcr.io/my-project`); prefixes match whole path components.
 */
export function imageFromRegistry(image: string, registry: string): boolean {
  let ref: ImageReference;
  try {
    ref = parseImageReference(image);
  } catch {
    return false;
  }
  return underPrefix(ref, registry);
}
