// The last guard before GitHub: every text the controller writes (check run titles, summaries and
// texts, comment bodies) has the secrets it holds masked, whatever produced the text.
import type { CheckRunInput, CheckRunUpdate, RepoGitHub } from '../core/ports/github.js';
import type { HeldSecrets } from '../secrets/held.js';

function maskCheck<T extends Partial<Pick<CheckRunInput, 'title' | 'summary' | 'text'>>>(secrets: HeldSecrets, input: T): T {
  return {
    ...input,
    ...(input.title !== undefined ? { title: secrets.mask(input.title) } : {}),
    ...(input.summary !== undefined ? { summary: secrets.mask(input.summary) } : {}),
    ...(input.text !== undefined ? { text: secrets.mask(input.text) } : {}),
  };
}

/** `github` with every written text masked; reads pass through. */
export function maskingGitHub(github: RepoGitHub, secrets: HeldSecrets): RepoGitHub {
  return {
    owner: github.owner,
    repo: github.repo,
    getFileText: (ref, path) => github.getFileText(ref, path),
    listDirectory: (ref, path) => github.listDirectory(ref, path),
    compareCommits: (base, head) => github.compareCommits(base, head),
    getCommitTree: (sha) => github.getCommitTree(sha),
    getPullRequest: (pr) => github.getPullRequest(pr),
    pullRequestsOfCommit: (sha) => github.pullRequestsOfCommit(sha),
    listOpenPullRequests: (base) => github.listOpenPullRequests(base),
    listPullRequestFiles: (pr) => github.listPullRequestFiles(pr),
    listReviews: (pr) => github.listReviews(pr),
    getPermission: (user) => github.getPermission(user),
    listTeamMembers: (org, team) => github.listTeamMembers(org, team),
    findComment: (pr, marker, opts) => github.findComment(pr, marker, opts),
    createCheckRun: (input: CheckRunInput) => github.createCheckRun(maskCheck(secrets, input)),
    updateCheckRun: (id: number, update: CheckRunUpdate) => github.updateCheckRun(id, maskCheck(secrets, update)),
    createComment: (pr, body) => github.createComment(pr, secrets.mask(body)),
    updateComment: (id, body) => github.updateComment(id, secrets.mask(body)),
  };
}
