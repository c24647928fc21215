/**
 * Container image references, parsed the way Docker normalizes them: the first
 * path component is a registry host only if it has a `.` or a `:` or is `localhost`;
 * otherwise the image is on Docker Hub (`docker.io`, `library/` for one-component names).
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
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export class ImageReferenceError extends Error {}

export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  if (!rest) throw new ImageReferenceError('empty image reference');
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
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ImageReferenceError(`invalid tag in ${image}`);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  let implicitRegistry = true;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) {
    registry = parts.shift()!.toLowerCase();
    implicitRegistry = false;
  }
  if (!parts.every((p) => COMPONENT.test(p))) {
    throw new ImageReferenceError(`invalid repository in ${image}`);
  }
  if (implicitRegistry && parts.length === 1) parts.unshift('library');
  return { registry, repository: parts.join('/'), tag, digest, implicitRegistry };
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
  const full = `${ref.registry}/${ref.repository}`;
  const wanted = registry.toLowerCase().replace(/\/+$/, '');
  return full === wanted || full.startsWith(`${wanted}/`);
}
