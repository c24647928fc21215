import { formatResult, hasErrors } from '../../src/krm/results';
import type { Result } from '../../src/krm/results';

/**
 * How a result reads to a person (src/krm/results.ts): `severity: file:line:column
 * Kind/namespace/name field: message`, each part only when the result has it, the location
 * escaped whole, the message keeping its own lines.
 */
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('formatResult', () => {
  test.each<[string, Result, string]>([
    ['only a message', { severity: 'info', message: 'done' }, 'info: done'],
    [
      'every part',
      {
        severity: 'error',
        message: 'wrong',
        file: { path: 'pkg/app.yaml' },
        tags: { line: '3', column: '7' },
        resourceRef: { ...ref, namespace: 'shop' },
        field: { path: 'spec.template.spec' },
      },
      'error: pkg/app.yaml:3:7 Deployment/shop/web spec.template.spec: wrong',
    ],
    [
      'a file with no tags',
      { severity: 'warning', message: 'm', file: { path: 'a.yaml' } },
      'warning: a.yaml: m',
    ],
    [
      'a line and no column',
      { severity: 'warning', message: 'm', file: { path: 'a.yaml' }, tags: { line: '12' } },
      'warning: a.yaml:12: m',
    ],
    [
      'a column and no line: no position',
      { severity: 'warning', message: 'm', file: { path: 'a.yaml' }, tags: { column: '4' } },
      'warning: a.yaml: m',
    ],
    [
      'tags but no file: no position',
      { severity: 'info', message: 'm', tags: { line: '1', column: '2' } },
      'info: m',
    ],
    [
      'a resource with no namespace',
      { severity: 'info', message: 'm', resourceRef: ref },
      'info: Deployment/web: m',
    ],
    [
      'a field alone',
      { severity: 'error', message: 'm', field: { path: 'spec' } },
      'error: spec: m',
    ],
  ])('%s', (_, result, line) => {
    expect(formatResult(result)).toBe(line);
  });

  test('control characters in the location are escaped; the message keeps its line breaks', () => {
    const result: Result = {
      severity: 'error',
      message: 'first\nsecond\tthird\r',
      file: { path: 'a\nb.yaml' },
      resourceRef: { ...ref, name: 'x' },
    };
    expect(formatResult(result)).toBe('error: a\\nb.yaml Deployment/x: first\nsecond\\tthird\\r');
  });

  test("the resource's own name and namespace are escaped whole inside the message", () => {
    const result: Result = {
      severity: 'warning',
      message: 'web\nx in ns\ty: bad\nnext line',
      resourceRef: { ...ref, name: 'web\nx', namespace: 'ns\ty' },
    };
    expect(formatResult(result)).toBe(
      'warning: Deployment/ns\\ty/web\\nx: web\\nx in ns\\ty: bad\nnext line',
    );
  });

  test('a printable name is left as it is in the message', () => {
    const result: Result = { severity: 'info', message: 'web\nweb', resourceRef: ref };
    expect(formatResult(result)).toBe('info: Deployment/web: web\nweb');
  });

  test('a long message is cut and the rest counted', () => {
    const result: Result = { severity: 'info', message: 'x'.repeat(2005) };
    expect(formatResult(result)).toBe(`info: ${'x'.repeat(2000)}… (5 more characters)`);
  });
});

describe('hasErrors', () => {
  test.each<[string, Result['severity'][], boolean]>([
    ['none', [], false],
    ['infos and warnings', ['info', 'warning', 'info'], false],
    ['one error among others', ['info', 'error', 'warning'], true],
    ['an error last', ['warning', 'error'], true],
    ['only errors', ['error', 'error'], true],
  ])('%s', (_, severities, expected) => {
    expect(hasErrors(severities.map((severity) => ({ severity, message: 'm' })))).toBe(expected);
  });
});
