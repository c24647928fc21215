import {
  canonicalRegistry,
  formatImageReference,
  imageFromRegistry,
  ImageReferenceError,
  parseImageReference,
  splitRegistry,
  underPrefix,
} from '../../src/image/reference';

/**
 * The reference grammar at its boundaries (distribution/reference's regexp.go and
 * normalize.go: digest, tag, path component, domain, the 255-character name), written
 * as values on each side of each limit, not derived from the product's patterns.
 */
const HEX64 = 'a'.repeat(64);

function rejected(image: string): string {
  try {
    parseImageReference(image);
  } catch (error) {
    expect(error).toBeInstanceOf(ImageReferenceError);
    return (error as Error).message;
  }
  throw new Error(`${image} was accepted`);
}

describe('digests', () => {
  test.each([
    [`sha256:${HEX64}`],
    [`sha256:${'b'.repeat(32)}`],
    [`multihash+base58:${'Q'.repeat(32)}`],
    [`sha256.v2_x-y:${'Z='.repeat(16)}`],
  ])('%s is a digest', (digest) => {
    expect(parseImageReference(`gcr.io/p/app@${digest}`).digest).toBe(digest);
  });

  test.each([
    [`sha256:${'b'.repeat(31)}`, 'too short'],
    [`SHA256:${HEX64}`, 'upper-case algorithm'],
    [`-sha256:${HEX64}`, 'algorithm starting with a separator'],
    [`sha256+:${HEX64}`, 'algorithm ending with a separator'],
    [`sha256:${HEX64}!`, 'a character outside the encoding'],
    [`:${HEX64}`, 'no algorithm'],
  ])('%s is refused (%s)', (digest) => {
    expect(rejected(`gcr.io/p/app@${digest}`)).toBe(`invalid digest in gcr.io/p/app@${digest}`);
  });
});

describe('tags', () => {
  test.each([['v1'], ['_x'], ['1.25-alpine'], ['A'], ['x'.repeat(128)]])('%s is a tag', (tag) => {
    expect(parseImageReference(`gcr.io/p/app:${tag}`).tag).toBe(tag);
  });

  test.each([['.x'], ['-x'], ['x'.repeat(129)], ['a+b'], ['']])('%j is refused', (tag) => {
    expect(rejected(`gcr.io/p/app:${tag}`)).toBe(`invalid tag in gcr.io/p/app:${tag}`);
  });
});

describe('path components', () => {
  test.each([['a'], ['ab'], ['a.b'], ['a_b'], ['a__b'], ['a-b'], ['a--b'], ['a.b-c_d']])(
    '%s is a component',
    (component) => {
      expect(parseImageReference(`gcr.io/p/${component}`).repository).toBe(`p/${component}`);
    },
  );

  test.each([['_a'], ['-a'], ['a_'], ['a-'], ['a___b'], ['a..b'], ['A'], ['a/'], ['a//b']])(
    '%s is refused',
    (component) => {
      expect(rejected(`gcr.io/p/${component}`)).toBe(
        `invalid repository in gcr.io/p/${component}: use lower-case letters, digits and . _ -`,
      );
    },
  );
});

describe('registry hosts', () => {
  test.each([
    ['a.io', 'a.io'],
    ['a-b.c-d.io:5000', 'a-b.c-d.io:5000'],
    ['x.io:1', 'x.io:1'],
    ['[fe80::1]:443', '[fe80::1]:443'],
    ['localhost', 'localhost'],
    ['REGISTRY-1.DOCKER.IO', 'docker.io'],
  ])('%s is the registry %s', (host, registry) => {
    expect(parseImageReference(`${host}/app`)).toMatchObject({
      registry,
      implicitRegistry: false,
    });
  });

  test.each([['-a.io'], ['a-.io'], ['a..io'], ['a.io:123456'], ['[g::1]'], ['a_b.io']])(
    '%s is refused',
    (host) => {
      expect(rejected(`${host}/app`)).toBe(`invalid registry host in ${host}/app`);
    },
  );

  test('a first component without a dot, colon or bracket, other than localhost, is a path', () => {
    expect(parseImageReference('gcr/app')).toMatchObject({
      registry: 'docker.io',
      repository: 'gcr/app',
      implicitRegistry: true,
    });
    // One component alone is never a host, whatever it looks like.
    expect(parseImageReference('localhost').repository).toBe('library/localhost');
    expect(parseImageReference('gcr.io').repository).toBe('library/gcr.io');
  });
});

describe('the whole reference', () => {
  test('surrounding blanks are dropped; blanks inside are refused', () => {
    expect(parseImageReference('  nginx:1 ')).toMatchObject({
      repository: 'library/nginx',
      tag: '1',
    });
    expect(rejected('nginx 1')).toBe('whitespace in image reference nginx 1');
    expect(rejected('   ')).toBe('empty image reference');
  });

  test('the name may be 255 characters, not 256 (the tag does not count)', () => {
    const name = (n: number) => `gcr.io/${'a'.repeat(n - 'gcr.io/'.length)}`;
    expect(parseImageReference(`${name(255)}:${'t'.repeat(100)}`).repository).toHaveLength(248);
    expect(rejected(name(256))).toBe(`image name longer than 255 characters: ${name(256)}`);
  });

  test('a digest alone, with no name, is no repository', () => {
    const image = `@sha256:${HEX64}`;
    expect(rejected(image)).toBe(
      `invalid repository in ${image}: use lower-case letters, digits and . _ -`,
    );
  });

  test('a digest that is not one, with no name: the digest is what is wrong', () => {
    expect(rejected('@sha256:abc')).toBe('invalid digest in @sha256:abc');
  });

  test('a bracketed host alone: its colons are not a tag', () => {
    expect(rejected('[::1]')).toBe(
      'invalid repository in [::1]: use lower-case letters, digits and . _ -',
    );
  });

  test('placeholder: one bare component only', () => {
    expect(parseImageReference('app').placeholder).toBe(true);
    expect(parseImageReference('app:1').placeholder).toBe(false);
    expect(parseImageReference(`app@sha256:${HEX64}`).placeholder).toBe(false);
    expect(parseImageReference('team/app').placeholder).toBe(false);
    expect(parseImageReference('docker.io/app').placeholder).toBe(false);
    expect(parseImageReference('localhost/app').placeholder).toBe(false);
  });
});

describe('canonicalRegistry and splitRegistry', () => {
  test.each([
    ['Docker.IO', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['GCR.io', 'gcr.io'],
    ['hub.docker.io', 'hub.docker.io'],
  ])('%s is %s', (host, canonical) => {
    expect(canonicalRegistry(host)).toBe(canonical);
  });

  test.each([
    ['gcr.io', { host: 'gcr.io' }],
    ['localhost:5000', { host: 'localhost', port: 5000 }],
    ['a.io:1', { host: 'a.io', port: 1 }],
    ['[::1]:443', { host: '[::1]', port: 443 }],
    ['[::1]', { host: '[::1]' }],
    ['a.io:123456', { host: 'a.io:123456' }],
  ])('%s', (registry, parts) => {
    expect(splitRegistry(registry)).toStrictEqual(parts);
  });
});

describe('formatImageReference', () => {
  test.each([
    ['nginx', 'nginx', 'docker.io/library/nginx'],
    ['library/nginx:1', 'nginx:1', 'docker.io/library/nginx:1'],
    ['library/a/b', 'library/a/b', 'docker.io/library/a/b'],
    ['foo/library/x', 'foo/library/x', 'docker.io/foo/library/x'],
    ['docker.io/nginx', 'docker.io/library/nginx', 'docker.io/library/nginx'],
    [
      `gcr.io/p/app:v1@sha256:${HEX64}`,
      `gcr.io/p/app:v1@sha256:${HEX64}`,
      `gcr.io/p/app:v1@sha256:${HEX64}`,
    ],
    [`app@sha256:${HEX64}`, `app@sha256:${HEX64}`, `docker.io/library/app@sha256:${HEX64}`],
  ])('%s: familiar %s, full %s', (image, familiar, full) => {
    const ref = parseImageReference(image);
    expect(formatImageReference(ref)).toBe(familiar);
    expect(formatImageReference(ref, 'familiar')).toBe(familiar);
    expect(formatImageReference(ref, 'full')).toBe(full);
  });
});

describe('registry prefixes', () => {
  test.each([
    ['gcr.io/p', 'gcr.io/p', true],
    ['gcr.io/p/app', 'GCR.IO/P', true],
    ['gcr.io/p/app', 'gcr.io/p//', true],
    ['gcr.io/p/app', 'gcr.io/p/app/', true],
    ['gcr.io/p/app', 'gcr.io/p/a', false],
    ['gcr.io/p/app', 'gcr.io/p/app/x', false],
    ['gcr.io/p/app', 'gcr.io/', true],
    ['gcr.io/p/app', 'eu.gcr.io', false],
    ['nginx', 'registry-1.docker.io/library', true],
    ['nginx', 'docker.io/library/nginx', true],
    ['nginx', 'docker.io/nginx', false],
  ])('%s under %s: %s', (image, prefix, under) => {
    expect(underPrefix(parseImageReference(image), prefix)).toBe(under);
    expect(imageFromRegistry(image, prefix)).toBe(under);
  });

  test('an image that does not parse is from no registry', () => {
    expect(imageFromRegistry('Bad Image', 'docker.io')).toBe(false);
    expect(imageFromRegistry('', '')).toBe(false);
  });
});
