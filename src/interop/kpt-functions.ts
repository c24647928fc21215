/**
 * Every retarget function as a `KptFunc` of the frozen `kpt-functions` TypeScript SDK,
 * for teams whose own pipelines are built on it. The SDK is only a type here: a
 * function reads the `Configs` it is given, runs the same KRM runtime as the
 * executables over them, and writes the objects and results back.
 *
 * What the SDK loses (it parses with js-yaml 3): comments and key order, and it sorts
 * objects by key. Its severity `warn` stands for the KRM spec's `warning`.
 */
import type { Configs, KptFunc, KubernetesObject, Result as SdkResult } from 'kpt-functions';
import { parse, stringify } from 'yaml';
import { runKrm } from '../cli/krm';
import type { Result } from '../krm/results';
import { FUNCTIONS } from '../pipeline/functions';
import type { KrmFunction } from '../pipeline/functions';

/** Our result in the SDK's shape: `warning` becomes `warn`, `proposedValue` `suggestedValue`. */
export function toSdkResult(result: Result): SdkResult {
  const out: SdkResult = {
    message: result.message,
    severity: result.severity === 'warning' ? 'warn' : result.severity,
  };
  if (result.tags) out.tags = { ...result.tags };
  if (result.resourceRef) out.resourceRef = { namespace: '', ...result.resourceRef };
  if (result.file) out.file = { ...result.file };
  if (result.field) {
    const { path, currentValue, proposedValue } = result.field;
    out.field = { path };
    if (currentValue !== undefined) out.field.currentValue = currentValue as never;
    if (proposedValue !== undefined) out.field.suggestedValue = proposedValue as never;
  }
  return out;
}

/**
 * Wraps one function. The objects go through a ResourceList, as they would between kpt
 * and the executable; on an error result they come back unchanged.
 */
export function asKptFunc(fn: KrmFunction): KptFunc {
  const run = async (configs: Configs): Promise<void> => {
    const input = stringify(
      {
        apiVersion: 'config.kubernetes.io/v1',
        kind: 'ResourceList',
        items: configs.getAll(),
        functionConfig: configs.getFunctionConfig(),
      },
      { aliasDuplicateObjects: false },
    );
    const outcome = runKrm(fn, input);
    // The output is always a ResourceList with its items (an empty list too).
    const output = parse(outcome.stdout) as { items: KubernetesObject[] };
    configs.deleteAll();
    configs.insert(...output.items);
    configs.addResults(...outcome.results.map(toSdkResult));
  };
  return Object.assign(run, {
    usage: `retarget ${fn.name}: ${fn.description}.\nfunctionConfig: a ${fn.kind} (apiVersion fn.retarget.dev/v1alpha1) or a ConfigMap whose data keys are its fields.`,
  });
}

/** Every function by its retarget name (`hydrate`, `set-fs-group`, ...). */
export const KPT_FUNCTIONS: Readonly<Record<string, KptFunc>> = Object.fromEntries(
  FUNCTIONS.map((fn) => [fn.name, asKptFunc(fn)]),
);

// The same functions under their own names (a test checks each against KPT_FUNCTIONS).
export const hydrate = KPT_FUNCTIONS['hydrate'];
export const setImagePullSecrets = KPT_FUNCTIONS['set-image-pull-secrets'];
export const setFsGroup = KPT_FUNCTIONS['set-fs-group'];
export const linkKubernetesInfoSecrets = KPT_FUNCTIONS['link-kubernetes-info-secrets'];
export const setAwsWorkloadIdentity = KPT_FUNCTIONS['set-aws-workload-identity'];
export const setGcpWorkloadIdentity = KPT_FUNCTIONS['set-gcp-workload-identity'];
export const portDataVolumes = KPT_FUNCTIONS['port-data-volumes'];
