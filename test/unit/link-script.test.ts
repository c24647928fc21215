import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAIN_ARG0, linkScript } from '../../src/shell/link-script';

/** The script exactly as the postStart hook runs it, by the real /bin/sh, against a temp root. */
function run(root: string, chainedArgv?: string[]) {
  const src = join(root, 'kubernetes-info/secrets');
  const dst = join(root, 'var/run/secrets');
  const script = linkScript(src, dst, chainedArgv !== undefined);
  const args = chainedArgv ? ['-c', script, CHAIN_ARG0, ...chainedArgv] : ['-c', script];
  const r = spawnSync('/bin/sh', args, { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, src, dst };
}

describe('link script under /bin/sh', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'retarget-link-'));
    mkdirSync(join(root, 'kubernetes-info/secrets/eks.amazonaws.com/serviceaccount'), {
      recursive: true,
    });
    writeFileSync(
      join(root, 'kubernetes-info/secrets/eks.amazonaws.com/serviceaccount/token'),
      'tok',
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('nothing there: creates the link (and /var/run), twice is fine', () => {
    const first = run(root);
    expect(first.status).toBe(0);
    expect(readlinkSync(first.dst)).toBe(first.src);
    expect(existsSync(join(first.dst, 'eks.amazonaws.com/serviceaccount/token'))).toBe(true);
    const second = run(root);
    expect(second.status).toBe(0);
    expect(readlinkSync(second.dst)).toBe(second.src);
  });

  test('an existing link elsewhere (not a directory) is replaced', () => {
    mkdirSync(join(root, 'var/run'), { recursive: true });
    symlinkSync(join(root, 'nowhere'), join(root, 'var/run/secrets'));
    const r = run(root);
    expect(r.status).toBe(0);
    expect(readlinkSync(r.dst)).toBe(r.src);
  });

  test('an existing directory with files: entries are linked in, nothing is deleted', () => {
    mkdirSync(join(root, 'var/run/secrets/kubernetes.io'), { recursive: true });
    writeFileSync(join(root, 'var/run/secrets/kubernetes.io/keep'), 'x');
    const r = run(root);
    expect(r.status).toBe(0);
    expect(lstatSync(r.dst).isDirectory()).toBe(true);
    expect(readdirSync(r.dst).sort()).toEqual(['eks.amazonaws.com', 'kubernetes.io']);
    expect(readlinkSync(join(r.dst, 'eks.amazonaws.com'))).toBe(join(r.src, 'eks.amazonaws.com'));
    expect(existsSync(join(r.dst, 'kubernetes.io/keep'))).toBe(true);
    expect(run(root).status).toBe(0);
    expect(readdirSync(r.dst).sort()).toEqual(['eks.amazonaws.com', 'kubernetes.io']);
  });

  test('a regular file in the way is left alone and the hook still succeeds', () => {
    mkdirSync(join(root, 'var/run'), { recursive: true });
    writeFileSync(join(root, 'var/run/secrets'), 'not a dir');
    const r = run(root);
    expect(r.status).toBe(0);
    expect(lstatSync(r.dst).isFile()).toBe(true);
  });

  test('a read-only parent never fails the container', () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions; use a path under a file to force ln/mkdir failures instead
      writeFileSync(join(root, 'var'), 'file where a directory should be');
    } else {
      mkdirSync(join(root, 'var'), { mode: 0o500 });
    }
    const r = run(root);
    expect(r.status).toBe(0);
  });

  test('chained: runs the original hook with its argv and returns its status', () => {
    const marker = join(root, 'ran');
    const ok = run(root, ['/bin/sh', '-c', 'printf "%s|" "$@" > "$0"', marker, 'a b', "c'd"]);
    expect(ok.status).toBe(0);
    expect(readlinkSync(ok.dst)).toBe(ok.src);
    expect(readFileSync(marker, 'utf8')).toBe("a b|c'd|");
    const failing = run(root, ['/bin/sh', '-c', 'exit 3']);
    expect(failing.status).toBe(3);
  });
});
