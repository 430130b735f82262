// The release cycle the demo walks, one step at a time, each asserting what the controller must have
// done: feature → dev (plan, merge, dev applied), release → uat (plan, merge, uat applied),
// release → main (blocked until approved, approved, merged, prod applied), then back-sync of uat and dev.
import { execFileSync } from 'node:child_process';
import type { World } from './world.js';
import { checkRuns, deployedCommit } from './world.js';

/** A step that did not do what it should: the message says what was expected and what happened. */
export class StepFailed extends Error {}

export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StepFailed(message);
}

export interface Step {
  readonly title: string;
  run(world: World): Promise<void>;
}

export const FEATURE = 'feature/demo';
export const RELEASE = 'release/demo';
export const APPROVER = 'wanda';
const FILE = 'environments/README.md';

function isAncestor(bareRepoDir: string, ancestor: string, of: string): boolean {
  try {
    execFileSync('git', ['merge-base', '--is-ancestor', ancestor, of], { cwd: bareRepoDir, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The latest run of check `name` on `sha`, which must have concluded `conclusion`. */
function expectCheck(world: World, name: string, sha: string, conclusion: string) {
  const check = checkRuns(world.sandbox, name, sha).at(-1);
  expectThat(check, `no ${name} check run on ${sha.slice(0, 7)}`);
  expectThat(
    check.conclusion === conclusion,
    `${name} on ${sha.slice(0, 7)} should be ${conclusion}, is ${check.status}/${check.conclusion}: ${check.output.title}`,
  );
  return check;
}

/** The merge into `branch` was applied: its deployment succeeded and release-<env> records the commit. */
function expectApplied(world: World, env: string, sha: string) {
  expectCheck(world, `gitops/apply/${env}`, sha, 'success');
  const deployment = world.sandbox.state.deployments.filter((d) => d.environment === env && d.sha === sha).at(-1);
  expectThat(deployment, `no deployment of ${sha.slice(0, 7)} to ${env}`);
  const state = deployment.statuses.at(-1)?.state;
  expectThat(state === 'success', `the deployment of ${sha.slice(0, 7)} to ${env} ended ${state}, not success`);
  const recorded = deployedCommit(world.workDir, env);
  expectThat(recorded === sha, `release-${env}'s state records ${recorded ?? 'nothing'}, not the merge ${sha.slice(0, 7)}`);
}

function expectNoViolations(world: World) {
  const [first] = world.sandbox.violations;
  expectThat(!first, `the controller made a request GitHub would refuse: ${first?.method} ${first?.path}: ${first?.message}`);
}

/** The pull requests the cycle opens, by name, filled in as it goes. */
interface Pulls {
  intoDev?: number;
  intoUat?: number;
  intoMain?: { number: number; headSha: string };
  mainMerge?: string;
}

export function releaseCycle(): Step[] {
  const pulls: Pulls = {};
  /** Opens head → base; the controller must have allowed the pair and planned `env`. */
  const open = async (world: World, head: string, base: string, env: string) => {
    const pr = await world.sandbox.openPullRequest({ head, base, title: `${head} → ${base}` });
    await world.settle();
    expectCheck(world, 'gitops/branch-policy', pr.headSha, 'success');
    expectCheck(world, `gitops/plan/${env}`, pr.headSha, 'success');
    expectNoViolations(world);
    return pr;
  };
  const merge = async (world: World, pr: number, env: string) => {
    const { sha } = await world.sandbox.merge(pr);
    await world.settle();
    expectApplied(world, env, sha);
    expectNoViolations(world);
    return sha;
  };
  return [
    {
      title: `${FEATURE} → dev: a developer opens a pull request; the controller plans dev`,
      async run(world) {
        await world.sandbox.commit(FEATURE, { [FILE]: 'A change the demo takes to production.\n' }, 'Demo: a feature');
        pulls.intoDev = (await open(world, FEATURE, 'dev', 'dev')).number;
      },
    },
    {
      title: `${FEATURE} → dev merged: the controller applies dev`,
      run: async (world) => void (await merge(world, pulls.intoDev!, 'dev')),
    },
    {
      title: `${RELEASE} (cut from main with the feature) → uat: the controller plans uat`,
      async run(world) {
        await world.sandbox.createBranch(RELEASE, FEATURE);
        pulls.intoUat = (await open(world, RELEASE, 'uat', 'uat')).number;
      },
    },
    {
      title: `${RELEASE} → uat merged: the controller applies uat`,
      run: async (world) => void (await merge(world, pulls.intoUat!, 'uat')),
    },
    {
      title: `${RELEASE} → main: the promotion is blocked until someone approves it`,
      async run(world) {
        const pr = await open(world, RELEASE, 'main', 'prod');
        pulls.intoMain = pr;
        const gates = expectCheck(world, 'gitops/approvals/prod', pr.headSha, 'failure');
        expectThat(
          gates.output.title === 'Blocked (prod): ✓ deployed to uat · ✗ approvals · ✓ plan current',
          `gitops/approvals/prod should be blocked on the approval alone, says: ${gates.output.title}`,
        );
        expectNoViolations(world);
      },
    },
    {
      title: `${APPROVER} (write access) approves: every promotion gate holds`,
      async run(world) {
        const { number, headSha } = pulls.intoMain!;
        await world.sandbox.submitReview({ pr: number, user: APPROVER, state: 'approved' });
        await world.settle();
        expectCheck(world, 'gitops/approvals/prod', headSha, 'success');
        expectNoViolations(world);
      },
    },
    {
      title: `${RELEASE} → main merged: the controller applies prod`,
      async run(world) {
        pulls.mainMerge = await merge(world, pulls.intoMain!.number, 'prod');
      },
    },
    {
      title: 'back-sync: uat and dev are rebased onto main and their pushes applied',
      async run(world) {
        const main = pulls.mainMerge!;
        for (const branch of ['uat', 'dev']) {
          const tip = await world.sandbox.branchSha(branch);
          expectThat(
            tip && isAncestor(world.sandbox.bareRepoDir, main, tip),
            `${branch} (${tip?.slice(0, 7)}) was not rebased onto main (${main.slice(0, 7)})`,
          );
          const deployed = world.sandbox.state.deployments.filter(
            (d) => d.environment === branch && d.sha === tip && d.statuses.at(-1)?.state === 'success',
          );
          expectThat(deployed.length > 0, `back-sync's push of ${branch} (${tip?.slice(0, 7)}) was not deployed successfully`);
        }
        const sync = world.sandbox.state.pulls.filter((p) => p.headRef.startsWith('sync/') && p.state === 'open');
        expectThat(sync.length === 0, `back-sync left ${sync.map((p) => `#${p.number} ${p.headRef}`).join(', ')} open`);
        expectNoViolations(world);
      },
    },
  ];
}
