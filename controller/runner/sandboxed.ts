// Terraform on pull request configuration runs in the bubblewrap sandbox, like the synth that produced it:
// `file()`, `templatefile()` and provider plugins (an `external` data source runs any program) then see the
// job's work directory and the system, not the controller's key, store, environment, other jobs or state.
// Unlike synth it has the network (providers and the clouds' APIs) and the plan credentials, which are
// read-only by design. The state of a local backend is a snapshot copied into the work directory.
import { chownSync, copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_GID, SANDBOX_UID, type SandboxHost } from '../process/bubblewrap.js';
import { findExecutable } from '../process/executable.js';
import { inputsForProgram, runInSandbox, sandboxReachProblem } from '../process/sandbox.js';
import { LOG_LIMIT, STDOUT_LIMIT_BYTES, type ProcessResult, type SpawnOptions } from './process.js';

/** The snapshot of a local backend's state inside the work directory. */
export const STATE_SNAPSHOT = 'sandbox.tfstate';

/** Threads count as processes of the sandbox's uid: terraform and a provider plugin start dozens. */
const TERRAFORM_PROCESSES = 512;

const BACKEND_PATH = /^-backend-config=path=(.+)$/;

/**
 * Makes `workDir` the sandbox's own: the local state (named by `backendArgs`) copied in, everything owned by
 * the sandbox's uid when the controller is root. Returns the backend arguments that point at the copy.
 */
export function sandboxedWorkDir(workDir: string, backendArgs: readonly string[], host: SandboxHost): string[] {
  const args = backendArgs.map((arg) => {
    const state = BACKEND_PATH.exec(arg)?.[1];
    if (state === undefined) return arg;
    const snapshot = join(workDir, STATE_SNAPSHOT);
    if (existsSync(state)) copyFileSync(state, snapshot);
    return `-backend-config=path=${snapshot}`;
  });
  if (host.root) chownTree(workDir);
  return args;
}

function chownTree(dir: string): void {
  chownSync(dir, SANDBOX_UID, SANDBOX_GID);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) chownTree(path);
    else chownSync(path, SANDBOX_UID, SANDBOX_GID);
  }
}

/** Runs one terraform command in the sandbox with the work directory as its one writable directory. */
export async function runInSandboxedTerraform(
  bin: string,
  args: readonly string[],
  spawn: SpawnOptions,
  host: SandboxHost,
): Promise<ProcessResult> {
  const program = findExecutable(bin, spawn.env.PATH, spawn.cwd);
  if (program === undefined) throw new Error(`cannot run ${bin}: not found on PATH ${spawn.env.PATH ?? '(unset)'}`);
  const unreachable = sandboxReachProblem(spawn.cwd, host);
  if (unreachable) throw new Error(unreachable);
  // The plugin cache is shared by every job: a pull request's plan must not write providers into it.
  const { TF_PLUGIN_CACHE_DIR: _shared, ...env } = spawn.env;
  const spec = {
    command: program,
    args,
    cwd: spawn.cwd,
    inputs: inputsForProgram(program),
    output: spawn.cwd,
    env,
    network: true,
    limits: { processes: TERRAFORM_PROCESSES },
  };
  return runInSandbox(spec, host, {
    timeoutMs: spawn.timeoutMs,
    signal: spawn.signal,
    secrets: spawn.secrets,
    killGraceMs: spawn.killGraceMs ?? 10_000,
    stdoutLimit: STDOUT_LIMIT_BYTES,
    logLimit: LOG_LIMIT,
  });
}
