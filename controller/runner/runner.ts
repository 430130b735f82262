// Runs terraform for one synthesized stack in a per-job work directory:
// init → plan -out → show -json, and apply <saved plan>. Bounded concurrency; explicit environment: PATH,
// HOME and terraform's settings, plus the credentials of the call (RunOptions.credentials), masked in logs.
import { cpSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import {
  firstDiagnostic,
  TerraformAbortedError,
  TerraformApplyError,
  TerraformError,
  TerraformInitError,
  TerraformPlanError,
  TerraformTimeoutError,
  type TerraformStage,
} from './errors.js';
import { runProcess, STDOUT_LIMIT_BYTES, type ProcessResult } from './process.js';
import { runInSandboxedTerraform, sandboxedWorkDir } from './sandboxed.js';
import type { SandboxHost } from '../process/bubblewrap.js';
import { summarizePlan } from './summary.js';
import type { ApplyResult, PlanResult, RunOptions, StackDir, StackRunner } from '../core/ports/terraform.js';

export interface RunnerOptions {
  /** Per-job work directories, the plugin cache and (by default) local state live under it. */
  readonly workRoot: string;
  /** @default 'terraform' on PATH */
  readonly terraformBin?: string;
  /** Per terraform command. @default 600000 (10 minutes) */
  readonly timeoutMs?: number;
  /** Where local-backend state files live, so state outlives per-job directories. @default <workRoot>/state */
  readonly stateDir?: string;
  /** Terraform commands running at once. @default 2 */
  readonly concurrency?: number;
  /**
   * Where plans of pull request configuration (`untrusted`) run: a bubblewrap host, or `'none'` to run them as
   * the controller's user (the operator's explicit GITOPS_UNSAFE_SANDBOX=1).
   * @default none given: an untrusted plan fails, naming this option
   */
  readonly sandbox?: SandboxHost | 'none';
}

const JOB_ID = /^[A-Za-z0-9._-]{1,100}$/;
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class TerraformRunner implements StackRunner {
  private readonly bin: string;
  private readonly timeoutMs: number;
  private readonly stateDir: string;
  private readonly queue: PQueue;

  constructor(private readonly opts: RunnerOptions) {
    this.bin = opts.terraformBin ?? 'terraform';
    this.timeoutMs = opts.timeoutMs ?? 600_000;
    this.stateDir = resolve(opts.stateDir ?? join(opts.workRoot, 'state'));
    this.queue = new PQueue({ concurrency: opts.concurrency ?? 2 });
  }

  /** `init`, `plan -out`, `show -json` in a fresh work directory for the stack. */
  plan(stack: StackDir, opts: RunOptions = {}): Promise<PlanResult> {
    return this.queue.add(() => this.runPlan(stack, opts));
  }

  /** Removes a plan's work directory and its saved plan file (which holds sensitive values in clear). */
  async discard(plan: Pick<PlanResult, 'workDir'>): Promise<void> {
    await rm(plan.workDir, { recursive: true, force: true });
  }

  /** Applies a saved plan in the work directory it was made in. */
  apply(plan: PlanResult, opts: RunOptions = {}): Promise<ApplyResult> {
    return this.queue.add(() => this.runApply(plan, opts));
  }

  private environment(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      TF_PLUGIN_CACHE_DIR: join(resolve(this.opts.workRoot), 'plugin-cache'),
    };
    return { ...env, ...(extra ?? {}) };
  }

  private async run(
    stack: string,
    stage: TerraformStage,
    args: string[],
    cwd: string,
    extraEnv: Readonly<Record<string, string>> | undefined,
    signal?: AbortSignal,
    box?: SandboxHost,
  ): Promise<ProcessResult> {
    const secrets = Object.values(extraEnv ?? {});
    const spawn = { cwd, env: this.environment(extraEnv), timeoutMs: this.timeoutMs, signal, secrets };
    let result: ProcessResult;
    try {
      result = box ? await runInSandboxedTerraform(this.bin, args, spawn, box) : await runProcess(this.bin, args, spawn);
    } catch (e) {
      throw new TerraformError(stack, stage, (e as Error).message, null, '');
    }
    const tail = result.log.slice(-4000);
    if (result.aborted) throw new TerraformAbortedError(stack, stage, 'cancelled (superseded or shut down)', result.exitCode, tail);
    if (result.timedOut) throw new TerraformTimeoutError(stack, stage, `timed out after ${this.timeoutMs} ms`, result.exitCode, tail);
    if (result.stdoutOverflow) {
      throw new TerraformError(stack, stage, `printed more than ${STDOUT_LIMIT_BYTES / 1024 / 1024} MiB on stdout`, result.exitCode, tail);
    }
    return result;
  }

  private prepareWorkDir(stack: StackDir, jobId: string): string {
    const problems: string[] = [];
    if (!STACK_NAME.test(stack.name))
      problems.push(`stack name ${JSON.stringify(stack.name)} is not a stack name (letters, digits, . _ -)`);
    if (!JOB_ID.test(jobId)) problems.push(`job id ${JSON.stringify(jobId)} must be 1-100 of letters, digits, . _ -`);
    if (!existsSync(join(stack.dir, 'cdk.tf.json')))
      problems.push(`${join(stack.dir, 'cdk.tf.json')} does not exist (run gitops synth first)`);
    if (problems.length > 0) throw new TerraformError(stack.name, 'init', problems.join('; '), null, '');
    const workDir = join(resolve(this.opts.workRoot), 'jobs', stack.name, jobId);
    mkdirSync(workDir, { recursive: true });
    cpSync(stack.dir, workDir, { recursive: true, filter: (src) => !/(^|\/)(\.terraform|.*\.tfstate(\.backup)?|plan\.tfplan)$/.test(src) });
    mkdirSync(this.environment(undefined).TF_PLUGIN_CACHE_DIR, { recursive: true });
    return workDir;
  }

  private backendArgs(workDir: string, stack: string): string[] {
    const config = JSON.parse(readFileSync(join(workDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: Record<string, unknown> } };
    const backend = config.terraform?.backend;
    if (backend && !('local' in backend)) return [];
    mkdirSync(this.stateDir, { recursive: true });
    return [`-backend-config=path=${join(this.stateDir, `${stack}.tfstate`)}`];
  }

  /** The sandbox an untrusted plan runs in; undefined for the operator's 'none'; throws when the runner has no say. */
  private untrustedSandbox(stack: string): SandboxHost | undefined {
    const sandbox = this.opts.sandbox;
    if (sandbox === undefined) {
      throw new TerraformError(
        stack,
        'init',
        "a plan of pull request configuration runs only in a sandbox, and this runner has none (TerraformRunner's sandbox option; GITOPS_UNSAFE_SANDBOX=1 runs it without one)",
        null,
        '',
      );
    }
    return sandbox === 'none' ? undefined : sandbox;
  }

  /** A plan that fails (or is aborted) leaves no work directory behind: a plan file may already be in it. */
  private async runPlan(stack: StackDir, opts: RunOptions): Promise<PlanResult> {
    const workDir = this.prepareWorkDir(stack, opts.jobId ?? randomUUID());
    try {
      return await this.planIn(workDir, stack, opts);
    } catch (e) {
      await this.discard({ workDir });
      throw e;
    }
  }

  private async planIn(workDir: string, stack: StackDir, opts: RunOptions): Promise<PlanResult> {
    const logs: string[] = [];
    const box = opts.untrusted ? this.untrustedSandbox(stack.name) : undefined;
    let backend = this.backendArgs(workDir, stack.name);
    // In the sandbox the local state is a copy inside the job's own directory: the state directory (every
    // stack's state) is not mounted, and a pull request's plan cannot take or break the real state's lock.
    if (box) backend = sandboxedWorkDir(workDir, backend, box);
    const init = await this.run(
      stack.name,
      'init',
      ['init', '-input=false', '-no-color', ...backend],
      workDir,
      opts.credentials?.plan,
      opts.signal,
      box,
    );
    logs.push(init.log);
    if (init.exitCode !== 0) {
      const diag = firstDiagnostic(init.log) ?? `exit code ${init.exitCode}`;
      const reason = /provider|registry|Failed to (query|install)/i.test(diag) ? `providers cannot be installed: ${diag}` : diag;
      throw new TerraformInitError(stack.name, 'init', reason, init.exitCode, init.log.slice(-4000));
    }
    const planFile = join(workDir, 'plan.tfplan');
    const plan = await this.run(
      stack.name,
      'plan',
      ['plan', '-input=false', '-no-color', '-lock-timeout=60s', '-detailed-exitcode', `-out=${planFile}`],
      workDir,
      opts.credentials?.plan,
      opts.signal,
      box,
    );
    logs.push(plan.log);
    if (plan.exitCode !== 0 && plan.exitCode !== 2) {
      throw new TerraformPlanError(
        stack.name,
        'plan',
        firstDiagnostic(plan.log) ?? `exit code ${plan.exitCode}`,
        plan.exitCode,
        plan.log.slice(-4000),
      );
    }
    const show = await this.run(
      stack.name,
      'show',
      ['show', '-json', '-no-color', planFile],
      workDir,
      opts.credentials?.plan,
      opts.signal,
      box,
    );
    if (show.exitCode !== 0) {
      throw new TerraformPlanError(
        stack.name,
        'show',
        firstDiagnostic(show.log) ?? `exit code ${show.exitCode}`,
        show.exitCode,
        show.log.slice(-4000),
      );
    }
    const planJson: unknown = JSON.parse(show.stdout);
    const summary = summarizePlan(stack.name, planJson);
    return {
      stack: stack.name,
      planFile,
      workDir,
      summary,
      planJson,
      log: logs.join('\n'),
      ...(opts.untrusted ? { untrusted: true } : {}),
    };
  }

  private async runApply(plan: PlanResult, opts: RunOptions): Promise<ApplyResult> {
    if (plan.untrusted) {
      throw new TerraformApplyError(
        plan.stack,
        'apply',
        'a plan of pull request configuration is never applied (plan the merged commit)',
        null,
        '',
      );
    }
    if (!existsSync(plan.planFile)) {
      throw new TerraformApplyError(plan.stack, 'apply', `saved plan ${plan.planFile} does not exist (plan again)`, null, '');
    }
    const apply = await this.run(
      plan.stack,
      'apply',
      ['apply', '-input=false', '-no-color', '-lock-timeout=60s', plan.planFile],
      plan.workDir,
      opts.credentials?.apply,
      opts.signal,
    );
    if (apply.exitCode !== 0) {
      throw new TerraformApplyError(
        plan.stack,
        'apply',
        firstDiagnostic(apply.log) ?? `exit code ${apply.exitCode}`,
        apply.exitCode,
        apply.log.slice(-4000),
      );
    }
    const out = await this.run(plan.stack, 'show', ['output', '-json', '-no-color'], plan.workDir, opts.credentials?.apply, opts.signal);
    const raw = out.exitCode === 0 ? (JSON.parse(out.stdout || '{}') as Record<string, { value: unknown; sensitive: boolean }>) : {};
    const outputs = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.sensitive ? '(sensitive)' : v.value]));
    return { stack: plan.stack, log: apply.log, outputs };
  }
}
