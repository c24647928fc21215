// The preflight table's finer points, as a person reading it in a terminal sees them:
// runs of spaces in a problem, a finding with no problem text, the padding of the last
// column, and the resources preflight would add printed without folding.
import type { Result } from '../../src/krm/results';
import { buildReport, renderReport } from '../../src/preflight/report';

const table = (results: Result[], resources: Record<string, unknown>[] = []) =>
  renderReport(buildReport(results, resources), 'table');

describe('the preflight table', () => {
  test('a run of spaces in a problem is one space when wrapped', () => {
    expect(table([{ severity: 'info', message: 'a  b   c' }])).toBe(
      [
        'SEVERITY  CHECK  RESOURCE  WHERE',
        'INFO      -      -         -',
        '    a b c',
        '',
        '0 errors, 0 warnings, 1 info',
        '',
      ].join('\n'),
    );
  });

  test('a finding whose message is only its fix, or empty, has no blank problem line', () => {
    expect(
      table([
        { severity: 'error', message: '. Fix: run it', tags: { fix: 'run it' } },
        { severity: 'warning', message: '' },
      ]),
    ).toBe(
      [
        'SEVERITY  CHECK  RESOURCE  WHERE',
        'ERROR     -      -         -',
        '    fix: run it',
        'WARNING   -      -         -',
        '',
        '1 error, 1 warning, 0 infos',
        '',
      ].join('\n'),
    );
  });

  test('no line ends with spaces: a short last cell is not padded to its column', () => {
    const text = table([
      {
        severity: 'error',
        message: 'm',
        file: { path: 'a-long-file-name.yaml' },
        field: { path: 'spec.template.spec.containers[0].image' },
      },
      { severity: 'info', message: 'n', file: { path: 'b.yaml' } },
    ]);
    expect(text.split('\n').slice(0, 5)).toEqual([
      'SEVERITY  CHECK  RESOURCE  WHERE',
      'ERROR     -      -         a-long-file-name.yaml spec.template.spec.containers[0].image',
      '    m',
      'INFO      -      -         b.yaml',
      '    n',
    ]);
  });

  test('a resource preflight would add is printed whole: a long value is not folded', () => {
    const why =
      `granted by preflight because ${'the nodes pull the images of another project '.repeat(3)}`.trim();
    const text = table(
      [],
      [
        {
          apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
          kind: 'IAMPolicyMember',
          metadata: { name: 'grant', annotations: { 'example.com/why': why } },
        },
      ],
    );
    expect(text.split('\n')).toContain(`    example.com/why: ${why}`);
  });
});
