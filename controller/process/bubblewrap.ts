// The sandbox for pull request code (dependency install, synth): bubblewrap with every namespace of its own
// (PID, IPC, UTS, cgroup, network unless asked, user, mount), another host uid when the controller is root,
// a read-only view of the inputs, one writable output directory, a tmpfs HOME and /tmp, a minimal system
// (/usr and the few /etc files node and npm read) and resource limits. Nothing else of the host is mounted:
// not the controller's key, store or other jobs' work dirs, not /root, /etc/shadow, or the host's /proc.
import { isAbsolute, normalize } from 'node:path';

/** Resource limits (setrlimit, applied by util-linux prlimit inside the sandbox). */
export interface SandboxLimits {
  /** RLIMIT_DATA: writable private memory (node's heap); node reserves far more address space than it writes, so this, not RLIMIT_AS, bounds it. */
  readonly memoryBytes: number;
  /** RLIMIT_AS: address space, a backstop well above what node reserves. */
  readonly addressSpaceBytes: number;
  /** RLIMIT_CPU: CPU seconds of each process. */
  readonly cpuSeconds: number;
  /** RLIMIT_FSIZE: the largest file a process may write. */
  readonly fileSizeBytes: number;
  /** RLIMIT_NPROC: processes and threads of the sandbox's uid (a node process has about 11 threads). */
  readonly processes: number;
  /** RLIMIT_NOFILE: open files per process. */
  readonly openFiles: number;
  /** Size of each tmpfs (HOME and /tmp): they live in memory. */
  readonly tmpfsBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Measured with a synth of this repository's dev environment in the sandbox (peak RSS 175 MB outside it):
 * it fails with RLIMIT_DATA at 256 MiB (esbuild's service dies) and runs at 384 MiB; fails with RLIMIT_AS at 1 GiB
 * (std::bad_alloc) and runs at 1.5 GiB; fails with 16 processes (esbuild's threads count) and runs with 32.
 * The largest file `npm ci` writes for this lockfile is 131 MB (@cdktf/provider-aws/.jsii).
 * The limits are about 2.5 times what was needed. They hold per process: a sandbox's total memory is at most
 * `processes × memoryBytes` plus its tmpfs; a cgroup is what bounds the total.
 */
export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 1 * GiB,
  addressSpaceBytes: 4 * GiB,
  cpuSeconds: 600,
  fileSizeBytes: 512 * MiB,
  processes: 64,
  openFiles: 4096,
  tmpfsBytes: 256 * MiB,
};

export interface SandboxSpec {
  /** The program, by its host path: system directories and inputs are mounted at their own paths. */
  readonly command: string;
  readonly args: readonly string[];
  /** Working directory inside the sandbox (an input or the output). */
  readonly cwd: string;
  /** Host paths mounted read-only at the same path (the work tree's inputs, the dependency cache, node when outside /usr). */
  readonly inputs: readonly string[];
  /** The one writable host directory, mounted at the same path; it must be writable by the sandbox's uid. */
  readonly output: string;
  /** Environment of the command (build it with sandboxEnv); HOME and TMPDIR are the sandbox's own. */
  readonly env: Readonly<Record<string, string>>;
  /** Network access, for the dependency install only. @default false */
  readonly network?: boolean;
  /** @default DEFAULT_LIMITS */
  readonly limits?: Partial<SandboxLimits>;
}

/** What the probe found on this machine: the tools' paths and whether the controller can switch uid. */
export interface SandboxHost {
  readonly bwrap: string;
  readonly setpriv: string;
  readonly prlimit: string;
  /** The controller is root: the sandbox runs as SANDBOX_UID on the host too (else the controller's uid, mapped). */
  readonly root: boolean;
}

/** nobody: owns no file of the controller, so a 0600 file that is somehow reachable is still unreadable. */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
export const SANDBOX_HOME = '/home/sandbox';

/** System paths mounted read-only: programs and libraries. */
const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib64'];
/** The /etc files node and npm read: the dynamic linker's cache, name resolution, CA certificates, time zone. */
const ETC_PATHS = [
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/alternatives',
  '/etc/nsswitch.conf',
  '/etc/host.conf',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/ssl/certs',
  '/etc/ca-certificates',
  '/etc/localtime',
];

/** Host paths no input may be, contain or lie in: they hold the host's secrets and processes. */
const HOST_ONLY_PATHS = ['/etc', '/proc', '/sys', '/dev', '/root', '/run', '/var/run', '/boot'];

const within = (path: string, dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);

function pathProblem(field: string, path: string): string | undefined {
  if (!isAbsolute(path) || normalize(path) !== path || (path !== '/' && path.endsWith('/'))) {
    return `${field} ${JSON.stringify(path)} must be an absolute path without . or .. segments`;
  }
  const host = HOST_ONLY_PATHS.find((dir) => within(path, dir) || within(dir, path));
  return host === undefined ? undefined : `${field} ${path} would mount the host's ${host} (${HOST_ONLY_PATHS.join(', ')} stay out)`;
}

/** Every problem of a spec, in one list (empty when it is good). */
export function sandboxSpecProblems(spec: SandboxSpec): string[] {
  const problems: (string | undefined)[] = [];
  if (!isAbsolute(spec.command)) problems.push(`command ${JSON.stringify(spec.command)} must be an absolute path`);
  spec.inputs.forEach((p, i) => problems.push(pathProblem(`inputs[${i}]`, p)));
  problems.push(pathProblem('output', spec.output));
  if (spec.inputs.includes(spec.output)) problems.push(`output ${spec.output} is also an input`);
  if (![...spec.inputs, spec.output].some((dir) => within(spec.cwd, dir))) {
    problems.push(`cwd ${JSON.stringify(spec.cwd)} must be inside an input or the output`);
  }
  for (const [name, value] of Object.entries(spec.limits ?? {})) {
    if (!Number.isSafeInteger(value) || value <= 0) problems.push(`limits.${name} must be a positive whole number, not ${value}`);
  }
  return problems.filter((p): p is string => p !== undefined);
}

export interface BubblewrapCommand {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** The command line that runs `spec` in the sandbox. Pure: the caller runs it (runCommand with `lifetime: false`). */
export function bubblewrapCommand(spec: SandboxSpec, host: SandboxHost): BubblewrapCommand {
  const problems = sandboxSpecProblems(spec);
  if (problems.length > 0) throw new Error(`sandbox spec: ${problems.join('; ')}`);
  const limits = { ...DEFAULT_LIMITS, ...spec.limits };
  // setpriv clears the parent-death signal when it changes uid, then sets it: bwrap itself dies with the controller.
  const asUser = host.root
    ? [host.setpriv, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_GID}`, '--clear-groups', '--pdeathsig', 'SIGKILL', '--']
    : [host.setpriv, '--pdeathsig', 'SIGKILL', '--'];
  const bwrap = [
    host.bwrap,
    '--unshare-all',
    '--unshare-user',
    ...(spec.network ? ['--share-net'] : []),
    '--disable-userns',
    `--uid`,
    String(SANDBOX_UID),
    `--gid`,
    String(SANDBOX_GID),
    '--hostname',
    'sandbox',
    '--die-with-parent',
    '--new-session',
    ...SYSTEM_PATHS.flatMap((p) => ['--ro-bind-try', p, p]),
    ...ETC_PATHS.flatMap((p) => ['--ro-bind-try', p, p]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(limits.tmpfsBytes),
    '--tmpfs',
    '/tmp',
    '--size',
    String(limits.tmpfsBytes),
    '--tmpfs',
    SANDBOX_HOME,
    ...spec.inputs.flatMap((p) => ['--ro-bind', p, p]),
    '--bind',
    spec.output,
    spec.output,
    // The root and /dev are tmpfs of their own that would otherwise be writable, and unbounded.
    '--remount-ro',
    '/dev',
    '--remount-ro',
    '/',
    '--chdir',
    spec.cwd,
    '--',
  ];
  const prlimit = [
    host.prlimit,
    `--data=${limits.memoryBytes}`,
    `--as=${limits.addressSpaceBytes}`,
    `--cpu=${limits.cpuSeconds}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--nproc=${limits.processes}`,
    `--nofile=${limits.openFiles}`,
    '--core=0',
    '--',
  ];
  const [command, ...args] = [...asUser, ...bwrap, ...prlimit, spec.command, ...spec.args];
  return { command, args, env: { ...spec.env, HOME: SANDBOX_HOME, TMPDIR: '/tmp' } };
}
