import { YAMLMap } from 'yaml';
import { itemLines, ResourceList } from '../../src/io/resource-list';
import type { PassThroughFor } from '../../src/io/resource-list';

/**
 * The edges of a ResourceList's output (src/io/resource-list.ts) that the contract tests
 * leave open: edits to an item that is then removed, an insertion at either side of a cut,
 * where an item's lines end (blank lines, comments, deeper lines, indented lists), items
 * of a copying read that the line composer declines and that are parsed alone, and edits
 * beside items copied through.
 */
const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const SA = (name: string) =>
  `- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: ${name}\n`;
const SVC = (name: string) => `- apiVersion: v1\n  kind: Service\n  metadata:\n    name: ${name}\n`;
const copyServices: PassThroughFor = () => (kind) => kind === 'Service';
const label = (list: ResourceList, i: number) =>
  (list.resources[i].node as YAMLMap).setIn(['metadata', 'labels'], { x: 'y' });
const LABELLED = (name: string) => `${SA(name)}    labels:\n      x: y\n`;

describe('remove: what was edited in or beside a removed item', () => {
  test('a label added to the item before a removed one is kept (an insertion at the cut start)', () => {
    const list = ResourceList.parse(`${HEAD}items:\n${SA('a')}${SA('b')}${SA('c')}`);
    label(list, 0);
    list.remove(list.resources[1]);
    expect(list.render([])).toBe(`${HEAD}items:\n${LABELLED('a')}${SA('c')}`);
  });

  test('a label added to a removed item goes with it, not into the item before', () => {
    const list = ResourceList.parse(`${HEAD}items:\n${SA('a')}${SA('b')}${SA('c')}`);
    label(list, 1);
    list.remove(list.resources[1]);
    expect(list.render([])).toBe(`${HEAD}items:\n${SA('a')}${SA('c')}`);
  });

  test('the last item, labelled then removed: nothing of it is left on the item before', () => {
    const list = ResourceList.parse(`${HEAD}items:\n${SA('a')}${SA('b')}`);
    label(list, 1);
    list.remove(list.resources[1]);
    expect(list.render([])).toBe(`${HEAD}items:\n${SA('a')}`);
  });

  test('an item renamed and labelled then removed, the next one renamed', () => {
    const list = ResourceList.parse(`${HEAD}items:\n${SA('a')}${SA('b')}`);
    (list.resources[0].node as YAMLMap).setIn(['metadata', 'name'], 'z');
    label(list, 0);
    (list.resources[1].node as YAMLMap).setIn(['metadata', 'name'], 'c');
    list.remove(list.resources[0]);
    expect(list.render([])).toBe(`${HEAD}items:\n${SA('c')}`);
  });

  test('the last item removed and a resource added: the new one follows the kept items', () => {
    const list = ResourceList.parse(`${HEAD}items:\n${SA('a')}${SA('b')}`);
    list.remove(list.resources[1]);
    list.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } });
    expect(list.render([])).toBe(
      `${HEAD}items:\n${SA('a')}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: n\n`,
    );
  });

  test('an indented list: the removed item and its blank line go, up to the next key', () => {
    const item = (name: string) =>
      `  - apiVersion: v1\n    kind: ServiceAccount\n    metadata:\n      name: ${name}\n\n`;
    const list = ResourceList.parse(
      `${HEAD}items:\n${item('a')}${item('b')}functionConfig:\n  kind: X\n`,
    );
    list.remove(list.resources[1]);
    expect(list.render([])).toBe(`${HEAD}items:\n${item('a')}functionConfig:\n  kind: X\n`);
  });

  test('a flow list rendered whole keeps a head comment inside its item', () => {
    const text = `${HEAD}items: [\n  # head\n  {apiVersion: v1, kind: Service, metadata: {name: a}},\n  {apiVersion: v1, kind: Service, metadata: {name: b}}]\n`;
    const list = ResourceList.parse(text);
    list.remove(list.resources[1]);
    // Inside the `{`, before the first key: where kpt reads it as the item's own comment.
    expect(list.render([])).toBe(
      `${HEAD}items:\n  [\n    {\n        # head\n        apiVersion: v1,\n        kind: Service,\n        metadata: { name: a }\n      }\n  ]\n`,
    );
  });
});

describe('itemLines: where an item ends', () => {
  test('blank lines, deeper lines and comments at the dash column belong to the item', () => {
    const text = 'items:\n- a: 1\n\n  b: |\n    x\n\n  c: 2\n# c\n- d: 3\n';
    const afterA = text.indexOf('  b: |') - 1;
    expect(itemLines(text, text.indexOf('a: 1'), afterA)).toEqual([
      text.indexOf('- a'),
      text.indexOf('- d'),
    ]);
  });

  test('an indented list ends at the next dash at its column', () => {
    const text = 'items:\n  - a: 1\n    # deep\n  # at dash\n\n  - b: 2\nnext: x\n';
    expect(itemLines(text, text.indexOf('a: 1'), text.indexOf('    # deep'))).toEqual([
      text.indexOf('  - a'),
      text.indexOf('  - b'),
    ]);
  });

  test('the last item of an indented list: a blank line, then the next key', () => {
    const text = 'items:\n  - a: 1\n\nnext: x\n';
    expect(itemLines(text, text.indexOf('a: 1'), text.indexOf('\n\n') + 1)).toEqual([
      text.indexOf('  - a'),
      text.indexOf('next'),
    ]);
  });

  test('a comment on the line of the dash', () => {
    const text = 'items:\n- # c\n  a: 1\n- b: 2\n';
    expect(itemLines(text, text.indexOf('a: 1'), text.indexOf('- b'))).toEqual([
      text.indexOf('- #'),
      text.indexOf('- b'),
    ]);
  });

  test('no dash up to the start of the text: undefined', () => {
    expect(itemLines('  a: 1\n', 2, 7)).toBeUndefined();
    const text = '# c\n  a: 1\n';
    expect(itemLines(text, text.indexOf('a: 1'), text.length)).toBeUndefined();
  });

  test('a key line between the item and the dash above: undefined', () => {
    const text = 'items:\n- b: 1\nx: 1\n  a: 1\n';
    expect(itemLines(text, text.indexOf('a: 1'), text.length)).toBeUndefined();
  });
});

describe('parseCopying: items the line composer declines are parsed alone', () => {
  test('flow metadata: parsed, read, located at its own line', () => {
    const text = `${HEAD}items:\n${SVC('s')}- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a, labels: {x: "y"}}\n${SVC('t')}`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(2);
    expect(list.resources.map((r) => [r.name, r.labels()])).toEqual([['a', { x: 'y' }]]);
    expect(list.resources[0].result('info', 'm').tags).toEqual({ line: '8', column: '3' });
    expect(list.render([])).toBe(text);
  });

  test('an alias to an anchor in the same item is expanded', () => {
    const text = `${HEAD}items:\n${SVC('s')}- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: &n a\n    labels:\n      x: *n\n`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(1);
    expect(list.resources.map((r) => [r.name, r.labels()])).toEqual([['a', { x: 'a' }]]);
    // As kpt hands items over, and as the whole list read by parse renders it.
    const expanded = text.replace('x: *n', 'x: a');
    expect(list.render([])).toBe(expanded);
    expect(ResourceList.parse(text).render([])).toBe(expanded);
  });

  test.each([
    [
      'an alias to another item’s anchor',
      `- apiVersion: v1\n  kind: Service\n  metadata:\n    name: &n s\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: *n\n`,
    ],
    [
      'a duplicate key inside an item',
      `${SVC('s')}- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: a\n    name: b\n`,
    ],
    [
      'an unclosed quote inside an item',
      `${SVC('s')}- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: "a\n`,
    ],
  ])('%s: undefined (the whole list reports it)', (_, items) => {
    expect(ResourceList.parseCopying(`${HEAD}items:\n${items}`, copyServices)).toBeUndefined();
  });

  test('a label inserted in a parsed item just before a copied one is rendered', () => {
    const text = `${HEAD}items:\n${SA('a')}${SVC('s')}`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(1);
    label(list, 0);
    expect(list.render([])).toBe(`${HEAD}items:\n${LABELLED('a')}${SVC('s')}`);
  });
});

describe('parseCopying: invalid items and indented lists', () => {
  test('no invalid item: none reported; an item that is no KRM object: its index', () => {
    const plain = `${HEAD}items:\n${SVC('s')}${SA('a')}`;
    expect(ResourceList.parseCopying(plain, copyServices)!.invalidItems).toEqual([]);
    const list = ResourceList.parseCopying(
      `${HEAD}items:\n${SVC('s')}- x: 1\n${SA('a')}`,
      copyServices,
    )!;
    expect(list.invalidItems).toEqual([1]);
    expect(list.resources.map((r) => r.name)).toEqual(['a']);
  });

  test('items at column 2: copied ones kept, a parsed one edited and one added', () => {
    const indent = (item: string) => item.replace(/^(?=.)/gm, '  ');
    const text = `${HEAD}items:\n${indent(SVC('s'))}${indent(SA('a'))}${indent(SVC('t'))}functionConfig:\n  kind: X\n`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(2);
    label(list, 0);
    list.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } });
    expect(list.render([{ severity: 'info', message: 'm' }])).toBe(
      `${HEAD}items:\n${indent(SVC('s'))}${indent(LABELLED('a'))}${indent(SVC('t'))}` +
        `  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: n\n` +
        `functionConfig:\n  kind: X\nresults:\n- message: m\n  severity: info\n`,
    );
  });
});

describe('add: the next index of a file', () => {
  const PATH = 'internal.config.kubernetes.io/path';
  const INDEX = 'internal.config.kubernetes.io/index';
  const LEGACY_PATH = 'config.kubernetes.io/path';
  const LEGACY_INDEX = 'config.kubernetes.io/index';
  const annotated = (entries: Record<string, string>) =>
    `${SA('a')}    annotations:\n${Object.entries(entries)
      .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`)
      .join('')}`;
  test.each([
    [
      'the legacy spelling only',
      { [LEGACY_PATH]: 'b.yaml', [LEGACY_INDEX]: '5' },
      { [LEGACY_PATH]: 'b.yaml', [LEGACY_INDEX]: '6' },
    ],
    ['index 0', { [PATH]: 'x.yaml', [INDEX]: '0' }, { [PATH]: 'x.yaml', [INDEX]: '1' }],
    ['index 12', { [PATH]: 'x.yaml', [INDEX]: '12' }, { [PATH]: 'x.yaml', [INDEX]: '13' }],
    [
      'index a1 (no number)',
      { [PATH]: 'x.yaml', [INDEX]: 'a1' },
      { [PATH]: 'x.yaml', [INDEX]: '0' },
    ],
    [
      'index 1a (no number)',
      { [PATH]: 'x.yaml', [INDEX]: '1a' },
      { [PATH]: 'x.yaml', [INDEX]: '0' },
    ],
  ])('%s', (_, entries, expected) => {
    const list = ResourceList.parse(`${HEAD}items:\n${annotated(entries)}`);
    const added = list.add(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } },
      list.resources[0],
    );
    expect(added.annotations()).toEqual(expected);
  });

  test('an index of two digits is where the resource comes from', () => {
    const list = ResourceList.parse(
      `${HEAD}items:\n${annotated({ [PATH]: 'x.yaml', [INDEX]: '12' })}`,
    );
    expect(list.resources[0].origin.index).toBe(12);
  });
});

describe('a list rendered whole: head comments of items that are no resource', () => {
  test('a scalar item and an empty map with comments keep them above the item', () => {
    const text = `${HEAD}items: [\n  # on a scalar\n  plain,\n  # on an empty map\n  {},\n  {apiVersion: v1, kind: Service, metadata: {name: b}}]\n`;
    const list = ResourceList.parse(text);
    expect(list.invalidItems).toEqual([0, 1]);
    list.remove(list.resources[0]);
    expect(list.render([])).toBe(
      `${HEAD}items:\n  [\n    # on a scalar\n    plain,\n    # on an empty map\n    {}\n  ]\n`,
    );
  });
});

describe('parseCopying: placement annotations that are no string', () => {
  test('an item of a copied kind whose index is a number is parsed, and read', () => {
    const text = `${HEAD}items:\n${SVC('s')}    annotations:\n      config.kubernetes.io/path: x.yaml\n      config.kubernetes.io/index: 3\n${SA('a')}`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(0);
    expect(list.resources.map((r) => [r.kind, r.name, r.origin.path, r.origin.index])).toEqual([
      ['Service', 's', 'x.yaml', 3],
      ['ServiceAccount', 'a', undefined, 1],
    ]);
    expect(list.render([])).toBe(text);
  });
});
