import { errorOf } from '../../test/error-of.js';
import { bubblewrapCommand, DEFAULT_LIMITS, sandboxSpecProblems, type SandboxHost, type SandboxSpec } from './bubblewrap.js';

const host: SandboxHost = { bwrap: '/usr/bin/bwrap', setpriv: '/usr/bin/setpriv', prlimit: '/usr/bin/prlimit', root: true };
const spec: SandboxSpec = {
  command: '/usr/bin/node',
  args: ['bin/gitops.mjs', 'synth'],
  cwd: '/work/jobs/42/tree',
  inputs: ['/work/jobs/42/tree', '/work/deps/abc/node_modules'],
  output: '/work/jobs/42/out',
  env: { PATH: '/usr/bin:/bin', CI: '1', HOME: '/root' },
};

/** The values that follow each occurrence of `flag`. */
function after(args: readonly string[], flag: string, count = 1): string[][] {
  return args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 1 + count)] : []));
}

describe('bubblewrapCommand', () => {
  test('GIVEN a root controller WHEN a spec is turned into a command line THEN setpriv switches to nobody and keeps the parent-death signal', () => {
    const line = bubblewrapCommand(spec, host);
    expect(line.command).toBe('/usr/bin/setpriv');
    expect(line.args.slice(0, 7)).toEqual([
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      '--pdeathsig',
      'SIGKILL',
      '--',
      '/usr/bin/bwrap',
    ]);
  });

  test('GIVEN a controller that is not root WHEN turned into a command line THEN only the parent-death signal is set (the uid is mapped)', () => {
    const line = bubblewrapCommand(spec, { ...host, root: false });
    expect(line.args.slice(0, 4)).toEqual(['--pdeathsig', 'SIGKILL', '--', '/usr/bin/bwrap']);
  });

  test('GIVEN a spec WHEN turned into a command line THEN every namespace is new, the network is off and the sandbox dies with its parent', () => {
    const { args } = bubblewrapCommand(spec, host);
    for (const flag of ['--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session'])
      expect(args).toContain(flag);
    expect(args).not.toContain('--share-net');
    expect(after(args, '--uid')).toEqual([['65534']]);
    expect(after(args, '--proc')).toEqual([['/proc']]);
    expect(after(args, '--remount-ro')).toEqual([['/dev'], ['/']]);
  });

  test('GIVEN a spec WHEN turned into a command line THEN inputs are read-only, the output is the one writable bind, HOME and /tmp are sized tmpfs', () => {
    const { args, env } = bubblewrapCommand(spec, host);
    expect(after(args, '--ro-bind', 2)).toEqual([
      ['/work/jobs/42/tree', '/work/jobs/42/tree'],
      ['/work/deps/abc/node_modules', '/work/deps/abc/node_modules'],
    ]);
    expect(after(args, '--bind', 2)).toEqual([['/work/jobs/42/out', '/work/jobs/42/out']]);
    expect(after(args, '--tmpfs')).toEqual([['/tmp'], ['/home/sandbox']]);
    expect(after(args, '--size')).toEqual([[String(DEFAULT_LIMITS.tmpfsBytes)], [String(DEFAULT_LIMITS.tmpfsBytes)]]);
    expect(after(args, '--chdir')).toEqual([['/work/jobs/42/tree']]);
    expect(env).toEqual({ PATH: '/usr/bin:/bin', CI: '1', HOME: '/home/sandbox', TMPDIR: '/tmp' });
  });

  test('GIVEN a spec WHEN turned into a command line THEN the system is /usr and a short list of /etc files, never /etc, /root or the host /proc', () => {
    const { args } = bubblewrapCommand(spec, host);
    const mounted = after(args, '--ro-bind-try', 2).map(([source]) => source);
    expect(mounted).toEqual(expect.arrayContaining(['/usr', '/bin', '/lib', '/etc/ld.so.cache', '/etc/resolv.conf', '/etc/ssl/certs']));
    expect(mounted.filter((p) => p.startsWith('/etc/'))).not.toContain('/etc/shadow');
    for (const path of ['/', '/etc', '/root', '/proc', '/etc/shadow', '/etc/passwd', '/home', '/var', '/work'])
      expect(mounted).not.toContain(path);
  });

  test('GIVEN limits WHEN turned into a command line THEN prlimit applies them inside the sandbox, just before the command', () => {
    const { args } = bubblewrapCommand({ ...spec, limits: { memoryBytes: 1000, processes: 7 } }, host);
    const start = args.indexOf('/usr/bin/prlimit');
    expect(start).toBeGreaterThan(args.indexOf('/usr/bin/bwrap'));
    expect(args.slice(start)).toEqual([
      '/usr/bin/prlimit',
      '--data=1000',
      `--as=${DEFAULT_LIMITS.addressSpaceBytes}`,
      `--cpu=${DEFAULT_LIMITS.cpuSeconds}`,
      `--fsize=${DEFAULT_LIMITS.fileSizeBytes}`,
      '--nproc=7',
      `--nofile=${DEFAULT_LIMITS.openFiles}`,
      '--core=0',
      '--',
      '/usr/bin/node',
      'bin/gitops.mjs',
      'synth',
    ]);
  });

  test('GIVEN network: true (the dependency install) WHEN turned into a command line THEN the network namespace is shared', () => {
    expect(bubblewrapCommand({ ...spec, network: true }, host).args).toContain('--share-net');
  });
});

describe('sandboxSpecProblems', () => {
  test('GIVEN a good spec WHEN checked THEN there is no problem', () => {
    expect(sandboxSpecProblems(spec)).toEqual([]);
  });

  test('GIVEN relative paths, dot segments and a cwd outside the mounts WHEN turned into a command line THEN one error lists them all', () => {
    const bad: SandboxSpec = { ...spec, command: 'node', inputs: ['tree', '/work/../etc/x'], output: '/work/out/', cwd: '/elsewhere' };
    expect(errorOf(() => bubblewrapCommand(bad, host))).toBe(
      'sandbox spec: command "node" must be an absolute path; inputs[0] "tree" must be an absolute path without . or .. segments; ' +
        'inputs[1] "/work/../etc/x" must be an absolute path without . or .. segments; ' +
        'output "/work/out/" must be an absolute path without . or .. segments; cwd "/elsewhere" must be inside an input or the output',
    );
  });

  test.each([
    ['/', '/etc'],
    ['/etc', '/etc'],
    ['/etc/ssl', '/etc'],
    ['/root/.ssh', '/root'],
    ['/proc', '/proc'],
    ['/run/secrets', '/run'],
  ])('GIVEN the input %s WHEN checked THEN it is refused for mounting the host %s', (input, hostPath) => {
    expect(sandboxSpecProblems({ ...spec, inputs: [input], cwd: spec.output })).toEqual([
      `inputs[0] ${input} would mount the host's ${hostPath} (/etc, /proc, /sys, /dev, /root, /run, /var/run, /boot stay out)`,
    ]);
  });

  test('GIVEN the output also listed as an input and bad limits WHEN checked THEN each is named', () => {
    expect(sandboxSpecProblems({ ...spec, inputs: [spec.output], cwd: spec.output, limits: { cpuSeconds: 0, processes: 1.5 } })).toEqual([
      'output /work/jobs/42/out is also an input',
      'limits.cpuSeconds must be a positive whole number, not 0',
      'limits.processes must be a positive whole number, not 1.5',
    ]);
  });
});
