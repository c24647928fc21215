import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Result } from '../../src/krm/results';
import { controlsOf, LATEST_POLICY_MINOR } from '../../src/preflight/pod-security';
import { REPO, runText } from '../support/run';

/**
 * Pod Security as the admission plugin decides it. The upstream table is the plugin's
 * own fixtures (testdata/pod-security/upstream-fixtures.yaml, with its source); the
 * version table below is ours: one pod per control change, on each side of the version
 * where the plugin changed it.
 */
interface UpstreamCase {
  fixture: string;
  expect: string[];
  pod: unknown;
}

type Level = 'baseline' | 'restricted';

function podSecurity(level: Level, version: string, pod: unknown): Result[] {
  const config = {
    apiVersion: 'fn.retarget.dev/v1alpha1',
    kind: 'Preflight',
    metadata: { name: 'pod-security' },
    podSecurity: level,
    podSecurityVersion: version,
  };
  const run = runText('preflight', config, stringify(pod));
  return run.results.filter((r) => String(r.tags?.check).startsWith('pod-security-'));
}

const UPSTREAM = parse(
  readFileSync(join(REPO, 'testdata/pod-security/upstream-fixtures.yaml'), 'utf8'),
) as UpstreamCase[];

const upstreamRows = UPSTREAM.flatMap((c) =>
  c.expect.map((e) => {
    const [level, version, verdict] = e.split(' ') as [Level, string, 'accept' | 'reject'];
    return { fixture: c.fixture, level, version, verdict, pod: c.pod };
  }),
);

/** A restricted control replaces these baseline ones (the plugin's OverrideCheckIDs). */
const OVERRIDDEN_BY: Record<string, string> = {
  capabilities_baseline: 'capabilities_restricted',
  seccompprofile_baseline: 'seccompprofile_restricted',
  hostpathvolumes: 'restrictedvolumes',
  procmount: 'procmount_restricted',
};

describe('Pod Security agrees with the admission plugin on its own fixtures', () => {
  test('the table covers both levels at three versions, both verdicts', () => {
    const seen = new Set(upstreamRows.map((r) => `${r.level} ${r.version} ${r.verdict}`));
    for (const level of ['baseline', 'restricted']) {
      for (const version of ['v1.18', 'v1.24', 'v1.37']) {
        for (const verdict of ['accept', 'reject']) {
          expect(seen).toContain(`${level} ${version} ${verdict}`);
        }
      }
    }
    expect(upstreamRows.length).toBe(385);
  });

  test.each(upstreamRows)(
    '$level $version $verdict $fixture',
    ({ level, version, verdict, pod, fixture }) => {
      const results = podSecurity(level, version, pod);
      expect(results.every((r) => r.severity === 'error')).toBe(true);
      if (verdict === 'accept') {
        expect(results.map((r) => r.message)).toEqual([]);
        return;
      }
      expect(results.length).toBeGreaterThan(0);
      // The fixture is named for the control it breaks: that control (or the restricted
      // one overriding it) is among those reported.
      const control = /([a-z_]+?)[0-9]+\.yaml$/.exec(fixture)?.[1] ?? '';
      const reported = results.map((r) => String(r.tags?.control).toLowerCase());
      expect(reported.some((c) => c === control || c === OVERRIDDEN_BY[control])).toBe(true);
    },
  );

  test('latest is v1.37: every v1.37 verdict holds at latest', () => {
    expect(LATEST_POLICY_MINOR).toBe(37);
    for (const row of upstreamRows.filter((r) => r.version === 'v1.37')) {
      const rejected = podSecurity(row.level, 'latest', row.pod).length > 0;
      expect({ fixture: row.fixture, rejected }).toEqual({
        fixture: row.fixture,
        rejected: row.verdict === 'reject',
      });
    }
  });

  test('every control present at v1.24 and v1.37 rejects a fixture at both', () => {
    for (const level of ['baseline', 'restricted'] as const) {
      for (const version of ['v1.24', 'v1.37']) {
        const minor = Number(version.slice(3));
        const named = new Set(
          upstreamRows
            .filter((r) => r.level === level && r.version === version && r.verdict === 'reject')
            .map((r) => /([a-z_]+?)[0-9]+\.yaml$/.exec(r.fixture)?.[1]),
        );
        const controls = controlsOf(level)
          .filter((c) => c.since[0] <= minor)
          .map((c) => c.id.toLowerCase());
        expect({ level, version, missing: controls.filter((c) => !named.has(c)) }).toEqual({
          level,
          version,
          missing: [],
        });
      }
    }
  });
});

/** A pod passing restricted at every version, with `spec` and the container's fields added. */
function pod(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) {
  const securityContext = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    ...((container.securityContext as object) ?? {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...((spec.metadata as object) ?? {}) },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      ...Object.fromEntries(Object.entries(spec).filter(([k]) => k !== 'metadata')),
      containers: [{ name: 'app', image: 'registry.k8s.io/pause', ...container, securityContext }],
    },
  };
}

/**
 * Each row: a pod, the level, and the versions on either side of a change in the
 * plugin, with the control expected to reject (undefined: accepted).
 */
const VERSION_TABLE: {
  name: string;
  level: Level;
  pod: unknown;
  verdicts: Record<string, string[]>;
}[] = [
  {
    name: 'sysctl net.ipv4.tcp_notsent_lowat joined the safe set in v1.37',
    level: 'baseline',
    pod: pod({
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }],
      },
    }),
    verdicts: { 'v1.36': ['sysctls'], 'v1.37': [], latest: [] },
  },
  {
    name: 'sysctl net.ipv4.tcp_rmem joined the safe set in v1.32',
    level: 'restricted',
    pod: pod({
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }],
      },
    }),
    verdicts: { 'v1.31': ['sysctls'], 'v1.32': [] },
  },
  {
    name: 'SELinux type container_engine_t allowed from v1.31',
    level: 'baseline',
    pod: pod({}, { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }),
    verdicts: { 'v1.30': ['seLinuxOptions'], 'v1.31': [] },
  },
  {
    name: 'a probe host is refused from v1.34',
    level: 'baseline',
    pod: pod({}, { livenessProbe: { httpGet: { host: '10.0.0.1', port: 8080 } } }),
    verdicts: { 'v1.33': [], 'v1.34': ['hostProbesAndHostLifecycle'] },
  },
  {
    name: 'a lifecycle tcpSocket host is refused from v1.34',
    level: 'restricted',
    pod: pod({}, { lifecycle: { preStop: { tcpSocket: { host: 'example.com', port: 80 } } } }),
    verdicts: { 'v1.33': [], 'v1.34': ['hostProbesAndHostLifecycle'] },
  },
  {
    name: 'Windows pods are spared allowPrivilegeEscalation, capabilities and seccomp from v1.25',
    level: 'restricted',
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'win' },
      spec: {
        os: { name: 'windows' },
        securityContext: { runAsNonRoot: true },
        containers: [{ name: 'app', image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022' }],
      },
    },
    verdicts: {
      'v1.24': ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted'],
      'v1.25': [],
    },
  },
  {
    name: 'a user-namespace pod (hostUsers: false) may run as root from v1.35',
    level: 'restricted',
    pod: pod({
      hostUsers: false,
      securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
    }),
    verdicts: { 'v1.34': ['runAsNonRoot', 'runAsUser'], 'v1.35': [] },
  },
  {
    name: 'procMount Unmasked: baseline allows it in a user namespace from v1.35, restricted never',
    level: 'baseline',
    pod: pod({ hostUsers: false }, { securityContext: { procMount: 'Unmasked' } }),
    verdicts: { 'v1.34': ['procMount'], 'v1.35': [] },
  },
  {
    name: 'procMount Unmasked in a user namespace stays refused by restricted (procMount_restricted, v1.35)',
    level: 'restricted',
    pod: pod({ hostUsers: false }, { securityContext: { procMount: 'Unmasked' } }),
    verdicts: { 'v1.34': ['procMount'], 'v1.35': ['procMount_restricted'] },
  },
  {
    name: 'capabilities are compared as written: CAP_CHOWN is not CHOWN',
    level: 'baseline',
    pod: pod({}, { securityContext: { capabilities: { add: ['CAP_CHOWN'] } } }),
    verdicts: { 'v1.0': ['capabilities_baseline'], latest: ['capabilities_baseline'] },
  },
  {
    name: 'restricted drops "ALL" exactly: "all" does not count (from v1.22)',
    level: 'restricted',
    pod: pod({}, { securityContext: { capabilities: { drop: ['all'] } } }),
    verdicts: { 'v1.21': [], 'v1.22': ['capabilities_restricted'] },
  },
  {
    name: 'runAsUser 0 is refused from v1.23',
    level: 'restricted',
    pod: pod({}, { securityContext: { runAsUser: 0 } }),
    verdicts: { 'v1.22': [], 'v1.23': ['runAsUser'] },
  },
  {
    name: 'seccomp: the alpha annotation counts up to v1.18, the field from v1.19',
    level: 'baseline',
    pod: pod({
      metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
    }),
    verdicts: { 'v1.18': ['seccompProfile_baseline'], 'v1.19': [] },
  },
  {
    name: 'AppArmor: an Unconfined profile field at every version',
    level: 'baseline',
    pod: pod({}, { securityContext: { appArmorProfile: { type: 'Unconfined' } } }),
    verdicts: { 'v1.0': ['appArmorProfile'], latest: ['appArmorProfile'] },
  },
  {
    name: 'allowPrivilegeEscalation is required from v1.8',
    level: 'restricted',
    pod: pod({}, { securityContext: { allowPrivilegeEscalation: true } }),
    verdicts: { 'v1.7': [], 'v1.8': ['allowPrivilegeEscalation'] },
  },
  {
    name: 'image volumes are allowed by restricted, nfs is not',
    level: 'restricted',
    pod: pod({
      volumes: [
        { name: 'model', image: { reference: 'registry.k8s.io/pause' } },
        { name: 'share', nfs: { server: '10.0.0.2', path: '/exports' } },
      ],
    }),
    verdicts: { 'v1.24': ['restrictedVolumes'], latest: ['restrictedVolumes'] },
  },
];

describe('Pod Security follows each control across the versions it changed', () => {
  const rows = VERSION_TABLE.flatMap((row) =>
    Object.entries(row.verdicts).map(([version, controls]) => ({ ...row, version, controls })),
  );
  test.each(rows)('$name: $level $version', ({ level, version, pod: p, controls }) => {
    const results = podSecurity(level, version, p);
    expect(results.map((r) => String(r.tags?.control)).sort()).toEqual([...controls].sort());
    for (const r of results) {
      expect(r.tags?.version).toBe(version === 'latest' ? `v1.${LATEST_POLICY_MINOR}` : version);
    }
  });

  test('a version past the newest the plugin defines evaluates as the newest', () => {
    for (const { level, pod: p } of VERSION_TABLE) {
      const fields = (version: string) =>
        podSecurity(level, version, p).map((r) => [
          r.tags?.control,
          r.field?.path,
          r.tags?.version,
        ]);
      expect(fields('v1.99')).toEqual(fields('v1.37'));
    }
  });
});
