// What a new user installs from: the App manifest (app.yml) asks for exactly the permissions the code's
// GitHub calls need, .env.example names every variable the README lists, the Dockerfile keeps secrets
// out of the image and does not run as root, and the licence file matches package.json. Read from the
// real files; the build and the running servers are tried in installable-run.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = process.cwd();
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Manifest {
  readonly public?: boolean;
  readonly hook_attributes?: unknown;
  readonly default_permissions: Record<string, 'read' | 'write'>;
}
const manifest = parse(read('app.yml')) as Manifest;

/** Each GitHub REST call the controller makes (octokit.rest.<namespace>.<method>) and the permission it needs. */
const CALL_PERMISSIONS: Record<string, readonly [permission: string, access: 'read' | 'write'] | 'app-jwt'> = {
  'actions.createWorkflowDispatch': ['actions', 'write'],
  'actions.downloadArtifact': ['actions', 'read'],
  'actions.listWorkflowRunArtifacts': ['actions', 'read'],
  'apps.getAuthenticated': 'app-jwt',
  'checks.create': ['checks', 'write'],
  'checks.update': ['checks', 'write'],
  'git.getBlob': ['contents', 'read'],
  'git.getCommit': ['contents', 'read'],
  'git.getRef': ['contents', 'read'],
  'git.createRef': ['contents', 'write'],
  'git.updateRef': ['contents', 'write'],
  'issues.addLabels': ['pull_requests', 'write'],
  'pulls.list': ['pull_requests', 'read'],
  'pulls.create': ['pull_requests', 'write'],
  'pulls.update': ['pull_requests', 'write'],
  'pulls.requestReviewers': ['pull_requests', 'write'],
  'repos.listPullRequestsAssociatedWithCommit': ['contents', 'read'],
  'issues.createComment': ['pull_requests', 'write'],
  'issues.listComments': ['pull_requests', 'read'],
  'issues.updateComment': ['pull_requests', 'write'],
  'pulls.get': ['pull_requests', 'read'],
  'pulls.listFiles': ['pull_requests', 'read'],
  'pulls.listReviews': ['pull_requests', 'read'],
  'repos.compareCommitsWithBasehead': ['contents', 'read'],
  'repos.createDeployment': ['deployments', 'write'],
  'repos.createDeploymentStatus': ['deployments', 'write'],
  'repos.getCollaboratorPermissionLevel': ['metadata', 'read'],
  'repos.getContent': ['contents', 'read'],
  'repos.listDeployments': ['deployments', 'read'],
  'repos.listDeploymentStatuses': ['deployments', 'read'],
  'teams.listMembersInOrg': ['members', 'read'],
};

/** Needed by something other than a REST call: event subscriptions and git over HTTPS. */
const OTHER_NEEDS: Record<string, readonly [string, 'read' | 'write', string]> = {
  'issue_comment event': ['issues', 'read', 'subscribing to issue_comment'],
  'push event': ['contents', 'read', 'subscribing to push'],
  'workflow_run event': ['actions', 'read', 'subscribing to workflow_run'],
  'git fetch': ['contents', 'read', 'fetching the pull request commits'],
  'back-sync push': ['contents', 'write', 'pushing the rebased uat and dev branches'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const covers = (granted: string | undefined, needed: 'read' | 'write') => granted === 'write' || granted === needed;

/** The REST calls the controller makes: `rest.<namespace>.<method>` in its sources. */
function restCalls(): Set<string> {
  const calls = new Set<string>();
  for (const file of sourceFiles('controller')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\brest\.(\w+)\.(\w+)\b/g)) calls.add(`${m[1]}.${m[2]}`);
  }
  return calls;
}

describe('app.yml', () => {
  const calls = restCalls();

  test('GIVEN the manifest WHEN read THEN the App is private and Probot chooses the webhook URL (smee channel or the setup host)', () => {
    expect(manifest.public).toBe(false);
    expect(manifest.hook_attributes).toBeUndefined();
    expect(read('app.yml')).toContain('/api/github/webhooks');
  });

  test('GIVEN every octokit.rest call in controller/ WHEN looked up THEN each is known and its permission granted', () => {
    expect(calls.size).toBeGreaterThan(10);
    expect([...calls].filter((c) => !(c in CALL_PERMISSIONS))).toEqual([]);
    const missing = [...calls]
      .map((c) => [c, CALL_PERMISSIONS[c]] as const)
      .filter(([, need]) => need !== 'app-jwt' && need !== undefined && !covers(manifest.default_permissions[need[0]], need[1]));
    expect(missing).toEqual([]);
  });

  test('GIVEN the manifest WHEN compared with what the calls and events need THEN it asks for nothing more', () => {
    const needed: Record<string, 'read' | 'write'> = {};
    const needs = [...[...calls].map((c) => CALL_PERMISSIONS[c]), ...Object.values(OTHER_NEEDS)];
    for (const need of needs) {
      if (need === undefined || need === 'app-jwt') continue;
      if (needed[need[0]] !== 'write') needed[need[0]] = need[1];
    }
    expect(manifest.default_permissions).toEqual(needed);
  });
});

describe('.env.example', () => {
  const example = read('.env.example');

  test('GIVEN the README WHEN every variable it names is looked up THEN .env.example names it', () => {
    const names = new Set([...read('README.md').matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?:=[^`]*)?`/g)].map((m) => m[1]));
    names.delete('CODEOWNERS'); // a file
    names.delete('TERRAFORM_SHA256'); // a docker build argument
    // what terraform is started with (PATH, HOME and an environment file's credentials), not the controller's settings
    for (const n of [...names]) if (/^(PATH|HOME|AWS_\w+|ARM_\w+|TF_VAR_\w*)$/.test(n)) names.delete(n);
    // read by the tests and benches (BENCH_*, GITOPS_TEST_*), never by the controller
    for (const n of [...names]) if (/^(BENCH_\w+|GITOPS_TEST_\w+)$/.test(n)) names.delete(n);
    expect([...names]).toEqual(expect.arrayContaining(['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET', 'WEBHOOK_PROXY_URL']));
    expect([...names].filter((n) => !new RegExp(`^#? ?${n}[= ]`, 'm').test(example))).toEqual([]);
  });

  test('GIVEN the example WHEN read THEN it holds no value for a secret', () => {
    for (const name of ['PRIVATE_KEY', 'WEBHOOK_SECRET', 'APP_ID']) expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const instructions = (name: string) => lines.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length + 1));
  const SECRET = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL|\.pem\b|\.env\b/i;

  test('GIVEN the image WHEN it runs THEN it runs as the non-root node user, gitops serve from the build', () => {
    const users = instructions('USER');
    expect(users.at(-1)).toBe('node');
    expect(lines.indexOf(`USER node`)).toBeGreaterThan(lines.findLastIndex((l) => l.startsWith('FROM ')));
    expect(instructions('CMD').at(-1)).toBe('["node", "bin/gitops.mjs", "serve"]');
    expect(instructions('RUN').some((r) => r.includes('npm run build'))).toBe(true);
    expect(instructions('RUN').some((r) => r.includes('npm ci --omit=dev'))).toBe(true);
  });

  test('GIVEN the image WHEN built THEN no ENV, ARG or COPY carries a secret and terraform is checked against a sha256', () => {
    const named = [...instructions('ENV'), ...instructions('ARG')].flatMap((l) =>
      [...l.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]),
    );
    named.push(...instructions('ARG').map((l) => l.split('=')[0]));
    expect(named.filter((n) => n !== 'TERRAFORM_SHA256' && SECRET.test(n))).toEqual([]);
    expect(instructions('COPY').filter((l) => SECRET.test(l))).toEqual([]);
    expect(instructions('RUN').some((r) => r.includes('sha256sum -c'))).toBe(true);
    expect(instructions('RUN').some((r) => /apt-get install .*bubblewrap/.test(r))).toBe(true);
  });

  test('GIVEN .dockerignore WHEN read THEN .env files, keys and local state stay out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.env.*', '*.pem', '.gitops', 'node_modules', 'cdktf.out', 'dist']));
  });
});

describe('project files', () => {
  test('GIVEN package.json says Apache-2.0 WHEN LICENSE is read THEN it is the Apache License 2.0 text', () => {
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('Apache-2.0');
    const license = read('LICENSE');
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });

  test('GIVEN the README WHEN read THEN it links the licence, changelog and guides, and each link resolves', () => {
    const readme = read('README.md');
    for (const path of ['LICENSE', 'CHANGELOG.md', 'docs/branch-protection.md', 'docs/adding-a-system.md']) {
      expect(readme).toContain(`](${path})`);
      expect(() => read(path)).not.toThrow();
    }
  });

  test('GIVEN docs/branch-protection.md WHEN read THEN it names every check the controller publishes', async () => {
    const names = await import('../controller/core/check-names.js');
    const doc = read('docs/branch-protection.md');
    for (const name of [
      names.BRANCH_RULES_CHECK,
      names.planCheckName('<env>'),
      names.approvalsCheckName('<env>'),
      names.policyCheckName('<env>'),
    ]) {
      expect(doc).toContain(name);
    }
  });
});
