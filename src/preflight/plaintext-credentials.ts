import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { PreflightContext } from './context';
import { fieldPath } from './field-path';
import { DOCKER_CONFIG_TYPES } from './pull-secrets';

const CONFIG_KEYS = new Set(Object.values(DOCKER_CONFIG_TYPES));

/**
 * A Secret with a `.dockerconfigjson` / `.dockercfg` value inline (whatever its
 * type): base64 is an encoding, not encryption, so whoever reads the package (or its
 * git history) can pull the images, and often push them. The message names the
 * Secret and the key, never the content.
 */
export function checkPlaintextCredentials(ctx: PreflightContext): void {
  for (const resource of ctx.set.resources) {
    if (resource.kind !== 'Secret' || resource.apiVersion !== 'v1') continue;
    for (const section of ['data', 'stringData']) {
      const map = resource.node.get(section);
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const value = isScalar(pair.value) ? pair.value.value : undefined;
        if (!CONFIG_KEYS.has(key) || value === null || value === undefined || value === '')
          continue;
        const name = resource.name;
        ctx.report(resource, {
          check: 'plaintext-registry-credentials',
          severity: 'error',
          message: `Secret ${name} holds registry credentials in plaintext (${fieldPath([section, key])}): anyone who can read this package or its history can use them`,
          fix: `remove Secret ${name} from the package and rotate the credential; create the Secret in the cluster (kubectl create secret docker-registry) and declare it in the target's pullSecrets, or emit it as an ExternalSecret (set-image-pull-secrets externalSecret)`,
          field: fieldPath([section, key]),
          node: pair.key as Node,
          tags: { secret: name },
        });
      }
    }
  }
}
