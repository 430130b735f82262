// GitHub's JSON shapes for users, the App, the installation and the repository, with URLs that point
// back at the sandbox. Shapes follow @octokit/openapi's schemas (checked by the response validator).

export interface Site {
  /** http://127.0.0.1:port */
  url: string;
  /** url + /api/v3 */
  apiUrl: string;
  owner: string;
  repo: string;
  repoId: number;
  ownerId: number;
  appId: number;
  appSlug: string;
  installationId: number;
  createdAt: string;
}

export const DEFAULT_BRANCH = 'main';

export const APP_PERMISSIONS = {
  actions: 'write',
  checks: 'write',
  contents: 'write',
  deployments: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write',
  statuses: 'write',
} as const;

/** The events the sandbox delivers. */
export const APP_EVENTS = ['issue_comment', 'pull_request', 'pull_request_review', 'push', 'workflow_run'];

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

export function repoApi(site: Site): string {
  return `${site.apiUrl}/repos/${site.owner}/${site.repo}`;
}

export function repoHtml(site: Site): string {
  return `${site.url}/${site.owner}/${site.repo}`;
}

export function userJson(site: Site, user: { login: string; id: number; type: string }): Record<string, unknown> {
  const api = `${site.apiUrl}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type, user.id),
    avatar_url: `${site.url}/avatars/u/${user.id}`,
    gravatar_id: '',
    url: api,
    html_url: `${site.url}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function ownerJson(site: Site): Record<string, unknown> {
  return userJson(site, { login: site.owner, id: site.ownerId, type: 'Organization' });
}

export function appJson(site: Site): Record<string, unknown> {
  return {
    id: site.appId,
    slug: site.appSlug,
    node_id: nodeId('App', site.appId),
    client_id: `Iv1.sandbox${site.appId}`,
    owner: ownerJson(site),
    name: site.appSlug,
    description: 'GitOps release controller (sandbox registration)',
    external_url: site.url,
    html_url: `${site.url}/apps/${site.appSlug}`,
    created_at: site.createdAt,
    updated_at: site.createdAt,
    permissions: { ...APP_PERMISSIONS },
    events: APP_EVENTS,
    installations_count: 1,
  };
}

export function installationJson(site: Site): Record<string, unknown> {
  return {
    id: site.installationId,
    account: ownerJson(site),
    repository_selection: 'selected',
    access_tokens_url: `${site.apiUrl}/app/installations/${site.installationId}/access_tokens`,
    repositories_url: `${site.apiUrl}/installation/repositories`,
    html_url: `${site.url}/organizations/${site.owner}/settings/installations/${site.installationId}`,
    app_id: site.appId,
    client_id: `Iv1.sandbox${site.appId}`,
    target_id: site.ownerId,
    target_type: 'Organization',
    permissions: { ...APP_PERMISSIONS },
    events: APP_EVENTS,
    created_at: site.createdAt,
    updated_at: site.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    app_slug: site.appSlug,
    suspended_by: null,
    suspended_at: null,
  };
}

export function repoJson(site: Site, extra: { pushedAt: string; openIssues: number }): Record<string, unknown> {
  const api = repoApi(site);
  const html = repoHtml(site);
  const host = new URL(site.url).host;
  return {
    id: site.repoId,
    node_id: nodeId('Repository', site.repoId),
    name: site.repo,
    full_name: `${site.owner}/${site.repo}`,
    owner: ownerJson(site),
    private: true,
    html_url: html,
    description: 'cdktf-gitops sandbox repository',
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${site.owner}/${site.repo}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${site.owner}/${site.repo}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${site.url}/${site.owner}/${site.repo}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: DEFAULT_BRANCH,
    open_issues_count: extra.openIssues,
    open_issues: extra.openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    pushed_at: extra.pushedAt,
    created_at: site.createdAt,
    updated_at: extra.pushedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_forking: false,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
}
