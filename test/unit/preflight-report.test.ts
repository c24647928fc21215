// The preflight report as its readers get it: the counts, the JSON and YAML a machine
// parses, and the table a person reads (columns, wrapped problem, one-line fix, summary).
import { parse } from 'yaml';
import type { Result } from '../../src/krm/results';
import { buildReport, renderReport } from '../../src/preflight/report';

const image: Result = {
  severity: 'error',
  message: 'Deployment app pulls from a private registry. Fix: run this',
  resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', namespace: 'prod' },
  file: { path: 'deploy.yaml', index: 0 },
  field: { path: 'spec.template' },
  tags: { check: 'image-pull', fix: 'run this', line: '12' },
};
const loose: Result = { severity: 'warning', message: 'loose one', tags: { check: 'x' } };
const service: Result = {
  severity: 'info',
  message: 'm',
  resourceRef: { apiVersion: 'v1', kind: 'Service', name: 'svc' },
  file: { path: 'a.yaml' },
};
const member = {
  apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
  kind: 'IAMPolicyMember',
  metadata: { name: 'grant' },
};

describe('buildReport', () => {
  test('counts each severity and keeps the results in order', () => {
    const results = [image, loose, service, { ...image, severity: 'error' as const }];
    const report = buildReport(results);
    expect(report).toEqual({
      summary: { errors: 2, warnings: 1, infos: 1 },
      results,
    });
    expect('resources' in report).toBe(false);
    // A copy: the caller's array is not the report's.
    results.pop();
    expect(report.results).toHaveLength(4);
  });

  test('lists the resources preflight would add, only when there are some', () => {
    const resources = [member];
    const report = buildReport([], resources);
    expect(report).toEqual({
      summary: { errors: 0, warnings: 0, infos: 0 },
      results: [],
      resources,
    });
    resources.pop();
    expect(report.resources).toEqual([member]);
    expect('resources' in buildReport([], [])).toBe(false);
  });
});

describe('renderReport for machines', () => {
  const report = buildReport([image, loose], [member]);

  test('json: indented by two, one trailing newline, parses back to the report', () => {
    const text = renderReport(report, 'json');
    expect(text.startsWith('{\n  "summary": {\n    "errors": 1,\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(report);
  });

  test('yaml: long messages stay on one line, parses back to the report', () => {
    const long = { ...loose, message: `a long message ${'word '.repeat(40)}end` };
    const text = renderReport(buildReport([long]), 'yaml');
    expect(text.split('\n')).toContain(`    message: ${long.message}`);
    expect(parse(text)).toEqual(buildReport([long]));
  });
});

describe('renderReport for people (table)', () => {
  test('a header, a row per result in aligned columns, the problem, the fix, the summary', () => {
    expect(renderReport(buildReport([image, loose, service]), 'table')).toBe(
      [
        'SEVERITY  CHECK       RESOURCE             WHERE',
        'ERROR     image-pull  Deployment/prod/app  deploy.yaml:12 spec.template',
        '    Deployment app pulls from a private registry',
        '    fix: run this',
        'WARNING   x           -                    -',
        '    loose one',
        'INFO      -           Service/svc          a.yaml',
        '    m',
        '',
        '1 error, 1 warning, 1 info',
        '',
      ].join('\n'),
    );
  });

  test('counts in the plural, and no table without findings', () => {
    const two = renderReport(buildReport([image, image]), 'table');
    expect(two.endsWith('\n\n2 errors, 0 warnings, 0 infos\n')).toBe(true);
    expect(renderReport(buildReport([]), 'table')).toBe('preflight: no problems found\n');
  });

  test('a message not ending with its fix is shown whole; an empty fix is no fix line', () => {
    const text = renderReport(
      buildReport([
        { severity: 'error', message: 'Wrong. Fix: a', tags: { fix: 'b' } },
        { severity: 'error', message: 'Bare', tags: { fix: '' } },
      ]),
      'table',
    );
    expect(text.split('\n').slice(1, 6)).toEqual([
      'ERROR     -      -         -',
      '    Wrong. Fix: a',
      '    fix: b',
      'ERROR     -      -         -',
      '    Bare',
    ]);
  });

  test('the problem wraps at 100 columns; a longer word and the fix stay whole', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x, i) => x.repeat(i === 1 ? 47 : 48));
    const x = 'x'.repeat(120);
    const fix = `kubectl ${'--flag=value '.repeat(12)}end`;
    const text = renderReport(
      buildReport([
        { severity: 'warning', message: `${a} ${b}  ${c} ${d} ${x} y. Fix: ${fix}`, tags: { fix } },
      ]),
      'table',
    );
    expect(text.split('\n').slice(2, 8)).toEqual([
      `    ${a} ${b}`,
      `    ${c}`,
      `    ${d}`,
      `    ${x}`,
      '    y',
      `    fix: ${fix}`,
    ]);
    expect(`${a} ${b}`).toHaveLength(96);
  });

  test('names cannot plant lines or escapes; long cells are cut', () => {
    const text = renderReport(
      buildReport([
        {
          severity: 'error',
          message: 'bad\nfix: rm -rf /',
          resourceRef: { apiVersion: 'v1', kind: 'Secret', name: 'a\nfix: x\u001b[31m' },
          tags: { check: 'c'.repeat(250), fix: 'ok\nfix: evil' },
        },
      ]),
      'table',
    );
    const lines = text.split('\n');
    expect(lines.filter((l) => l.trimStart().startsWith('fix:'))).toEqual([
      '    fix: ok\\nfix: evil',
    ]);
    expect(lines[1]).toContain(`${'c'.repeat(200)}… (50 more characters)`);
    expect(lines[1]).toContain('Secret/a\\nfix: x\\x1b[31m');
    expect(lines[2]).toBe('    bad\\nfix: rm -rf /');
  });

  test('the resources preflight would add follow the summary, as YAML documents', () => {
    const second = { ...member, metadata: { name: 'other' } };
    expect(renderReport(buildReport([], [member, second]), 'table')).toBe(
      [
        'preflight: no problems found',
        '',
        'preflight would add 2 resources (emitIamPolicyMember):',
        '---',
        'apiVersion: iam.cnrm.cloud.google.com/v1beta1',
        'kind: IAMPolicyMember',
        'metadata:',
        '  name: grant',
        '---',
        'apiVersion: iam.cnrm.cloud.google.com/v1beta1',
        'kind: IAMPolicyMember',
        'metadata:',
        '  name: other',
        '',
      ].join('\n'),
    );
    expect(renderReport(buildReport([loose], [member]), 'table')).toContain(
      '1 warning, 0 infos\n\npreflight would add 1 resource (emitIamPolicyMember):\n---\n',
    );
  });
});
