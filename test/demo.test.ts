// `npm run demo` as a person runs it: a child process walking the whole release cycle against the
// sandbox GitHub and the controller, asserting each step itself; this test reads what it printed.
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../demo/world.js';

jest.setTimeout(900_000);

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'demo.mjs'), ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run demo', () => {
  test('GIVEN an unknown flag WHEN the demo starts THEN it exits 1 naming the flag and the allowed ones, having started nothing', async () => {
    const { code, stdout, stderr } = await runDemo(['--kep']);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('npm run demo: unknown argument "--kep" (allowed: --keep, --help)');
    expect(stdout).toBe('');
  });

  test('GIVEN --help WHEN the demo starts THEN it prints its usage and exits 0, having started nothing', async () => {
    const { code, stdout, stderr } = await runDemo(['--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^usage: npm run demo \[-- --keep\]\n {2}--keep {2}leave the sandbox GitHub and the controller running/);
  });

  test('GIVEN a fresh sandbox GitHub and controller WHEN the demo walks the release cycle THEN every step passes and the table shows each environment at its merge', async () => {
    const { code, stdout, stderr } = await runDemo([]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    const steps = [...stdout.matchAll(/^\[(\d)\/8\] (.*)$/gm)].map((m) => Number(m[1]));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(stdout.match(/^ {2}✓ done in \d+\.\d s \(CPU \d+\.\d s\)$/gm)).toHaveLength(8);
    expect(stdout).not.toMatch(/^ {2}✗/m);
    // what the bot posted is shown: the plan checks, the blocked and then ready promotion, the applies
    expect(stdout).toMatch(/check {2}gitops\/plan\/dev on [0-9a-f]{7}: success/);
    expect(stdout).toContain('Blocked (prod): ✓ deployed to uat · ✗ approvals · ✓ plan current');
    expect(stdout).toContain('Ready to promote (prod): ✓ deployed to uat · ✓ approvals · ✓ plan current');
    expect(stdout).toMatch(/deploy prod [0-9a-f]{7} \([0-9a-f]{40}\): queued → in_progress → success/);
    expect(stdout).toContain('Terraform plan for dev');

    // the table: every environment's release stack records the commit its last successful deployment deployed
    const rows = Object.fromEntries(
      [...stdout.matchAll(/^ {2}(dev|uat|prod) +([0-9a-f]{7}) +([0-9a-f]{7}) success +#\d (\S+) → (\S+)$/gm)].map((m) => [
        m[1],
        [m[2], m[3], `${m[4]} → ${m[5]}`],
      ]),
    );
    expect(Object.keys(rows)).toEqual(['dev', 'uat', 'prod']);
    for (const [recorded, deployed] of Object.values(rows)) expect(recorded).toBe(deployed);
    // back-sync rebased uat and dev onto main and applied its pushes: every environment is at main's merge commit
    expect([rows.dev[2], rows.uat[2], rows.prod[2]]).toEqual(['release/demo → main', 'release/demo → main', 'release/demo → main']);
    expect(new Set(Object.values(rows).map(([c]) => c))).toEqual(new Set([rows.prod[0]]));
    expect(stdout).toMatch(/^status page: http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(stdout).toMatch(/^demo passed in \d+\.\d s \(CPU \d+\.\d s\)$/m);
  });
});
