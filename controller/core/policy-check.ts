// The `gitops/policy/<env>` check run of a pull request, driven by runPlan in the same job: it starts
// in_progress beside the plan check, and completes from the synth output the planner hands back (the
// policy is judged on configuration, so it does not wait on terraform being able to plan). Its outcome
// is never thrown: a policy that cannot be checked is a completed check that says why.
import { renderPolicyCheckOutput, renderPolicyUnavailable } from '../comment/policy.js';
import type { PolicyLine } from '../comment/templates.js';
import type { PolicySettings } from '../../modules/policy/engine.js';
import type { PlannedPullRequest, PlanReport } from './ports/plan-report.js';
import { errorLine, fitText, fitTitle } from '../comment/limits.js';
import { evaluatePolicyGate, type PolicyGateResult } from '../rules/policy-gate.js';
import { policyCheckName } from './check-names.js';
import type { CheckRunConclusion, RepoGitHub } from './ports/github.js';
import { shortSha, type PullRequestRef } from './ports/session.js';

/** What the policy check ended as; `line` goes into the sticky comment (and the stored plan, for stale re-renders). */
export interface PolicyCheckOutcome {
  readonly conclusion: CheckRunConclusion;
  readonly line: PolicyLine;
  /** Present when the policy was evaluated. */
  readonly result?: PolicyGateResult;
}

/** A policy that could not be checked fails an enforcing environment and only informs a reporting one. */
const unavailableConclusion = (settings: PolicySettings): CheckRunConclusion => (settings.level === 'error' ? 'failure' : 'neutral');

export class PolicyCheck {
  private constructor(
    private readonly github: RepoGitHub,
    private readonly pr: PullRequestRef,
    private readonly environment: string,
    private readonly settings: PolicySettings,
    readonly id: number,
  ) {}

  /** Creates the check in_progress on the head. */
  static async start(
    github: RepoGitHub,
    pr: PullRequestRef,
    environment: string,
    settings: PolicySettings,
    externalId?: string,
  ): Promise<PolicyCheck> {
    const id = await github.createCheckRun({
      name: policyCheckName(environment),
      headSha: pr.headSha,
      status: 'in_progress',
      externalId,
      title: `Checking the policy of ${environment} at ${shortSha(pr.headSha)}`,
      summary: `Waiting for the synth of ${shortSha(pr.headSha)} and its base ${shortSha(pr.baseSha)}; the affected stacks of ${environment} are then checked at level ${settings.level} with the waivers of ${pr.baseRef}.`,
    });
    return new PolicyCheck(github, pr, environment, settings, id);
  }

  /** Evaluates the gate on the synth output (pure, fast); an engine error becomes an "unavailable" outcome. */
  evaluate(planned: PlannedPullRequest): PolicyCheckOutcome {
    return evaluatePolicyCheck(this.pr, this.environment, this.settings, planned.report, planned.synthesized);
  }

  async complete(outcome: PolicyCheckOutcome, repoUrl?: string): Promise<void> {
    const output = outcome.result
      ? renderPolicyCheckOutput(outcome.result, { repoUrl })
      : renderPolicyUnavailable({
          environment: this.environment,
          headSha: this.pr.headSha,
          reason: outcome.line.unavailable ?? 'no result',
          level: this.settings.level,
        });
    await this.github.updateCheckRun(this.id, {
      status: 'completed',
      conclusion: outcome.conclusion,
      title: fitTitle(output.title),
      summary: fitText(output.summary),
      text: output.text === '' ? undefined : fitText(output.text),
    });
  }

  /** The plan failed before any synth output existed. */
  async notChecked(reason: string): Promise<void> {
    await this.complete(unavailable(this.environment, this.settings, `the plan failed: ${reason}`));
  }

  /** A newer push superseded the job. */
  async cancel(by: string): Promise<void> {
    await this.github.updateCheckRun(this.id, {
      status: 'completed',
      conclusion: 'cancelled',
      title: fitTitle(`Stopped: ${by}`),
      summary: `The policy check of ${shortSha(this.pr.headSha)} was stopped: ${by}.`,
    });
  }
}

function unavailable(environment: string, settings: PolicySettings, reason: string): PolicyCheckOutcome {
  const conclusion = unavailableConclusion(settings);
  return { conclusion, line: { environment, conclusion: conclusion === 'failure' ? 'failure' : 'neutral', unavailable: reason } };
}

/** The gate over a plan's affected stacks, as a check outcome; never throws. */
export function evaluatePolicyCheck(
  pr: Pick<PullRequestRef, 'headSha' | 'baseSha' | 'baseRef'>,
  environment: string,
  settings: PolicySettings,
  report: Pick<PlanReport, 'stacks'>,
  synthesized: PlannedPullRequest['synthesized'],
): PolicyCheckOutcome {
  if (!synthesized) return unavailable(environment, settings, 'the planner handed back no synthesized configuration');
  let result: PolicyGateResult;
  try {
    result = evaluatePolicyGate({
      environment,
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      baseRef: pr.baseRef,
      settings,
      stacks: report.stacks,
      synthesized,
    });
  } catch (e) {
    // the head's JSON is the pull request's output: a shape the rules cannot read is reported, not thrown
    return unavailable(environment, settings, `the synthesized configuration could not be checked: ${errorLine(e)}`);
  }
  return {
    conclusion: result.conclusion,
    result,
    line: { environment, conclusion: result.conclusion, summary: result.summary, newFailures: result.newFailures.length },
  };
}
