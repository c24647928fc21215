import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTempRoots, systemdAvailable, systemdManagerEnvironment, tempRoot } from './harness';

/**
 * The Dockerfile execution harness leaves nothing in the temporary directory: the roots a
 * test file made go with removeTempRoots (its afterAll), and a systemd manager's test
 * directory (its HOME) goes as soon as its environment is read.
 */
const haveSystemd = systemdAvailable();

test('removeTempRoots removes every root made, and only once', () => {
  const roots = [tempRoot('temp-roots-a'), tempRoot('temp-roots-b')];
  for (const root of roots) {
    expect(root.startsWith(join(tmpdir(), 'retarget-temp-roots-'))).toBe(true);
    expect(existsSync(join(root, 'etc'))).toBe(true);
  }
  removeTempRoots();
  expect(roots.filter((root) => existsSync(root))).toEqual([]);
  expect(() => removeTempRoots()).not.toThrow();
});

(haveSystemd ? test : test.skip)('the systemd manager leaves no directory behind', () => {
  const env = systemdManagerEnvironment('[Manager]\nDefaultEnvironment=RETARGET_PROBE=1\n');
  expect(env.get('RETARGET_PROBE')).toBe('1');
  const home = env.get('HOME') ?? '';
  expect(home.startsWith(join(tmpdir(), 'retarget-systemd-'))).toBe(true);
  expect(existsSync(home)).toBe(false);
});
