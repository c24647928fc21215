import { shQuote } from '../shell/quote';

/**
 * A shell command for a fix. Words of safe characters stay bare so the command reads
 * naturally; anything else (a value from the package, not the validated target) is
 * single-quoted, so pasting the command never runs more than it says.
 */
export function commandLine(...words: string[]): string {
  return words.map(shWord).join(' ');
}

export function shWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : shQuote(word);
}

/**
 * `-n NAMESPACE` for a command on a resource of the package: its namespace, or the
 * placeholder NAMESPACE when the package leaves it to the apply (`kubectl apply -n`);
 * without it the command would act on whatever namespace the kubeconfig context has.
 */
export function namespaceFlag(namespace: string | undefined): string[] {
  return ['-n', namespace ?? 'NAMESPACE'];
}

/**
 * Adds a pull Secret to a ServiceAccount's imagePullSecrets, keeping those it has. A
 * strategic merge patch would replace the list (it is atomic in the ServiceAccount
 * schema), so this is a JSON patch appending to it; when the ServiceAccount has no list
 * yet that patch fails without changing anything, and the second form creates it.
 */
export function appendPullSecret(serviceAccount: string, ns: string[], secret: string): string {
  const append = [{ op: 'add', path: '/imagePullSecrets/-', value: { name: secret } }];
  const create = [{ op: 'add', path: '/imagePullSecrets', value: [{ name: secret }] }];
  const patch = (ops: unknown) =>
    commandLine(
      'kubectl',
      'patch',
      'serviceaccount',
      serviceAccount,
      ...ns,
      '--type=json',
      '-p',
      JSON.stringify(ops),
    );
  return `${patch(append)} (appends; if the ServiceAccount has no imagePullSecrets yet: ${patch(create)})`;
}
