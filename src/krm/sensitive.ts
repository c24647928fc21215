/**
 * Where a value may be a credential, so messages name its place and type, never the
 * value: anything in a Secret (whatever its shape: `data` as a string decodes to the
 * password), env values and env-like maps, data of ConfigMaps, annotations (tokens are
 * put there too), and any field whose name reads like a credential.
 */
const SENSITIVE_FIELDS = new Set([
  'env',
  'envFrom',
  'data',
  'stringData',
  'binaryData',
  'annotations',
]);
const CREDENTIAL_NAME =
  /pass(word|wd|phrase)?|secret|token|credential|api[-_]?key|private[-_]?key|auth|\bkey\b|_key|cert/i;

export function isSensitiveValue(kind: string | undefined, segments: readonly string[]): boolean {
  if (kind === 'Secret') return true;
  return segments.some((s) => SENSITIVE_FIELDS.has(s) || CREDENTIAL_NAME.test(s));
}

/** Whether an environment variable's name reads like it holds a credential. */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}
