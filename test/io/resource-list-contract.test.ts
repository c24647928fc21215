import { SourceError } from '../../src/errors';
import { itemLines, ResourceList } from '../../src/io/resource-list';
import type { PassThroughFor } from '../../src/io/resource-list';
import type { Resource } from '../../src/krm/resource';

/**
 * A ResourceList as a KRM function reads and writes it (src/io/resource-list.ts): what is
 * refused and where, which items are resources, where a new resource goes (its List, its
 * file, after that file's last index), what a removal cuts, and the output bytes: items
 * nobody changed copied from the input, results in the spec's shape.
 */
function located(fn: () => unknown): { reason: string; location: object } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { reason: error.reason, location: error.location };
  }
  throw new Error('expected a SourceError');
}

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const SA = (name: string, annotations = '') =>
  `- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: ${name}\n${annotations}`;
const anno = (entries: Record<string, string>) =>
  `    annotations:\n${Object.entries(entries)
    .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`)
    .join('')}`;
const PATH = 'internal.config.kubernetes.io/path';
const INDEX = 'internal.config.kubernetes.io/index';
const LEGACY_PATH = 'config.kubernetes.io/path';
const LEGACY_INDEX = 'config.kubernetes.io/index';

describe('ResourceList.parse: what is refused, located', () => {
  test.each([
    ['another kind', 'apiVersion: v1\nkind: List\nitems: []\n'],
    ['no kind', 'apiVersion: config.kubernetes.io/v1\nitems: []\n'],
    ['a list', '- kind: ResourceList\n'],
    ['a scalar', 'ResourceList\n'],
    ['nothing', ''],
  ])('%s: not a ResourceList', (_, text) => {
    expect(located(() => ResourceList.parse(text, 'in.yaml'))).toEqual({
      reason: 'expected a ResourceList (kind: ResourceList)',
      location: { path: 'in.yaml', line: 1, column: 1 },
    });
  });

  test.each([
    ['config.kubernetes.io/v2', '"config.kubernetes.io/v2"'],
    ['v1', '"v1"'],
    ['1', '1'],
  ])('apiVersion %s is refused', (apiVersion, shown) => {
    expect(
      located(() => ResourceList.parse(`apiVersion: ${apiVersion}\nkind: ResourceList\n`)),
    ).toEqual({
      reason: `unsupported ResourceList apiVersion ${shown}`,
      location: { path: '<stdin>', line: 1, column: 1 },
    });
  });

  test('no apiVersion is refused, as undefined', () => {
    expect(located(() => ResourceList.parse('kind: ResourceList\n')).reason).toBe(
      'unsupported ResourceList apiVersion undefined',
    );
  });

  test.each(['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1'])(
    'apiVersion %s is read',
    (v) => {
      const list = ResourceList.parse(`apiVersion: ${v}\nkind: ResourceList\nitems: []\n`);
      expect(list.resources).toEqual([]);
    },
  );

  test.each([
    ['a map', 'items: {a: b}\n'],
    ['a string', 'items: x\n'],
  ])('items that are %s', (_, items) => {
    expect(located(() => ResourceList.parse(HEAD + items, 'in.yaml'))).toEqual({
      reason: 'ResourceList items must be a list',
      location: { path: 'in.yaml' },
    });
  });

  test('a YAML error is located at its line', () => {
    const error = located(() => ResourceList.parse(`${HEAD}items:\n- a: 1\n  a: 2\n`, 'in.yaml'));
    expect(error.location).toMatchObject({ path: 'in.yaml', line: 5 });
  });

  test('an alias is expanded as kpt hands items over; an unknown one is a located error', () => {
    const list = ResourceList.parse(
      `${HEAD}items:\n- &sa\n  apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n- *sa\n`,
    );
    expect(list.resources.map((r) => r.name)).toEqual(['a', 'a']);
    expect(list.resources[0].node).not.toBe(list.resources[1].node);
    const error = located(() => ResourceList.parse(`${HEAD}items:\n- *nowhere\n`, 'in.yaml'));
    expect(error.location).toMatchObject({ path: 'in.yaml' });
  });
});

describe('ResourceList.parse: items', () => {
  test.each([
    ['no items', HEAD],
    ['items with no value', `${HEAD}items:\n`],
    ['items: null', `${HEAD}items: null\n`],
    ['items: ~', `${HEAD}items: ~\n`],
  ])('%s: an empty list, rendered as items: []', (_, text) => {
    const list = ResourceList.parse(text);
    expect(list.resources).toEqual([]);
    expect(list.items.items).toEqual([]);
    expect(list.render([])).toBe(`${HEAD}items: []\n`);
  });

  test('items that are not KRM objects are counted by index and kept', () => {
    const text = `${HEAD}items:\n- just text\n${SA('a')}- {kind: NoVersion}\n- [a]\n`;
    const list = ResourceList.parse(text);
    expect(list.invalidItems).toEqual([0, 2, 3]);
    expect(list.resources.map((r) => r.name)).toEqual(['a']);
    expect(list.render([])).toBe(text);
  });

  test('the members of a v1 List are resources; its other items are not', () => {
    const text = `${HEAD}items:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: s}\n  - text\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n`;
    const list = ResourceList.parse(text);
    expect(list.resources.map((r) => `${r.kind}/${r.name}`)).toEqual(['Service/s', 'ConfigMap/c']);
    expect(list.invalidItems).toEqual([]);
  });

  test('functionConfig: a map is its plain value; anything else is none', () => {
    expect(
      ResourceList.parse(`${HEAD}items: []\nfunctionConfig:\n  kind: SetFsGroup\n  fsGroup: 1\n`)
        .functionConfig,
    ).toEqual({
      kind: 'SetFsGroup',
      fsGroup: 1,
    });
    expect(
      ResourceList.parse(`${HEAD}items: []\nfunctionConfig: [a]\n`).functionConfig,
    ).toBeUndefined();
    expect(ResourceList.parse(`${HEAD}items: []\n`).functionConfig).toBeUndefined();
  });
});

describe('where a resource comes from', () => {
  const origin = (r: Resource) => ({
    path: r.origin.path,
    index: r.origin.index,
    lines: r.origin.lineCounter !== undefined,
  });

  test.each([
    [
      'the internal annotations',
      { [PATH]: 'a/x.yaml', [INDEX]: '2' },
      { path: 'a/x.yaml', index: 2, lines: false },
    ],
    [
      'the legacy annotations',
      { [LEGACY_PATH]: 'b.yaml', [LEGACY_INDEX]: '0' },
      { path: 'b.yaml', index: 0, lines: false },
    ],
    [
      'both: the internal ones first',
      { [LEGACY_PATH]: 'old.yaml', [PATH]: 'new.yaml', [LEGACY_INDEX]: '1', [INDEX]: '3' },
      { path: 'new.yaml', index: 3, lines: false },
    ],
    [
      'a path and no index',
      { [PATH]: 'x.yaml' },
      { path: 'x.yaml', index: undefined, lines: false },
    ],
    [
      'an index that is no number',
      { [PATH]: 'x.yaml', [INDEX]: '1a' },
      { path: 'x.yaml', index: undefined, lines: false },
    ],
    [
      'a negative index',
      { [PATH]: 'x.yaml', [INDEX]: '-1' },
      { path: 'x.yaml', index: undefined, lines: false },
    ],
    [
      'an unreadable internal index, a legacy one',
      { [PATH]: 'x.yaml', [INDEX]: 'x', [LEGACY_INDEX]: '4' },
      { path: 'x.yaml', index: 4, lines: false },
    ],
    [
      'no path: the item index and its lines',
      { [INDEX]: '7' },
      { path: undefined, index: 1, lines: true },
    ],
    ['no annotations', {}, { path: undefined, index: 1, lines: true }],
  ])('%s', (_, annotations, expected) => {
    const text = `${HEAD}items:\n${SA('first')}${SA('a', Object.keys(annotations).length ? anno(annotations) : '')}`;
    const list = ResourceList.parse(text);
    expect(origin(list.resources[1])).toEqual(expected);
  });

  test('a path that is no string is no path; an index written as a number is read', () => {
    const text = `${HEAD}items:\n${SA('first')}- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: a\n    annotations:\n      ${PATH}: 12\n      ${LEGACY_PATH}: real.yaml\n      ${INDEX}: 5\n`;
    const list = ResourceList.parse(text);
    expect(origin(list.resources[1])).toEqual({ path: 'real.yaml', index: 5, lines: false });
  });

  test('annotations that are no map: the item index and its lines', () => {
    const text = `${HEAD}items:\n${SA('first')}- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: a\n    annotations: [x]\n`;
    const list = ResourceList.parse(text);
    expect(origin(list.resources[1])).toEqual({ path: undefined, index: 1, lines: true });
    // The line of the item in the list itself.
    expect(list.resources[1].result('info', 'm').tags).toEqual({ line: '8', column: '3' });
  });
});

describe('add', () => {
  test('near a resource with path annotations: the same file, after its last index', () => {
    const text = `${HEAD}items:\n${SA('a', anno({ [PATH]: 'x.yaml', [INDEX]: '0' }))}${SA('b', anno({ [PATH]: 'x.yaml', [INDEX]: '4' }))}${SA('c', anno({ [PATH]: 'y.yaml', [INDEX]: '9' }))}`;
    const list = ResourceList.parse(text);
    const first = list.add(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'n1', annotations: { keep: 'me' } },
      },
      list.resources[0],
    );
    const second = list.add({ apiVersion: 'v1', kind: 'ConfigMap' }, list.resources[1]);
    const third = list.add(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n3' } },
      list.resources[2],
    );
    expect(first.annotations()).toEqual({ keep: 'me', [PATH]: 'x.yaml', [INDEX]: '5' });
    expect(second.annotations()).toEqual({ [PATH]: 'x.yaml', [INDEX]: '6' });
    expect(third.annotations()).toEqual({ [PATH]: 'y.yaml', [INDEX]: '10' });
    expect(first.name).toBe('n1');
    expect([first.changed, first.origin]).toEqual([true, {}]);
    expect(list.resources.slice(3)).toEqual([first, second, third]);
    expect(list.items.items).toHaveLength(6);
  });

  test('both annotation spellings present: both written, each with its index', () => {
    const text = `${HEAD}items:\n${SA('a', anno({ [PATH]: 'x.yaml', [INDEX]: '1', [LEGACY_PATH]: 'x.yaml', [LEGACY_INDEX]: '1' }))}`;
    const list = ResourceList.parse(text);
    const added = list.add(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } },
      list.resources[0],
    );
    expect(added.annotations()).toEqual({
      [PATH]: 'x.yaml',
      [INDEX]: '2',
      [LEGACY_PATH]: 'x.yaml',
      [LEGACY_INDEX]: '2',
    });
  });

  test('only the legacy spelling: only the legacy annotations', () => {
    const text = `${HEAD}items:\n${SA('a', anno({ [LEGACY_PATH]: 'x.yaml' }))}`;
    const list = ResourceList.parse(text);
    const added = list.add(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } },
      list.resources[0],
    );
    expect(added.annotations()).toEqual({ [LEGACY_PATH]: 'x.yaml', [LEGACY_INDEX]: '0' });
  });

  test('the last index of a file counts every spelling and every resource of it', () => {
    const text = `${HEAD}items:\n${SA('a', anno({ [PATH]: 'x.yaml', [INDEX]: '2', [LEGACY_INDEX]: '8' }))}${SA('b', anno({ [LEGACY_PATH]: 'x.yaml', [LEGACY_INDEX]: '3' }))}${SA('c', anno({ [PATH]: 'x.yaml', [INDEX]: 'x' }))}${SA('d', anno({ [PATH]: 'x.yaml' }))}`;
    const list = ResourceList.parse(text);
    const added = list.add(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } },
      list.resources[3],
    );
    expect(added.annotations()[INDEX]).toBe('9');
  });

  test('near a resource with no path, or near none: no placement annotations, at the end', () => {
    const list = ResourceList.parse(`${HEAD}items:\n${SA('a')}`);
    const near = list.add(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } },
      list.resources[0],
    );
    const alone = list.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' } });
    expect(near.annotations()).toEqual({});
    expect(alone.annotations()).toEqual({});
    expect(list.render([])).toBe(
      `${HEAD}items:\n${SA('a')}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: n\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: m\n`,
    );
  });

  test('near a member of a List: into that List, as given', () => {
    const text = `${HEAD}items:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: s\n      annotations: {${PATH}: l.yaml}\n`;
    const list = ResourceList.parse(text);
    const added = list.add(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      list.resources[0],
    );
    expect(added.annotations()).toEqual({});
    expect(list.items.items).toHaveLength(1);
    // A resource created next to one in the List joins the List too.
    list.add({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }, added);
    expect(list.render([])).toBe(
      `${text}  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: c\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: x\n`,
    );
  });
});

describe('remove', () => {
  test('a top-level item: its lines and the comments inside are cut; the rest copied', () => {
    const text = `${HEAD}items:\n${SA('a')}# about b\n${SA('b')}  # inside b\n${SA('c')}functionConfig:\n  x: 1\n`;
    const list = ResourceList.parse(text);
    list.remove(list.resources[1]);
    expect(list.resources.map((r) => r.name)).toEqual(['a', 'c']);
    // A comment above the `-` is kept: it may head what follows as well.
    expect(list.render([])).toBe(
      `${HEAD}items:\n${SA('a')}# about b\n${SA('c')}functionConfig:\n  x: 1\n`,
    );
  });

  test('the last item, before the next key of the list', () => {
    const text = `${HEAD}items:\n${SA('a')}${SA('b')}functionConfig: {x: 1}\n`;
    const list = ResourceList.parse(text);
    list.remove(list.resources[1]);
    expect(list.render([])).toBe(`${HEAD}items:\n${SA('a')}functionConfig: {x: 1}\n`);
  });

  test('two items, removed out of order, and an edit between them', () => {
    const text = `${HEAD}items:\n${SA('a')}${SA('b')}${SA('c')}${SA('d')}`;
    const list = ResourceList.parse(text);
    list.remove(list.resources[3]);
    list.remove(list.resources[0]);
    const b = list.resources[0];
    b.node.setIn(['metadata', 'name'], 'b2');
    b.touch();
    expect(list.render([])).toBe(`${HEAD}items:\n${SA('b2')}${SA('c')}`);
  });

  test('a member of a List leaves the List', () => {
    const text = `${HEAD}items:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: s}\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: t}\n`;
    const list = ResourceList.parse(text);
    list.remove(list.resources[0]);
    expect(list.resources.map((r) => r.name)).toEqual(['t']);
    expect(list.render([])).toBe(
      `${HEAD}items:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: t }\n`,
    );
  });

  test('a resource added then removed leaves no trace; removing it twice is nothing', () => {
    const list = ResourceList.parse(`${HEAD}items:\n${SA('a')}`);
    const added = list.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } });
    list.remove(added);
    list.remove(added);
    expect(list.resources.map((r) => r.name)).toEqual(['a']);
    expect(list.render([])).toBe(`${HEAD}items:\n${SA('a')}`);
  });

  test('a flow-style list: the whole list is rendered (in its style) without the item', () => {
    const text = `${HEAD}items: [{apiVersion: v1, kind: Service, metadata: {name: a}}, {apiVersion: v1, kind: Service, metadata: {name: b}}]\n`;
    const list = ResourceList.parse(text);
    list.remove(list.resources[0]);
    expect(list.render([])).toBe(
      `${HEAD}items: [ { apiVersion: v1, kind: Service, metadata: { name: b } } ]\n`,
    );
  });
});

describe('render', () => {
  const text = `${HEAD}items:\n${SA('a')}results:\n- message: old\n  severity: info\n`;

  test('results replace earlier ones, in the spec shape', () => {
    const list = ResourceList.parse(text);
    const out = list.render([
      {
        severity: 'error',
        message: 'm1',
        resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'a' },
        field: { path: 'spec' },
        file: { path: 'x.yaml', index: 1 },
        tags: { line: '3' },
      },
      { severity: 'info', message: 'm2', tags: {} },
    ]);
    expect(out).toBe(
      `${HEAD}items:\n${SA('a')}results:\n- message: m1\n  severity: error\n  resourceRef:\n    apiVersion: v1\n    kind: ServiceAccount\n    name: a\n  field:\n    path: spec\n  file:\n    path: x.yaml\n    index: 1\n  tags:\n    line: "3"\n- message: m2\n  severity: info\n`,
    );
  });

  test('no results: earlier ones are removed', () => {
    expect(ResourceList.parse(text).render([])).toBe(`${HEAD}items:\n${SA('a')}`);
  });

  test('unchanged items are copied byte for byte, comments and quirks included', () => {
    const quirky = `${HEAD}items:\n# head\n- apiVersion: v1   # trailing\n  kind: 'ServiceAccount'\n  metadata: {name: "a"}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n  data:\n    k: |\n      text\n`;
    expect(ResourceList.parse(quirky).render([])).toBe(quirky);
  });

  test("a file's head comment stays inside its item when the list is rendered whole", () => {
    const flow = `${HEAD}items:\n- # head of x.yaml\n  apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n`;
    const list = ResourceList.parse(flow);
    // A removal the source shape cannot cut renders the list whole.
    const added = list.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } });
    expect(list.render([])).toBe(
      `${flow}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: n\n`,
    );
    list.remove(added);
    expect(list.render([])).toBe(flow);
  });
});

describe('itemLines', () => {
  const text = 'items:\n- a: 1\n  b: 2\n# c\n- c: 3\nnext: x\n';
  test('from the line of the - to the next item', () => {
    const start = text.indexOf('a: 1');
    expect(itemLines(text, start, text.indexOf('# c'))).toEqual([
      text.indexOf('- a'),
      text.indexOf('# c') + 4,
    ]);
  });
  test('the last item ends at the next key of the list', () => {
    const start = text.indexOf('c: 3');
    expect(itemLines(text, start, text.indexOf('next'))).toEqual([
      text.indexOf('- c'),
      text.indexOf('next'),
    ]);
  });
  test('the last item of the text ends at its end', () => {
    const t = 'items:\n- a: 1\n  b: 2\n';
    expect(itemLines(t, t.indexOf('a: 1'), t.length)).toEqual([7, t.length]);
  });
  test('comment lines between the - and the first key belong to the item', () => {
    const t = 'items:\n-\n  # about\n  a: 1\n- b: 2\n';
    expect(itemLines(t, t.indexOf('a: 1'), t.indexOf('- b'))).toEqual([7, t.indexOf('- b')]);
  });
  test('no - above the item: undefined', () => {
    const t = 'items:\n  a: 1\n';
    expect(itemLines(t, t.indexOf('a: 1'), t.length)).toBeUndefined();
    const u = 'items:\nx: 1\n  a: 1\n';
    expect(itemLines(u, u.indexOf('a: 1'), u.length)).toBeUndefined();
  });
});

describe('ResourceList.parseCopying', () => {
  const copyServices: PassThroughFor = () => (kind) => kind === 'Service';
  const SVC = (name: string, annotations = '') =>
    `- apiVersion: v1\n  kind: Service\n  metadata:\n    name: ${name}\n${annotations}`;

  test('items of kinds the run never reads are copied unparsed; the others are parsed', () => {
    const text = `${HEAD}items:\n${SVC('s')}${SA('a')}${SVC('t')}functionConfig:\n  kind: X\n`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(2);
    expect(list.resources.map((r) => `${r.kind}/${r.name}`)).toEqual(['ServiceAccount/a']);
    expect(list.functionConfig).toEqual({ kind: 'X' });
    expect(list.render([])).toBe(text);
    const sa = list.resources[0];
    expect(sa.result('info', 'm').tags).toEqual({ line: '8', column: '3' });
  });

  test('the functionConfig decides what is copied', () => {
    const seen: unknown[] = [];
    const text = `${HEAD}items:\n${SVC('s')}functionConfig: {kind: Y}\n`;
    ResourceList.parseCopying(text, (config) => {
      seen.push(config);
      return () => true;
    });
    expect(seen).toEqual([{ kind: 'Y' }]);
    expect(
      ResourceList.parseCopying(
        `${HEAD}items:\n${SVC('s')}functionConfig: [a]\n`,
        (c) => (seen.push(c), undefined),
      ),
    ).toBeUndefined();
    expect(seen).toEqual([{ kind: 'Y' }, undefined]);
  });

  test.each([
    [
      'a function that reads every kind',
      `${HEAD}items:\n${SVC('s')}`,
      (() => undefined) as PassThroughFor,
    ],
    [
      'a flow list',
      `${HEAD}items: [{apiVersion: v1, kind: Service, metadata: {name: s}}]\n`,
      copyServices,
    ],
    [
      'another kind of list',
      `apiVersion: config.kubernetes.io/v1\nkind: List\nitems:\n${SVC('s')}`,
      copyServices,
    ],
    [
      'an unknown apiVersion',
      `apiVersion: v9\nkind: ResourceList\nitems:\n${SVC('s')}`,
      copyServices,
    ],
    ['no apiVersion', `kind: ResourceList\nitems:\n${SVC('s')}`, copyServices],
    ['an error in the list keys', `${HEAD}items:\n${SVC('s')}kind: again\n`, copyServices],
    [
      'an alias in the list keys',
      `${HEAD}items:\n${SVC('s')}functionConfig: &c {a: 1}\nx: *c\n`,
      copyServices,
    ],
    [
      'a parsed item that does not parse alone',
      `${HEAD}items:\n${SA('a')}  metadata: {name: b}\n`,
      copyServices,
    ],
  ])('%s: undefined (the list is read whole)', (_, text, passThroughFor) => {
    expect(ResourceList.parseCopying(text, passThroughFor)).toBeUndefined();
  });

  test('a copied item with path annotations places new resources after it', () => {
    const text = `${HEAD}items:\n${SVC('s', anno({ [PATH]: 'x.yaml', [INDEX]: '3' }))}${SA('a', anno({ [PATH]: 'x.yaml', [INDEX]: '1' }))}`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(1);
    const added = list.add(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } },
      list.resources[0],
    );
    expect(added.annotations()).toEqual({ [PATH]: 'x.yaml', [INDEX]: '4' });
    expect(list.render([])).toBe(
      `${text}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: n\n    annotations:\n      ${PATH}: x.yaml\n      ${INDEX}: "4"\n`,
    );
  });

  test('a parsed item removed beside a copied one: its lines cut, the copied one kept', () => {
    const text = `${HEAD}items:\n${SA('a')}${SVC('s')}`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(1);
    list.remove(list.resources[0]);
    // The cut of the parsed item is fine, and the copied one stays.
    expect(list.render([])).toBe(`${HEAD}items:\n${SVC('s')}`);
  });

  test('results with copied items are written after them', () => {
    const text = `${HEAD}items:\n${SVC('s')}`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.render([{ severity: 'info', message: 'm' }])).toBe(
      `${text}results:\n- message: m\n  severity: info\n`,
    );
  });

  test('an edit that would render the copied items again: undefined (the list is read whole)', () => {
    const text = `${HEAD}items:\n${SA('a')}${SVC('s')}`;
    const list = ResourceList.parseCopying(text, copyServices)!;
    expect(list.copiedItems).toBe(1);
    list.items.flow = true;
    expect(list.render([])).toBeUndefined();
  });
});
