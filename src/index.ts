/**
 * retarget as a library: every function over YAML text (comments, key order and layout
 * kept, as the CLI writes them) or over plain objects (as a ResourceList would carry
 * them), with a typed config. Nothing here reads or writes a file or the console.
 *
 *   import { hydrate } from 'retarget';
 *   const { ok, output, results } = hydrate(specYamlText, { imagePullSecrets: ['gcr-json-key'] });
 */
import { parse, stringify } from 'yaml';
import { runKrm } from './cli/krm';
import { loadConfig } from './config/load';
import { API_VERSION } from './config/schemas';
import type {
  LinkKubernetesInfoSecretsInput as LinkKubernetesInfoSecretsConfig,
  PortDataVolumesInput as PortDataVolumesConfig,
  PreflightInput as PreflightConfig,
  RetargetInput as RetargetConfig,
  SetAwsWorkloadIdentityInput as SetAwsWorkloadIdentityConfig,
  SetGcpWorkloadIdentityInput as SetGcpWorkloadIdentityConfig,
  SetFsGroupInput as SetFsGroupConfig,
  SetImagePullSecretsInput as SetImagePullSecretsConfig,
} from './config/input-types';
import type { RetargetConfig as ValidRetargetConfig } from './config/types';
import { dockerfileOptions } from './dockerfile/options';
import { patchDockerfile as patchDockerfileText } from './dockerfile/patch';
import { SourceError } from './errors';
import { hasErrors, sourceErrorResult } from './krm/results';
import type { Result } from './krm/results';
import { parseConfigText, transformFiles } from './pipeline/file-mode';
import type { ChangeSummary } from './pipeline/change-summary';
import { findFunction } from './pipeline/functions';
import type { KrmFunction } from './pipeline/functions';

export type {
  ChangeSummary,
  LinkKubernetesInfoSecretsConfig,
  PortDataVolumesConfig,
  PreflightConfig,
  Result,
  RetargetConfig,
  SetAwsWorkloadIdentityConfig,
  SetGcpWorkloadIdentityConfig,
  SetFsGroupConfig,
  SetImagePullSecretsConfig,
};
export type { Severity, ResourceRef } from './krm/results';

/** A Kubernetes object as plain data. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * A config: its fields (`{ fsGroup: 2000 }`), the whole document with `apiVersion:
 * fn.retarget.dev/v1alpha1` and `kind` (or a ConfigMap), or that document as YAML text.
 */
export type ConfigInput<C> =
  C | { apiVersion: string; kind: string; [key: string]: unknown } | string;

export interface RunOptions {
  /** How messages name the input (text mode): a file path. Default `input.yaml`. */
  path?: string;
  /** How messages name the config. */
  configPath?: string;
}

/** What a run gives: the output (the input unchanged when ok is false) and its results. */
export interface Outcome<T> {
  ok: boolean;
  output: T;
  /** Errors, warnings and infos, in the KRM Functions Specification's shape. */
  results: Result[];
}

export interface TextOutcome extends Outcome<string> {
  /**
   * How many resources were changed, created and left alone (all zero on error, when the
   * output is the input as it came).
   */
  summary: ChangeSummary;
}

/** A function over YAML text or over objects. */
export interface RetargetFunction<C> {
  (input: string, config: ConfigInput<C>, options?: RunOptions): TextOutcome;
  (
    input: readonly KubernetesObject[],
    config: ConfigInput<C>,
    options?: RunOptions,
  ): Outcome<KubernetesObject[]>;
}

function define<C>(name: string): RetargetFunction<C> {
  const fn = findFunction(name);
  if (!fn) throw new Error(`no retarget function ${name}`);
  return ((input: string | readonly KubernetesObject[], config: ConfigInput<C>, options = {}) =>
    typeof input === 'string'
      ? runOnText(fn, input, config, options)
      : runOnObjects(fn, input, config, options)) as RetargetFunction<C>;
}

/** Every stage (pull secrets, fsGroup, link, AWS identity, preflight) from one Retarget config. */
export const hydrate = define<RetargetConfig>('hydrate');
export const setImagePullSecrets = define<SetImagePullSecretsConfig>('set-image-pull-secrets');
export const setFsGroup = define<SetFsGroupConfig>('set-fs-group');
export const linkKubernetesInfoSecrets = define<LinkKubernetesInfoSecretsConfig>(
  'link-kubernetes-info-secrets',
);
export const setAwsWorkloadIdentity = define<SetAwsWorkloadIdentityConfig>(
  'set-aws-workload-identity',
);
/** Workload Identity Federation for GKE: the ServiceAccount, the nodeSelector, the IAM grant. */
export const setGcpWorkloadIdentity = define<SetGcpWorkloadIdentityConfig>(
  'set-gcp-workload-identity',
);
/** PersistentVolumes and claims of ImageAndData migrations made deployable (attach or provision). */
export const portDataVolumes = define<PortDataVolumesConfig>('port-data-volumes');
/** The findings (results with `tags.check` and `tags.fix`); ok is false on an error finding. */
export const preflight = define<PreflightConfig>('preflight');

/**
 * `retarget dockerfile` over text: the Dockerfile with its marked block (what the
 * Retarget config's awsWorkloadIdentity needs at build time). Throws an Error naming
 * the line or config field on a Dockerfile or config it cannot patch.
 */
export function patchDockerfile(
  dockerfile: string,
  config: ConfigInput<RetargetConfig>,
  options: RunOptions = {},
): string {
  const location = { path: options.configPath };
  const value = loadConfig<ValidRetargetConfig>(
    'Retarget',
    configValue(config, 'Retarget', options),
    location,
  );
  return patchDockerfileText(dockerfile, dockerfileOptions(value, location), options.path);
}

function runOnText<C>(
  fn: KrmFunction,
  text: string,
  config: ConfigInput<C>,
  options: RunOptions,
): TextOutcome {
  const path = options.path ?? 'input.yaml';
  const unchanged = (results: Result[]): TextOutcome => ({
    ok: false,
    output: text,
    results,
    summary: { changed: 0, created: 0, unchanged: 0 },
  });
  try {
    const value = configValue(config, fn.kind, options);
    const outcome = transformFiles(fn, value, options.configPath, [
      { path, outputName: path, text },
    ]);
    if (!outcome.ok) return unchanged(outcome.results);
    return {
      ok: true,
      output: outcome.files.length ? outcome.files[0].text : '',
      results: outcome.results,
      summary: outcome.summary,
    };
  } catch (error) {
    return unchanged(failureResults(error));
  }
}

function runOnObjects<C>(
  fn: KrmFunction,
  items: readonly KubernetesObject[],
  config: ConfigInput<C>,
  options: RunOptions,
): Outcome<KubernetesObject[]> {
  try {
    const list = stringify(
      { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [...items] },
      { aliasDuplicateObjects: false },
    );
    const outcome = runKrm(fn, list, configValue(config, fn.kind, options));
    // The list runKrm writes always has its items (the input's, unchanged, on error).
    const output = (parse(outcome.stdout) as { items: KubernetesObject[] }).items;
    return { ok: !hasErrors(outcome.results), output, results: outcome.results };
  } catch (error) {
    return { ok: false, output: structuredClone([...items]), results: failureResults(error) };
  }
}

/** A config as the functions take it: the document, with apiVersion and kind. */
function configValue<C>(config: ConfigInput<C>, kind: string, options: RunOptions): unknown {
  if (typeof config === 'string') {
    return parseConfigText(config, options.configPath ?? 'config.yaml', kind);
  }
  const value = config as Record<string, unknown> | null;
  if (value && typeof value === 'object' && 'kind' in value) return value;
  return { apiVersion: API_VERSION, kind, ...(value ?? {}) };
}

/**
 * A thrown located error (unreadable input or config text) as the results a function
 * would report. An invalid config never gets here (runFunction reports it as results);
 * anything else, such as a caller's own exception, is thrown on.
 */
function failureResults(error: unknown): Result[] {
  if (error instanceof SourceError) return [sourceErrorResult(error)];
  throw error;
}
