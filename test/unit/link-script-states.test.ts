import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHAIN_ARG0,
  LINK_SCRIPT_MARKER,
  linkScript,
  tmpfilesLine,
} from '../../src/shell/link-script';

/**
 * The link script's contract, one state of the target per test, each in its own
 * temporary root (no shared hooks): what /bin/sh leaves behind and with which status.
 */
function withRoot(check: (root: string, src: string, dst: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'retarget-link-states-'));
  try {
    const src = join(root, 'kubernetes-info/secrets');
    mkdirSync(join(src, 'eks.amazonaws.com/serviceaccount'), { recursive: true });
    writeFileSync(join(src, 'eks.amazonaws.com/serviceaccount/token'), 'tok');
    check(root, src, join(root, 'var/run/secrets'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function sh(script: string, ...argv: string[]) {
  return spawnSync('/bin/sh', argv.length ? ['-c', script, CHAIN_ARG0, ...argv] : ['-c', script], {
    encoding: 'utf8',
  });
}

describe('linkScript: the text', () => {
  test('starts with the marker line (how a hook is recognised as ours) and ends with a newline', () => {
    const script = linkScript('/kubernetes-info/secrets', '/var/run/secrets', false);
    expect(LINK_SCRIPT_MARKER).toBe('# retarget: link-kubernetes-info-secrets');
    expect(CHAIN_ARG0).toBe('retarget-link');
    expect(script.split('\n')[0]).toBe(LINK_SCRIPT_MARKER);
    expect(script.split('\n')[1]).toBe("src='/kubernetes-info/secrets' dst='/var/run/secrets'");
    expect(script.endsWith('\nexit 0\n')).toBe(true);
    expect(linkScript('/a', '/b', true).endsWith('\nexec "$@"\n')).toBe(true);
  });

  test('each (source, target, chained) gets its own script, the same one when asked again', () => {
    const a = linkScript('/s1', '/t1', false);
    const b = linkScript('/s2', '/t2', false);
    const c = linkScript('/s1', '/t1', true);
    expect(b).toContain("src='/s2' dst='/t2'");
    expect(a).toContain("src='/s1' dst='/t1'");
    expect(c).toContain("src='/s1' dst='/t1'");
    expect(a).not.toBe(c);
    expect(linkScript('/s1', '/t1', false)).toBe(a);
  });

  test('the paths are single-quoted: a quote in them is one word to sh', () => {
    const script = linkScript("/it's", '/t', false);
    expect(script).toContain(`src='/it'\\''s' dst='/t'`);
  });
});

describe('linkScript under /bin/sh, one state each', () => {
  test('nothing there: the link is made, its parent directory too', () => {
    withRoot((_, src, dst) => {
      const r = sh(linkScript(src, dst, false));
      expect(r.status).toBe(0);
      expect(readlinkSync(dst)).toBe(src);
    });
  });

  test('our link already there: left as it is', () => {
    withRoot((root, src, dst) => {
      mkdirSync(join(root, 'var/run'), { recursive: true });
      symlinkSync(src, dst);
      const r = sh(linkScript(src, dst, false));
      expect(r.status).toBe(0);
      expect(readlinkSync(dst)).toBe(src);
    });
  });

  test('a link elsewhere: replaced by ours', () => {
    withRoot((root, src, dst) => {
      mkdirSync(join(root, 'var/run'), { recursive: true });
      symlinkSync(join(root, 'nowhere'), dst);
      const r = sh(linkScript(src, dst, false));
      expect(r.status).toBe(0);
      expect(readlinkSync(dst)).toBe(src);
    });
  });

  test('a directory: each missing entry (dotfiles too) is linked in, existing ones kept', () => {
    withRoot((_, src, dst) => {
      writeFileSync(join(src, '.hidden'), 'h');
      mkdirSync(join(src, 'kubernetes.io'));
      mkdirSync(join(dst, 'kubernetes.io'), { recursive: true });
      writeFileSync(join(dst, 'kubernetes.io/keep'), 'x');
      const r = sh(linkScript(src, dst, false));
      expect(r.status).toBe(0);
      expect(lstatSync(dst).isDirectory()).toBe(true);
      expect(readdirSync(dst).sort()).toEqual(['.hidden', 'eks.amazonaws.com', 'kubernetes.io']);
      expect(readlinkSync(join(dst, 'eks.amazonaws.com'))).toBe(join(src, 'eks.amazonaws.com'));
      expect(readlinkSync(join(dst, '.hidden'))).toBe(join(src, '.hidden'));
      expect(lstatSync(join(dst, 'kubernetes.io')).isSymbolicLink()).toBe(false);
      expect(readFileSync(join(dst, 'kubernetes.io/keep'), 'utf8')).toBe('x');
    });
  });

  test('a directory, a source without dotfiles: no link named after an unmatched pattern', () => {
    withRoot((_, src, dst) => {
      mkdirSync(dst, { recursive: true });
      const r = sh(linkScript(src, dst, false));
      expect(r.status).toBe(0);
      expect(readdirSync(dst)).toEqual(['eks.amazonaws.com']);
    });
  });

  test('a regular file: left alone, the hook still succeeds', () => {
    withRoot((root, src, dst) => {
      mkdirSync(join(root, 'var/run'), { recursive: true });
      writeFileSync(dst, 'not a dir');
      const r = sh(linkScript(src, dst, false));
      expect(r.status).toBe(0);
      expect(readFileSync(dst, 'utf8')).toBe('not a dir');
    });
  });

  test('chained: the original hook runs with its argv and its status is the hook status', () => {
    withRoot((root, src, dst) => {
      const marker = join(root, 'ran');
      const script = linkScript(src, dst, true);
      const ok = sh(script, '/bin/sh', '-c', 'printf "%s|" "$@" > "$0"', marker, 'a b');
      expect(ok.status).toBe(0);
      expect(readlinkSync(dst)).toBe(src);
      expect(readFileSync(marker, 'utf8')).toBe('a b|');
      expect(sh(script, '/bin/sh', '-c', 'exit 3').status).toBe(3);
    });
  });
});

describe('tmpfilesLine', () => {
  test.each([
    ['/var/run/secrets', 'L /run/secrets - - - - /kubernetes-info/secrets\n'],
    ['/var/run', 'L /run - - - - /kubernetes-info/secrets\n'],
    ['/run/secrets', 'L /run/secrets - - - - /kubernetes-info/secrets\n'],
    // Only a leading /var/run, as a whole path component, is the /run alias.
    ['/var/running/secrets', 'L /var/running/secrets - - - - /kubernetes-info/secrets\n'],
    ['/opt/var/run/secrets', 'L /opt/var/run/secrets - - - - /kubernetes-info/secrets\n'],
  ])('target %s', (target, line) => {
    expect(tmpfilesLine('/kubernetes-info/secrets', target)).toBe(line);
  });
});
