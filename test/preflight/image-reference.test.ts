import fc from 'fast-check';
import {
  formatImageReference,
  ImageReferenceError,
  imageFromRegistry,
  parseImageReference,
} from '../../src/image/reference';
import { classifyRegistry, gcrBucket } from '../../src/image/registry-hosts';

// A fixed seed and bounded runs in CI; FC_RUNS / FC_SEED widen them locally.
const params = {
  numRuns: Number(process.env.FC_RUNS ?? 200),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125,
};

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const alnums = (max: number) => fc.string({ unit: alnum, minLength: 1, maxLength: max });
/** A path component of the reference grammar: [a-z0-9]+ joined by `.`, `_`, `__` or dashes. */
const component = fc
  .tuple(
    alnums(8),
    fc.array(fc.tuple(fc.constantFrom('.', '_', '__', '-', '--'), alnums(6)), { maxLength: 2 }),
  )
  .map(([head, rest]) => head + rest.map(([sep, part]) => sep + part).join(''));
/** A component Docker cannot take for a host: no dot, not localhost. */
const hubComponent = component.filter((c) => !c.includes('.') && c !== 'localhost');
const domainLabel = fc
  .tuple(
    alnums(6),
    fc.option(fc.tuple(fc.constantFrom('', '-', '--'), alnums(5)), { nil: undefined }),
  )
  .map(([a, b]) => (b ? `${a}${b[0]}${b[1]}` : a));
const host = fc
  .oneof(
    fc.array(domainLabel, { minLength: 2, maxLength: 4 }).map((labels) => labels.join('.')),
    fc.constant('localhost'),
  )
  .filter((h) => !['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(h));
const registry = fc
  .tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([h, port]) => (port === undefined ? h : `${h}:${port}`));
const tag = fc
  .tuple(
    fc.constantFrom(...'abcXYZ019_'.split('')),
    fc.string({ unit: fc.constantFrom(...'abcXYZ019_.-'.split('')), maxLength: 20 }),
  )
  .map(([a, b]) => a + b);
const digest = fc
  .string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 })
  .map((hex) => `sha256:${hex}`);

describe('image references: properties', () => {
  test('a reference with a registry parses back into its parts and formats back to itself', () => {
    fc.assert(
      fc.property(
        registry,
        fc.array(component, { minLength: 1, maxLength: 4 }),
        fc.option(tag, { nil: undefined }),
        fc.option(digest, { nil: undefined }),
        (reg, path, t, d) => {
          const text = `${reg}/${path.join('/')}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`;
          const ref = parseImageReference(text);
          expect(ref.registry).toBe(reg);
          expect(ref.repository).toBe(path.join('/'));
          expect(ref.tag).toBe(t);
          expect(ref.digest).toBe(d);
          expect(ref.implicitRegistry).toBe(false);
          expect(ref.placeholder).toBe(false);
          expect(formatImageReference(ref)).toBe(text);
        },
      ),
      params,
    );
  });

  test('a Docker Hub reference gets docker.io (and library/ for one component) and formats back', () => {
    fc.assert(
      fc.property(
        fc.array(hubComponent, { minLength: 1, maxLength: 3 }),
        fc.option(tag, { nil: undefined }),
        fc.option(digest, { nil: undefined }),
        (path, t, d) => {
          const text = `${path.join('/')}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`;
          const ref = parseImageReference(text);
          expect(ref.registry).toBe('docker.io');
          expect(ref.implicitRegistry).toBe(true);
          expect(ref.repository).toBe(path.length === 1 ? `library/${path[0]}` : path.join('/'));
          expect(ref.placeholder).toBe(path.length === 1 && !t && !d);
          expect(formatImageReference(ref)).toBe(text);
        },
      ),
      params,
    );
  });

  test('the full form parses to the same image (normalization is idempotent)', () => {
    const anyRef = fc.oneof(
      fc
        .tuple(
          registry,
          fc.array(component, { minLength: 1, maxLength: 3 }),
          fc.option(tag),
          fc.option(digest),
        )
        .map(([r, p, t, d]) => `${r}/${p.join('/')}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`),
      fc
        .tuple(fc.array(hubComponent, { minLength: 1, maxLength: 3 }), fc.option(tag))
        .map(([p, t]) => `${p.join('/')}${t ? `:${t}` : ''}`),
    );
    fc.assert(
      fc.property(anyRef, (text) => {
        const ref = parseImageReference(text);
        const again = parseImageReference(formatImageReference(ref, 'full'));
        expect([again.registry, again.repository, again.tag, again.digest]).toEqual([
          ref.registry,
          ref.repository,
          ref.tag,
          ref.digest,
        ]);
        expect(formatImageReference(again, 'full')).toBe(formatImageReference(ref, 'full'));
      }),
      params,
    );
  });

  test('any string either parses or fails with ImageReferenceError, never anything else', () => {
    const noisy = fc.string({
      unit: fc.constantFrom(...'aZ0:/@._-[]  \tA$'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(noisy, fc.string()), (text) => {
        try {
          const ref = parseImageReference(text);
          // Whatever parses formats to something that parses the same.
          expect(parseImageReference(formatImageReference(ref, 'full')).repository).toBe(
            ref.repository,
          );
        } catch (error) {
          expect(error).toBeInstanceOf(ImageReferenceError);
        }
      }),
      params,
    );
  });

  test('Google and AWS registries yield their project, bucket, repository or account', () => {
    const project = fc
      .tuple(
        fc.constantFrom(...'abcdefghij'.split('')),
        fc.string({ unit: fc.constantFrom(...'abc019-'.split('')), minLength: 4, maxLength: 20 }),
        alnum,
      )
      .map(([a, mid, z]) => a + mid + z);
    const gcrHost = fc.constantFrom('gcr.io', 'us.gcr.io', 'eu.gcr.io', 'asia.gcr.io');
    fc.assert(
      fc.property(
        gcrHost,
        project,
        fc.array(hubComponent, { minLength: 1, maxLength: 2 }),
        (h, p, path) => {
          const host = classifyRegistry(parseImageReference(`${h}/${p}/${path.join('/')}:v1`));
          const region = h === 'gcr.io' ? undefined : h.split('.')[0];
          expect(host).toMatchObject({ kind: 'gcr', project: p, bucket: gcrBucket(p, region) });
          expect(host.kind === 'gcr' && host.bucket).toBe(
            `${region ? `${region}.` : ''}artifacts.${p}.appspot.com`,
          );
        },
      ),
      params,
    );
    const location = fc.constantFrom(
      'us',
      'europe',
      'asia',
      'us-central1',
      'europe-west4',
      'northamerica-northeast1',
    );
    fc.assert(
      fc.property(
        location,
        project,
        hubComponent,
        fc.array(hubComponent, { minLength: 1, maxLength: 2 }),
        (l, p, repo, path) => {
          const host = classifyRegistry(
            parseImageReference(`${l}-docker.pkg.dev/${p}/${repo}/${path.join('/')}`),
          );
          expect(host).toEqual({
            kind: 'artifact-registry',
            host: `${l}-docker.pkg.dev`,
            location: l,
            project: p,
            repository: repo,
          });
        },
      ),
      params,
    );
    const account = fc.string({
      unit: fc.constantFrom(...'0123456789'.split('')),
      minLength: 12,
      maxLength: 12,
    });
    // Each region with its partition and the host suffix ECR answers under there.
    const region = fc.constantFrom(
      { r: 'us-east-1', partition: 'aws', suffix: 'amazonaws.com' },
      { r: 'eu-west-3', partition: 'aws', suffix: 'amazonaws.com' },
      { r: 'ap-southeast-2', partition: 'aws', suffix: 'amazonaws.com' },
      { r: 'us-gov-west-1', partition: 'aws-us-gov', suffix: 'amazonaws.com' },
      { r: 'cn-north-1', partition: 'aws-cn', suffix: 'amazonaws.com.cn' },
      { r: 'cn-northwest-1', partition: 'aws-cn', suffix: 'amazonaws.com.cn' },
    );
    const endpoint = fc.constantFrom('dkr.ecr', 'dkr.ecr-fips');
    fc.assert(
      fc.property(
        account,
        region,
        endpoint,
        fc.array(hubComponent, { minLength: 1, maxLength: 2 }),
        (a, { r, partition, suffix }, e, path) => {
          const host = classifyRegistry(
            parseImageReference(`${a}.${e}.${r}.${suffix}/${path.join('/')}:1`),
          );
          expect(host).toEqual({
            kind: 'ecr',
            host: `${a}.${e}.${r}.${suffix}`,
            accountId: a,
            region: r,
            partition,
          });
          // The other partition's suffix is no ECR host.
          const wrong = suffix === 'amazonaws.com' ? 'amazonaws.com.cn' : 'amazonaws.com';
          expect(
            classifyRegistry(parseImageReference(`${a}.${e}.${r}.${wrong}/${path.join('/')}:1`)),
          ).toEqual({ kind: 'other', host: `${a}.${e}.${r}.${wrong}` });
        },
      ),
      params,
    );
  });
});

describe('image references: examples', () => {
  test.each([
    ['nginx', 'docker.io', 'library/nginx', undefined, true],
    ['petclinic-image', 'docker.io', 'library/petclinic-image', undefined, true],
    ['nginx:1.25', 'docker.io', 'library/nginx', '1.25', false],
    ['library/nginx', 'docker.io', 'library/nginx', undefined, false],
    ['docker.io/nginx', 'docker.io', 'library/nginx', undefined, false],
    ['index.docker.io/bitnami/redis:7', 'docker.io', 'bitnami/redis', '7', false],
    ['localhost:5000/team/app:dev', 'localhost:5000', 'team/app', 'dev', false],
    ['localhost/app', 'localhost', 'app', undefined, false],
    ['[::1]:5000/app:1', '[::1]:5000', 'app', '1', false],
    ['Registry.Example.COM:443/a/b', 'registry.example.com:443', 'a/b', undefined, false],
    ['gcr.io/project-a/image_name:image_tag', 'gcr.io', 'project-a/image_name', 'image_tag', false],
  ])('%s', (text, reg, repository, t, placeholder) => {
    const ref = parseImageReference(text);
    expect(ref).toMatchObject({ registry: reg, repository, tag: t, placeholder });
  });

  test('a digest is kept whole, with or without a tag', () => {
    const d = `sha256:${'ab'.repeat(32)}`;
    expect(parseImageReference(`gcr.io/p-roject/app:v1@${d}`)).toMatchObject({
      tag: 'v1',
      digest: d,
    });
    expect(parseImageReference(`gcr.io/p-roject/app@${d}`)).toMatchObject({
      tag: undefined,
      digest: d,
    });
  });

  test.each([
    ['', 'empty'],
    ['Petclinic-Image', 'repository'],
    ['gcr.io/Project/app', 'repository'],
    ['app:tag:extra', 'repository'],
    ['gcr.io/p/app:', 'tag'],
    ['gcr.io/p/app@sha256:abc', 'digest'],
    ['my registry/app', 'whitespace'],
    ['-bad.io/app', 'registry'],
    [`a/${'b'.repeat(260)}`, 'longer'],
  ])('%j is rejected (%s)', (text, why) => {
    expect(() => parseImageReference(text)).toThrow(ImageReferenceError);
    expect(() => parseImageReference(text)).toThrow(new RegExp(why));
  });

  test('domain-scoped projects: gcr.io/example.com/project', () => {
    const host = classifyRegistry(parseImageReference('eu.gcr.io/example.com/my-project/app:1'));
    expect(host).toMatchObject({
      kind: 'gcr',
      project: 'example.com:my-project',
      bucket: 'eu.artifacts.my-project.example.com.a.appspot.com',
      arLocation: 'europe',
    });
    expect(
      classifyRegistry(parseImageReference('us-docker.pkg.dev/example.com/my-project/repo/app')),
    ).toMatchObject({
      kind: 'artifact-registry',
      project: 'example.com:my-project',
      repository: 'repo',
    });
  });

  test('gcr.io hosts map to the Artifact Registry repository location of the same name', () => {
    // https://cloud.google.com/artifact-registry/docs/transition/gcr-repositories
    for (const [host, arLocation] of [
      ['gcr.io', 'us'],
      ['us.gcr.io', 'us'],
      ['eu.gcr.io', 'europe'],
      ['asia.gcr.io', 'asia'],
    ]) {
      expect(classifyRegistry(parseImageReference(`${host}/project-a/app:1`))).toMatchObject({
        kind: 'gcr',
        host,
        project: 'project-a',
        arLocation,
      });
    }
  });

  test('Artifact Registry hosts name the repository location: multi-region or region', () => {
    for (const [host, location] of [
      ['us-docker.pkg.dev', 'us'],
      ['europe-docker.pkg.dev', 'europe'],
      ['asia-docker.pkg.dev', 'asia'],
      ['europe-west1-docker.pkg.dev', 'europe-west1'],
      ['asia-northeast1-docker.pkg.dev', 'asia-northeast1'],
      ['northamerica-northeast2-docker.pkg.dev', 'northamerica-northeast2'],
    ]) {
      expect(classifyRegistry(parseImageReference(`${host}/project-a/repo/app:1`))).toEqual({
        kind: 'artifact-registry',
        host,
        location,
        project: 'project-a',
        repository: 'repo',
      });
    }
  });

  test('ECR dual-stack hosts (ACCOUNT.dkr-ecr.REGION.on.aws) carry their region and partition', () => {
    expect(
      classifyRegistry(parseImageReference('123456789012.dkr-ecr.us-gov-east-1.on.aws/app:1')),
    ).toEqual({
      kind: 'ecr',
      host: '123456789012.dkr-ecr.us-gov-east-1.on.aws',
      accountId: '123456789012',
      region: 'us-gov-east-1',
      partition: 'aws-us-gov',
    });
    expect(
      classifyRegistry(parseImageReference('123456789012.dkr-ecr.eu-west-1.on.aws/app:1')),
    ).toMatchObject({ kind: 'ecr', region: 'eu-west-1', partition: 'aws' });
  });

  test('what is not a Google or AWS image stays "other"', () => {
    for (const text of [
      'gcr.io/app',
      'us-docker.pkg.dev/project-a/app',
      'quay.io/org/app',
      'gcr.io:443/p-roject/app',
      'public.ecr.aws/x/y',
    ]) {
      expect(classifyRegistry(parseImageReference(text)).kind).toBe('other');
    }
    expect(classifyRegistry(parseImageReference('nginx'))).toEqual({
      kind: 'docker-hub',
      official: true,
    });
    expect(classifyRegistry(parseImageReference('bitnami/redis'))).toEqual({
      kind: 'docker-hub',
      official: false,
    });
  });

  test('imageFromRegistry matches whole path components and Docker Hub aliases', () => {
    expect(imageFromRegistry('gcr.io/my-project/app', 'gcr.io')).toBe(true);
    expect(imageFromRegistry('gcr.io/my-project/app', 'gcr.io/my-project')).toBe(true);
    expect(imageFromRegistry('gcr.io/my-project-2/app', 'gcr.io/my-project')).toBe(false);
    expect(imageFromRegistry('nginx', 'docker.io')).toBe(true);
    expect(imageFromRegistry('nginx', 'index.docker.io/library')).toBe(true);
    expect(imageFromRegistry('NOT VALID', 'docker.io')).toBe(false);
  });
});
