import { Document, parseDocument, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import {
  appendValue,
  child,
  ensureMap,
  ensureSeq,
  FieldTypeError,
  indexByName,
  leniently,
  mapItems,
  plainValueAt,
  readInteger,
  readMap,
  readScalar,
  readSeq,
  readString,
  setScalar,
  valueAt,
} from '../../src/yaml/edit';
import type { NodeOwner } from '../../src/yaml/edit';

/**
 * The field helpers every transform edits through (src/yaml/edit.ts): what each read
 * returns for each kind of value found, the exact type error (field, expected, the kind
 * found and never the value), and when an edit marks its owner changed.
 */
const SOURCE = [
  'map: {a: 1}',
  'emptyFlowMap: {}',
  'list: [x]',
  'emptyFlowList: []',
  'text: secret-value',
  'quotedNumber: "2000"',
  'number: 2000',
  'float: 1.5',
  'yes: true',
  'nothing: null',
  'tilde: ~',
  'empty:',
  'tagged: !!binary aGVsbG8=',
  'items:',
  '- name: a',
  '- name: b',
  '- plain',
].join('\n');

function fixture(): {
  doc: Document.Parsed;
  root: YAMLMap;
  owner: NodeOwner & { touched: number };
} {
  const doc = parseDocument(`${SOURCE}\n`);
  const owner = {
    doc,
    touched: 0,
    touch() {
      this.touched++;
    },
  };
  return { doc, root: doc.contents as YAMLMap, owner };
}

function thrown(fn: () => unknown): {
  name: string;
  message: string;
  reason: string;
  field: string;
} {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FieldTypeError);
    const e = error as FieldTypeError;
    return { name: e.name, message: e.message, reason: e.reason, field: e.field };
  }
  throw new Error('no error');
}

describe('reads', () => {
  test('child: a null or missing value is undefined, anything else its node', () => {
    const { root } = fixture();
    for (const key of ['nothing', 'tilde', 'empty', 'missing'])
      expect(child(root, key)).toBe(undefined);
    expect(child(root, 'text')).toBeInstanceOf(Scalar);
    expect(child(root, 'map')).toBeInstanceOf(YAMLMap);
    expect(child(root, 'number')).toBe(root.get('number', true));
  });

  test('valueAt: string keys and scalar keys; a pair without a value is undefined', () => {
    const map = new YAMLMap();
    map.items.push({ key: 'plain', value: 'v' } as never);
    map.items.push({ key: new Scalar('scalar'), value: new Scalar(1) } as never);
    map.items.push({ key: 'none', value: null } as never);
    map.items.push({ key: new Scalar(3), value: 'three' } as never);
    expect(valueAt(map, 'plain')).toBe('v');
    expect((valueAt(map, 'scalar') as Scalar).value).toBe(1);
    expect(valueAt(map, 'none')).toBeUndefined();
    expect(valueAt(map, '3')).toBeUndefined();
    expect(valueAt(map, 'missing')).toBeUndefined();
  });

  test('valueAt: the first of two equal keys', () => {
    const doc = parseDocument('a: 1\na: 2\n', { uniqueKeys: false });
    expect((valueAt(doc.contents as YAMLMap, 'a') as Scalar).value).toBe(1);
  });

  test('plainValueAt: a scalar value, or the node', () => {
    const { root } = fixture();
    expect(plainValueAt(root, 'number')).toBe(2000);
    expect(plainValueAt(root, 'nothing')).toBeNull();
    expect(plainValueAt(root, 'map')).toBe(root.get('map', true));
    expect(plainValueAt(root, 'missing')).toBeUndefined();
  });

  test('each read returns its kind, undefined for null or missing', () => {
    const { root } = fixture();
    expect(readMap(root, 'map', 'f')).toBe(root.get('map', true));
    expect(readSeq(root, 'list', 'f')).toBe(root.get('list', true));
    expect(readScalar(root, 'text', 'f')).toBe('secret-value');
    expect(readScalar(root, 'yes', 'f')).toBe(true);
    expect(readString(root, 'quotedNumber', 'f')).toBe('2000');
    expect(readInteger(root, 'number', 'f')).toBe(2000);
    for (const key of ['nothing', 'empty', 'missing']) {
      expect(readMap(root, key, 'f')).toBeUndefined();
      expect(readSeq(root, key, 'f')).toBeUndefined();
      expect(readScalar(root, key, 'f')).toBeUndefined();
      expect(readString(root, key, 'f')).toBeUndefined();
      expect(readInteger(root, key, 'f')).toBeUndefined();
    }
  });

  test.each([
    ['readMap', 'list', 'expected a map, found a list'],
    ['readMap', 'text', 'expected a map, found string'],
    ['readSeq', 'map', 'expected a list, found a map'],
    ['readSeq', 'number', 'expected a list, found number'],
    ['readScalar', 'map', 'expected a scalar, found a map'],
    ['readScalar', 'list', 'expected a scalar, found a list'],
    ['readString', 'number', 'expected a string, found number'],
    ['readString', 'yes', 'expected a string, found boolean'],
    ['readString', 'map', 'expected a string, found a map'],
    ['readInteger', 'float', 'expected an integer, found number'],
    ['readInteger', 'quotedNumber', 'expected an integer, found string'],
    ['readInteger', 'text', 'expected an integer, found string'],
    ['readInteger', 'list', 'expected a scalar, found a list'],
  ] as const)('%s of %s: %s, naming the field', (read, key, reason) => {
    const { root } = fixture();
    const fns = { readMap, readSeq, readScalar, readString, readInteger };
    const e = thrown(() => fns[read](root, key, `spec.${key}`));
    expect(e).toEqual({
      name: 'FieldTypeError',
      field: `spec.${key}`,
      reason,
      message: `spec.${key}: ${reason}`,
    });
    expect(e.message).not.toContain('secret-value');
  });

  test('the kind found: null and nothing are told apart', () => {
    expect(new FieldTypeError('f', 'a map', new Scalar(null)).reason).toBe(
      'expected a map, found null',
    );
    expect(new FieldTypeError('f', 'a map', undefined).message).toBe(
      'f: expected a map, found nothing',
    );
    expect(new FieldTypeError('f', 'a map', new YAMLSeq()).expected).toBe('a map');
    expect(new FieldTypeError('f', 'a map', new YAMLSeq()).node).toBeInstanceOf(YAMLSeq);
  });

  test('mapItems: the maps of a list, a type error naming the index otherwise', () => {
    const { root } = fixture();
    expect(mapItems(undefined, 'f')).toEqual([]);
    const seq = root.get('items', true) as unknown as YAMLSeq;
    expect(thrown(() => mapItems(seq, 'spec.items'))).toEqual({
      name: 'FieldTypeError',
      field: 'spec.items[2]',
      reason: 'expected a map, found string',
      message: 'spec.items[2]: expected a map, found string',
    });
    seq.items.pop();
    expect(mapItems(seq, 'spec.items')).toEqual(seq.items);
    expect(indexByName(mapItems(seq, 'f'), 'b')).toBe(1);
    expect(indexByName(mapItems(seq, 'f'), 'c')).toBe(-1);
  });

  test('leniently: the fallback for a type error only', () => {
    const { root } = fixture();
    expect(leniently(() => readMap(root, 'list', 'f'), 'fallback' as unknown)).toBe('fallback');
    expect(leniently(() => 'value', 'fallback')).toBe('value');
    expect(() =>
      leniently(() => {
        throw new RangeError('other');
      }, 'fallback'),
    ).toThrow('other');
  });
});

describe('edits', () => {
  test('ensureMap / ensureSeq: an existing one is returned untouched; an empty flow one turns block', () => {
    const { root, owner, doc } = fixture();
    const map = ensureMap(owner, root, 'map', 'f');
    expect(map).toBe(root.get('map', true));
    expect(map.flow).toBe(true);
    const emptyMap = ensureMap(owner, root, 'emptyFlowMap', 'f');
    expect(emptyMap.flow).toBe(false);
    const list = ensureSeq(owner, root, 'list', 'f');
    expect(list.flow).toBe(true);
    const emptyList = ensureSeq(owner, root, 'emptyFlowList', 'f');
    expect(emptyList.flow).toBe(false);
    expect(owner.touched).toBe(0);
    emptyMap.set('k', 1);
    emptyList.items.push(new Scalar(2));
    expect(doc.toString()).toContain('emptyFlowMap:\n  k: 1\n');
    expect(doc.toString()).toContain('emptyFlowList:\n  - 2\n');
  });

  test('ensureMap / ensureSeq: a missing or null one is created and the owner touched', () => {
    const { root, owner } = fixture();
    const created = ensureMap(owner, root, 'newMap', 'f');
    expect(created).toBeInstanceOf(YAMLMap);
    expect(root.get('newMap', true)).toBe(created);
    expect(owner.touched).toBe(1);
    const seq = ensureSeq(owner, root, 'nothing', 'f');
    expect(seq).toBeInstanceOf(YAMLSeq);
    expect(root.get('nothing', true)).toBe(seq);
    expect(owner.touched).toBe(2);
  });

  test('ensureMap / ensureSeq: a value of another kind is a type error, nothing created', () => {
    const { root, owner } = fixture();
    expect(thrown(() => ensureMap(owner, root, 'list', 'spec.x')).reason).toBe(
      'expected a map, found a list',
    );
    expect(thrown(() => ensureSeq(owner, root, 'map', 'spec.y')).reason).toBe(
      'expected a list, found a map',
    );
    expect(owner.touched).toBe(0);
  });

  test('setScalar: the same value changes nothing and does not touch the owner', () => {
    const { root, owner, doc } = fixture();
    const before = doc.toString();
    expect(setScalar(owner, root, 'number', 2000, 'f')).toBe(false);
    expect(setScalar(owner, root, 'text', 'secret-value', 'f')).toBe(false);
    expect(owner.touched).toBe(0);
    expect(doc.toString()).toBe(before);
  });

  test('setScalar: a new value keeps the node; a new key is added', () => {
    const { root, owner } = fixture();
    const node = root.get('number', true);
    expect(setScalar(owner, root, 'number', 3000, 'f')).toBe(true);
    expect(root.get('number', true)).toBe(node);
    expect(root.get('number')).toBe(3000);
    expect(setScalar(owner, root, 'added', 'v', 'f')).toBe(true);
    expect(root.get('added')).toBe('v');
    expect(setScalar(owner, root, 'nothing', 1, 'f')).toBe(true);
    expect(root.get('nothing')).toBe(1);
    expect(owner.touched).toBe(3);
  });

  test('setScalar: a quoted string set to a number loses its quotes; to a string keeps them', () => {
    const { root, owner, doc } = fixture();
    setScalar(owner, root, 'quotedNumber', 3000, 'f');
    expect(doc.toString()).toContain('\nquotedNumber: 3000\n');
    const other = parseDocument('a: "x"\n');
    const otherOwner = { doc: other, touch() {} };
    setScalar(otherOwner, other.contents as YAMLMap, 'a', 'y', 'f');
    expect(other.toString()).toBe('a: "y"\n');
  });

  test('setScalar: the old tag goes, even for the same value', () => {
    const { root, owner, doc } = fixture();
    const tagged = parseDocument('a: !!str 1\n');
    const taggedOwner = {
      doc: tagged,
      touched: 0,
      touch() {
        this.touched++;
      },
    };
    expect(setScalar(taggedOwner, tagged.contents as YAMLMap, 'a', '1', 'f')).toBe(true);
    expect(tagged.toString()).toBe('a: "1"\n');
    expect(taggedOwner.touched).toBe(1);
    expect(setScalar(owner, root, 'tagged', 2000, 'f')).toBe(true);
    expect(doc.toString()).toContain('\ntagged: 2000\n');
  });

  test('setScalar: a collection is a type error naming the type of the new value', () => {
    const { root, owner } = fixture();
    expect(thrown(() => setScalar(owner, root, 'map', 1, 'spec.fsGroup')).message).toBe(
      'spec.fsGroup: expected a number, found a map',
    );
    expect(thrown(() => setScalar(owner, root, 'list', 'x', 'spec.name')).message).toBe(
      'spec.name: expected a string, found a list',
    );
    expect(owner.touched).toBe(0);
  });

  test('appendValue: plain data as nodes of the document, the owner touched', () => {
    const { root, owner, doc } = fixture();
    const seq = root.get('list', true) as unknown as YAMLSeq;
    const node = appendValue(owner, seq, { name: 'c', n: [1] }) as Node;
    expect(seq.items[seq.items.length - 1]).toBe(node);
    expect(owner.touched).toBe(1);
    expect(doc.toString()).toContain('list: [ x, { name: c, n: [ 1 ] } ]');
  });
});
