import type { ControllerCore } from '../core/controller.js';
import type { PullRequestRef, RepoSession } from '../core/ports/session.js';
import { jobOf, parseOrder, repositoryOfOrder, type JobOrder } from './job-orders.js';

const pr: PullRequestRef = {
  owner: 'acme',
  repo: 'infra',
  number: 9,
  headRef: 'feature/x',
  headSha: 'a'.repeat(40),
  baseRef: 'dev',
  baseSha: 'b'.repeat(40),
  cloneUrl: 'https://github.example/acme/infra.git',
};
const push = { owner: 'acme', repo: 'infra', cloneUrl: pr.cloneUrl, branch: 'dev', before: 'b'.repeat(40), after: 'c'.repeat(40) };

describe('job orders', () => {
  test('GIVEN every kind of order WHEN made into jobs THEN pull request work shares the pull request’s key, pushes the branch’s, only plans supersede, and the order survives JSON', async () => {
    const calls: string[] = [];
    const core = {
      pullRequestChanged: async (_s: RepoSession, ref: PullRequestRef) => void calls.push(`plan ${ref.number}`),
      pushed: async (_s: RepoSession, p: { branch: string }) => void calls.push(`push ${p.branch}`),
    } as unknown as ControllerCore;
    const session = { installationId: 5 } as RepoSession;
    const orders: JobOrder[] = [
      { kind: 'plan', pr, trigger: { approvedBy: 'bob' } },
      { kind: 'review', pr },
      { kind: 'close', pr: { owner: 'acme', repo: 'infra', number: 9 } },
      { kind: 'push', push },
    ];

    const jobs = orders.map((o) => jobOf(core, session, o, 'delivery-1'));

    expect(jobs.map((j) => [j.key, j.label, j.supersedeGroup])).toEqual([
      ['acme/infra#9', 'plan of aaaaaaa', 'plan'],
      ['acme/infra#9', 'approvals of aaaaaaa', undefined],
      ['acme/infra#9', 'close of #9', undefined],
      ['acme/infra:branch:dev', 'push of ccccccc to dev', undefined],
    ]);
    expect(jobs[0]!.portable).toEqual({ order: orders[0], installationId: 5, delivery: 'delivery-1' });
    expect(parseOrder(JSON.stringify(orders[0]), 'plan')).toEqual(orders[0]);
    expect(orders.map(repositoryOfOrder)).toEqual(Array(4).fill({ owner: 'acme', repo: 'infra' }));
    await jobs[0]!.run(new AbortController().signal);
    await jobs[3]!.run(new AbortController().signal);
    expect(calls).toEqual(['plan 9', 'push dev']);
  });

  test('GIVEN an order of a kind this controller does not know WHEN read back THEN a one-line error names the job, the kind and the kinds allowed', () => {
    expect(() => parseOrder('{"kind":"deploy"}', 'job 7')).toThrow(
      'job "job 7": its order has kind "deploy"; expected one of plan, review, close, comment, push, apply',
    );
    expect(() => parseOrder('null', 'job 8')).toThrow('job "job 8": its order has kind undefined; expected one of');
  });
});
