import { parseDocument } from 'yaml';
import { isListWrapper, listItems, listMembers } from '../../src/krm/list';
import { isCredentialName, isSensitiveValue } from '../../src/krm/sensitive';

/**
 * Which documents are `kind: List` wrappers and which of their items are resources
 * (src/krm/list.ts); which fields may hold a credential, so that messages never quote
 * them (src/krm/sensitive.ts).
 */
const contents = (text: string) => parseDocument(text).contents;

describe('isListWrapper', () => {
  test.each([
    ['a v1 List with items', 'apiVersion: v1\nkind: List\nitems: []\n', true],
    ['a v1 List with items in block style', 'apiVersion: v1\nkind: List\nitems:\n- a\n', true],
    ['a v1 List with no items', 'apiVersion: v1\nkind: List\n', false],
    ['a v1 List whose items are a map', 'apiVersion: v1\nkind: List\nitems: {}\n', false],
    ['a v1 List whose items are a string', 'apiVersion: v1\nkind: List\nitems: x\n', false],
    ['a List of another apiVersion', 'apiVersion: v2\nkind: List\nitems: []\n', false],
    ['a List of a group', 'apiVersion: apps/v1\nkind: List\nitems: []\n', false],
    ['an API read type', 'apiVersion: v1\nkind: DeploymentList\nitems: []\n', false],
    ['another v1 kind with items', 'apiVersion: v1\nkind: ConfigMap\nitems: []\n', false],
    [
      'another kind and version with items',
      'apiVersion: apps/v1\nkind: Deployment\nitems: []\n',
      false,
    ],
    ['kind List with no apiVersion', 'kind: List\nitems: []\n', false],
    ['apiVersion v1 with no kind', 'apiVersion: v1\nitems: []\n', false],
    ['a non-string kind', 'apiVersion: v1\nkind: [List]\nitems: []\n', false],
    ['a sequence', '- apiVersion: v1\n  kind: List\n', false],
    ['a scalar', 'List\n', false],
    ['an empty document', '', false],
  ])('%s', (_, text, expected) => {
    expect(isListWrapper(contents(text))).toBe(expected);
  });

  test('no node at all is no List', () => {
    expect(isListWrapper(null)).toBe(false);
    expect(isListWrapper(undefined)).toBe(false);
  });
});

describe('listItems and listMembers', () => {
  const list = contents(`apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: a}
- just a string
- name: not a resource
- apiVersion: v1
  kind: [not, a, string]
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: b}
- - nested
`);

  test('listItems is the items node itself, every item in it', () => {
    if (!isListWrapper(list)) throw new Error('the fixture is a List');
    const items = listItems(list);
    expect(items).toBe(list.get('items', true));
    expect(items.items).toHaveLength(6);
  });

  test('listMembers are the KRM objects only, in order', () => {
    if (!isListWrapper(list)) throw new Error('the fixture is a List');
    const members = listMembers(list);
    expect(
      members.map((m) => `${String(m.get('kind'))}/${String(m.getIn(['metadata', 'name']))}`),
    ).toEqual(['Service/a', 'Deployment/b']);
    const items = listItems(list).items;
    expect(members[0]).toBe(items[0]);
    expect(members[1]).toBe(items[4]);
  });
});

describe('isSensitiveValue', () => {
  test.each([
    ['anything in a Secret', 'Secret', ['metadata', 'name']],
    ['a Secret with no path', 'Secret', []],
    ['env', 'Deployment', ['spec', 'template', 'spec', 'containers', '0', 'env', '0', 'value']],
    ['envFrom', 'Deployment', ['spec', 'envFrom']],
    ['data', 'ConfigMap', ['data', 'x']],
    ['stringData', 'Unknown', ['stringData']],
    ['binaryData', 'ConfigMap', ['binaryData', 'blob']],
    ['annotations', 'Service', ['metadata', 'annotations', 'x']],
    ['password', 'ConfigMap', ['spec', 'password']],
    ['passwd', undefined, ['passwd']],
    ['passphrase', undefined, ['passphrase']],
    ['pass alone', undefined, ['dbpass']],
    ['secret', undefined, ['clientSecret']],
    ['token', undefined, ['bearerToken']],
    ['credential', undefined, ['awsCredentials']],
    ['apikey', undefined, ['apikey']],
    ['api-keys', undefined, ['api-keys']],
    ['api_keys', undefined, ['api_keys']],
    ['privatekey', undefined, ['privatekey']],
    ['private-keys', undefined, ['private-keys']],
    ['private_keys', undefined, ['private_keys']],
    ['key as a word', undefined, ['tls.key']],
    ['_key', undefined, ['ssh_keyfile']],
    ['auth', undefined, ['basicAuth']],
    ['cert', undefined, ['caCert']],
    ['upper case', undefined, ['PASSWORD']],
    ['a sensitive segment after plain ones', 'Deployment', ['spec', 'replicas', 'token']],
  ])('%s', (_, kind, segments) => {
    expect(isSensitiveValue(kind, segments)).toBe(true);
  });

  test.each([
    ['no path', 'ConfigMap', []],
    ['plain fields', 'Deployment', ['spec', 'replicas']],
    ['image', 'Deployment', ['spec', 'template', 'spec', 'containers', '0', 'image']],
    ['a word holding key', 'Deployment', ['keyboard', 'monkey', 'keys']],
    ['a kind that only sounds secret', 'SecretStore', ['spec', 'provider']],
    ['no kind', undefined, ['metadata', 'name']],
    ['an empty kind', '', ['metadata', 'labels']],
  ])('not %s', (_, kind, segments) => {
    expect(isSensitiveValue(kind, segments)).toBe(false);
  });
});

describe('isCredentialName', () => {
  test.each([
    ['AWS_SECRET_ACCESS_KEY', true],
    ['DB_PASSWORD', true],
    ['GITHUB_TOKEN', true],
    ['API_KEY', true],
    ['PATH', false],
    ['HOME', false],
    ['JAVA_OPTS', false],
    ['KEYCLOAK_URL', false],
  ])('%s: %s', (name, expected) => {
    expect(isCredentialName(name)).toBe(expected);
  });
});
