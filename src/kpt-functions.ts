/**
 * `retarget/kpt-functions`: every retarget function as a `KptFunc` of the frozen
 * `kpt-functions` TypeScript SDK (see src/interop/kpt-functions.ts). Declared with the
 * SDK's own types only, so a project compiling against it needs nothing else of ours.
 */
import type { KptFunc, Result as SdkResult } from 'kpt-functions';
import * as interop from './interop/kpt-functions';
import type { Result } from './krm/results';

export type { Result };

export const hydrate: KptFunc = interop.hydrate;
export const setImagePullSecrets: KptFunc = interop.setImagePullSecrets;
export const setFsGroup: KptFunc = interop.setFsGroup;
export const linkKubernetesInfoSecrets: KptFunc = interop.linkKubernetesInfoSecrets;
export const setAwsWorkloadIdentity: KptFunc = interop.setAwsWorkloadIdentity;
export const setGcpWorkloadIdentity: KptFunc = interop.setGcpWorkloadIdentity;
/** Every function by its retarget name (`hydrate`, `set-fs-group`, `preflight`, ...). */
export const KPT_FUNCTIONS: Readonly<Record<string, KptFunc>> = interop.KPT_FUNCTIONS;
/** A retarget result in the SDK's shape (`warning` becomes `warn`). */
export const toSdkResult: (result: Result) => SdkResult = interop.toSdkResult;
