// `npm run demo`: a full release cycle, offline, against the sandbox GitHub and the controller as a
// real server receiving signed webhooks. Prints each step and what the bot posted, ends with the
// environments' deployed commits and the status page's URL; exits 1 naming the first step that did
// not do what it should. `--keep` leaves both running until Ctrl-C.
import { performance } from 'node:perf_hooks';
import { keepReleaseStacksOnly } from './repository.js';
import { releaseCycle, StepFailed, APPROVER } from './release-cycle.js';
import { cpuSeconds, mark, postedSince, short, table } from './report.js';
import { deployedCommit, startWorld, type World } from './world.js';

const USAGE = 'usage: npm run demo [-- --keep]\n  --keep  leave the sandbox GitHub and the controller running (Ctrl-C stops them)';

export interface DemoArgs {
  readonly keep: boolean;
}

/** The command line's flags; an unknown one throws naming it and the allowed ones. */
export function parseArgs(argv: readonly string[]): DemoArgs | 'help' {
  let keep = false;
  for (const arg of argv) {
    if (arg === '--keep') keep = true;
    else if (arg === '--help' || arg === '-h') return 'help';
    else throw new Error(`npm run demo: unknown argument ${JSON.stringify(arg)} (allowed: --keep, --help)`);
  }
  return { keep };
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** Wall time since `ms`, and the CPU time used since `cpu`. */
const took = (ms: number, cpu: number) => `${seconds(performance.now() - ms)} (CPU ${(cpuSeconds() - cpu).toFixed(1)} s)`;

function finalTable(world: World, environments: readonly string[]): string[] {
  const { deployments, pulls } = world.sandbox.state;
  const rows = environments.map((env) => {
    const succeeded = deployments.filter((d) => d.environment === env && d.statuses.at(-1)?.state === 'success').at(-1);
    const pr = succeeded && pulls.find((p) => p.mergeCommitSha === succeeded.sha);
    return [
      env,
      short(deployedCommit(world.workDir, env)),
      succeeded ? `${short(succeeded.sha)} success` : '-',
      pr ? `#${pr.number} ${pr.headRef} → ${pr.baseRef}` : '-',
    ];
  });
  return table([['environment', 'deployed commit (release-<env> state)', 'last successful deployment', 'merged pull request'], ...rows]);
}

/** Resolves on the first Ctrl-C (SIGINT). */
const ctrlC = () => new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    out(USAGE);
    return 0;
  }
  const started = performance.now();
  const startedCpu = cpuSeconds();
  let environments: string[] = [];
  out('gitops demo: a release from a feature branch to production, offline');
  const world = await startWorld({
    permissions: { [APPROVER]: 'write' },
    prepare: (dir) => (environments = keepReleaseStacksOnly(dir)),
  });
  let done = false;
  // Ctrl-C during the cycle stops both and removes their directories instead of leaving them behind
  void ctrlC().then(async () => {
    if (args.keep && done) return;
    out('interrupted: stopping the controller and the sandbox…');
    await world.close();
    process.exit(130);
  });
  const statusPage = new URL('/', world.server.webhookUrl).href;
  out(`  GitHub (sandbox)  ${world.sandbox.apiUrl}  repository acme/infra, a bare repository of this checkout's`);
  out(`                    infrastructure, each environment (${environments.join(', ')}) reduced to its release-<env> stack`);
  out(`  controller        ${world.server.webhookUrl}  (signed webhooks), work directory ${world.workDir}`);
  out(`  ready in ${took(started, startedCpu)}`);

  const steps = releaseCycle();
  let failed: string | undefined;
  for (const [i, step] of steps.entries()) {
    out();
    out(`[${i + 1}/${steps.length}] ${step.title}`);
    const before = mark(world.sandbox);
    const t0 = performance.now();
    const cpu0 = cpuSeconds();
    try {
      await step.run(world);
    } catch (e) {
      failed = `step ${i + 1} (${step.title}) failed: ${e instanceof StepFailed ? e.message : (e as Error).stack}`;
    }
    for (const line of postedSince(world.sandbox, before)) out(`    ${line}`);
    if (failed) {
      out(`  ✗ ${failed}`);
      break;
    }
    out(`  ✓ done in ${took(t0, cpu0)}`);
  }

  out();
  for (const line of finalTable(world, environments)) out(`  ${line}`);
  out();
  out(`status page: ${statusPage}`);
  out(failed ? `demo FAILED after ${took(started, startedCpu)}: ${failed}` : `demo passed in ${took(started, startedCpu)}`);

  done = true;
  if (args.keep) {
    out();
    out('--keep: the sandbox GitHub and the controller keep running; Ctrl-C stops them.');
    out(`  status page    ${statusPage}`);
    const token = world.sandbox.issueToken({ user: 'developer' });
    out(`  pull requests  curl -H 'Authorization: token ${token}' ${world.sandbox.apiUrl}/repos/acme/infra/pulls?state=all`);
    out(`  repository     git clone http://x-access-token:${token}@${world.sandbox.gheHost}/acme/infra.git`);
    await ctrlC();
    out('stopping the controller and the sandbox…');
  }
  await world.close();
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
