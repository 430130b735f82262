// GitHub's JSON shapes for git data: refs, commits, diff entries, contents.
import type { CommitInfo, FileChange, TreeEntry } from './git.js';
import { nodeId, repoApi, repoHtml, userJson, type Site } from './representations.js';
import type { SandboxState } from './state.js';

export const NOREPLY_DOMAIN = 'users.noreply.sandbox.test';

export function refJson(site: Site, ref: string, sha: string): Record<string, unknown> {
  return {
    ref,
    node_id: nodeId('Ref', hash(ref)),
    url: `${repoApi(site)}/git/${ref}`,
    object: { type: 'commit', sha, url: `${repoApi(site)}/git/commits/${sha}` },
  };
}

/** The GitHub account behind a commit e-mail (`login@users.noreply…`), null for anyone else. */
function account(site: Site, state: SandboxState, email: string): Record<string, unknown> | null {
  const m = new RegExp(`^([^@]+)@${NOREPLY_DOMAIN.replace(/\./g, '\\.')}$`).exec(email);
  return m ? userJson(site, state.user(m[1] as string)) : null;
}

export function commitJson(site: Site, state: SandboxState, info: CommitInfo): Record<string, unknown> {
  const api = `${repoApi(site)}/commits/${info.sha}`;
  return {
    url: api,
    sha: info.sha,
    node_id: nodeId('Commit', hash(info.sha)),
    html_url: `${repoHtml(site)}/commit/${info.sha}`,
    comments_url: `${api}/comments`,
    commit: {
      url: `${repoApi(site)}/git/commits/${info.sha}`,
      author: info.author,
      committer: info.committer,
      message: info.message,
      comment_count: 0,
      tree: { sha: info.tree, url: `${repoApi(site)}/git/trees/${info.tree}` },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: account(site, state, info.author.email),
    committer: account(site, state, info.committer.email),
    parents: info.parents.map((sha) => ({ sha, url: `${repoApi(site)}/commits/${sha}`, html_url: `${repoHtml(site)}/commit/${sha}` })),
  };
}

/** A commit as the git data API shows it (`git/get-commit`): no GitHub accounts, files or stats. */
export function gitCommitJson(site: Site, info: CommitInfo): Record<string, unknown> {
  return {
    sha: info.sha,
    node_id: nodeId('Commit', hash(info.sha)),
    url: `${repoApi(site)}/git/commits/${info.sha}`,
    html_url: `${repoHtml(site)}/commit/${info.sha}`,
    author: info.author,
    committer: info.committer,
    message: info.message,
    tree: { sha: info.tree, url: `${repoApi(site)}/git/trees/${info.tree}` },
    parents: info.parents.map((sha) => ({ sha, url: `${repoApi(site)}/git/commits/${sha}`, html_url: `${repoHtml(site)}/commit/${sha}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

export function diffEntryJson(site: Site, file: FileChange, ref: string): Record<string, unknown> {
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${repoHtml(site)}/blob/${ref}/${file.filename}`,
    raw_url: `${repoHtml(site)}/raw/${ref}/${file.filename}`,
    contents_url: `${repoApi(site)}/contents/${file.filename}?ref=${ref}`,
    ...(file.previousFilename ? { previous_filename: file.previousFilename } : {}),
  };
}

function contentLinks(site: Site, path: string, sha: string, type: string, ref: string) {
  const self = `${repoApi(site)}/contents/${path}?ref=${ref}`;
  const git = `${repoApi(site)}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`;
  const html = `${repoHtml(site)}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${path}`;
  return { url: self, git_url: git, html_url: html, _links: { self, git, html } };
}

export function contentEntryJson(site: Site, dir: string, entry: TreeEntry, ref: string): Record<string, unknown> {
  const path = dir ? `${dir}/${entry.name}` : entry.name;
  return {
    type: entry.type,
    size: entry.size,
    name: entry.name,
    path,
    sha: entry.sha,
    ...contentLinks(site, path, entry.sha, entry.type, ref),
    download_url: entry.type === 'file' ? `${repoHtml(site)}/raw/${ref}/${path}` : null,
  };
}

export function contentFileJson(site: Site, path: string, sha: string, content: Buffer, ref: string): Record<string, unknown> {
  const base64 = content.toString('base64');
  return {
    type: 'file',
    encoding: 'base64',
    size: content.length,
    name: path.split('/').pop(),
    path,
    // GitHub wraps base64 at 60 characters; clients must tolerate the newlines.
    content: (base64.match(/.{1,60}/g) ?? []).join('\n') + '\n',
    sha,
    ...contentLinks(site, path, sha, 'file', ref),
    download_url: `${repoHtml(site)}/raw/${ref}/${path}`,
  };
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}
