import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runText } from '../support/run';

const ROOT = '/tmp/psa/test/testdata';
test('measure', () => {
  const rows: string[] = [];
  let agree = 0;
  let total = 0;
  for (const level of ['baseline', 'restricted']) {
    for (const v of readdirSync(join(ROOT, level))) {
      for (const verdict of ['pass', 'fail']) {
        const dir = join(ROOT, level, v, verdict);
        let files: string[] = [];
        try { files = readdirSync(dir); } catch { continue; }
        for (const f of files) {
          const text = readFileSync(join(dir, f), 'utf8');
          const config = { apiVersion: 'fn.retarget.dev/v1alpha1', kind: 'Preflight', metadata: { name: 'x' }, podSecurity: level, podSecurityVersion: v, publicRegistries: ['registry.k8s.io'], skip: ['schema', 'schema-unknown-api-version'] };
          const r = runText('preflight', config, text);
          const ps = r.results.filter((x) => String(x.tags?.check).startsWith('pod-security'));
          const other = r.results.filter((x) => !String(x.tags?.check).startsWith('pod-security'));
          const rejected = ps.some((x) => x.severity === 'error');
          total++;
          const ok = rejected === (verdict === 'fail');
          if (ok) agree++;
          else rows.push(`${level}/${v}/${verdict}/${f}: ${ps.map((x) => x.tags?.control + ' ' + x.message).join(' | ')} OTHER ${other.map(o=>o.message).join('|')}`);
        }
      }
    }
  }
  writeFileSync('/tmp/psa-measure/out.txt', `${agree}/${total}\n${rows.join('\n')}\n`);
});
