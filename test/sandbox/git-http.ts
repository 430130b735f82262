// Git's smart HTTP protocol, served by the real `git http-backend` (CGI) behind GitHub's auth
// convention: HTTP basic auth with user `x-access-token` and an installation token as password.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppAuthority, TokenGrant } from './auth.js';
import { gitEnv } from './git.js';

/** `/{owner}/{repo}.git/...` → the repository and the rest of the path. */
export const GIT_PATH = /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\.git(\/.*)?$/;

export interface GitHttpOptions {
  projectRoot: string;
  authority: AppAuthority;
  /** Whether `owner/repo` is served (others get 404). */
  exists: (owner: string, repo: string) => boolean;
  /** Wraps a push (receive-pack POST): runs `push` under the repository lock and reports the moved refs afterwards. */
  aroundPush: (grant: TokenGrant, push: () => Promise<void>) => Promise<void>;
}

export async function handleGit(options: GitHttpOptions, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const m = GIT_PATH.exec(url.pathname);
  if (!m || !options.exists(m[1] as string, m[2] as string)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Repository not found.\n');
    return;
  }
  const auth = options.authority.authorizeBasic(req.headers.authorization);
  if (!auth.ok) {
    req.resume();
    res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' }).end(`${auth.message}\n`);
    return;
  }
  const isPush = req.method === 'POST' && (m[3] ?? '').endsWith('/git-receive-pack');
  const run = () => runBackend(options.projectRoot, auth.grant, req, res, url);
  if (isPush) await options.aroundPush(auth.grant, run);
  else await run();
}

function runBackend(projectRoot: string, grant: TokenGrant, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  return new Promise((resolve) => {
    const env = gitEnv({
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: grant.login,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    });
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const split = findHeaderEnd(head);
      if (!split) return;
      const { status, headers } = parseCgiHeaders(head.subarray(0, split.index).toString('latin1'));
      res.writeHead(status, headers);
      headersSent = true;
      res.write(head.subarray(split.index + split.length));
    });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      if (!headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`git http-backend exited ${code}: ${stderr.trim()}\n`);
      } else {
        res.end();
      }
      resolve();
    });
  });
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return undefined;
}

/** CGI response headers: `Status: 200 OK` sets the status line, the rest pass through. */
export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/).filter(Boolean)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}
