// Plans of pull request configuration run terraform in the bubblewrap sandbox: what the configuration asks
// terraform to read (file(), the state directory) is the job's own, never the controller's.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SandboxHost } from '../process/bubblewrap.js';
import { probeSandbox } from '../process/sandbox.js';
import { TerraformApplyError, TerraformError, TerraformPlanError } from './errors.js';
import { TerraformRunner } from './runner.js';

const probe = probeSandbox();
if (!probe.ok) console.warn(`terraform sandbox tests skipped: ${probe.reason}`);
const sandboxed = probe.ok ? describe : describe.skip;
const host = (): SandboxHost => {
  if (!probe.ok) throw new Error(probe.reason);
  return probe.host;
};

const roots: string[] = [];
/** A temporary directory the sandbox's uid may pass through (an operator's GITOPS_WORK_DIR is o+x too). */
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(d, 0o711);
  roots.push(d);
  return d;
};
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A stack directory holding `config` with a local backend (as cdktf writes it) as cdk.tf.json. */
function stack(name: string, config: object): { name: string; dir: string } {
  const dir = join(tempDir('gitops-raw-'), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: `${name}.tfstate` } } }, ...config }));
  return { name, dir };
}
const reading = (name: string, path: string) => stack(name, { resource: { terraform_data: { read: { input: `\${file("${path}")}` } } } });
const recording = (name: string, value: string) => stack(name, { resource: { terraform_data: { record: { input: value } } } });

/** A 0600 file of the controller, like its private key. */
function controllerSecret(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gitops-key-')), 'app.pem');
  roots.push(dirname(path));
  writeFileSync(path, 'KEY-MATERIAL-THE-PR-MUST-NOT-SEE');
  chmodSync(path, 0o600);
  return path;
}

sandboxed('TerraformRunner: untrusted plans in the sandbox', () => {
  test('GIVEN a configuration reading the controller’s key file WHEN planned on the host (trusted) THEN terraform reads it — the attack is real', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-'), sandbox: host() });
    const plan = await runner.plan(reading('steal-trusted', controllerSecret()));
    expect(JSON.stringify(plan.planJson)).toContain('KEY-MATERIAL-THE-PR-MUST-NOT-SEE');
    await runner.discard(plan);
  });

  test('GIVEN the same configuration WHEN planned untrusted THEN the file does not exist there: the plan fails and nothing of the key is in the error', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-'), sandbox: host() });
    const error = (await runner
      .plan(reading('steal-untrusted', controllerSecret()), { untrusted: true })
      .catch((e: unknown) => e)) as TerraformPlanError;
    expect(error).toBeInstanceOf(TerraformPlanError);
    expect(error.logTail).toMatch(/no file exists at|Invalid function argument/);
    expect(`${error.reason}${error.logTail}`).not.toContain('KEY-MATERIAL');
  });

  test('GIVEN an applied stack WHEN a pull request plans it untrusted THEN it sees the state (no changes) through a snapshot, and the real state and its lock are untouched', async () => {
    const work = tempDir('gitops-work-');
    const runner = new TerraformRunner({ workRoot: work, sandbox: host() });
    const first = await runner.plan(recording('shared', 'v1'));
    await runner.apply(first);
    const stateFile = join(work, 'state', 'shared.tfstate');
    const before = existsSync(stateFile);

    const again = await runner.plan(recording('shared', 'v1'), { untrusted: true });
    expect(again.summary.hasChanges).toBe(false);
    expect(before).toBe(true);
    expect(existsSync(join(work, 'state', '.shared.tfstate.lock.info'))).toBe(false);
  });

  test('GIVEN another stack’s state in the state directory WHEN an untrusted plan reads it THEN it is not there', async () => {
    const work = tempDir('gitops-work-');
    const runner = new TerraformRunner({ workRoot: work, sandbox: host() });
    await runner.apply(await runner.plan(recording('payments-prod', 'db-password-in-state')));
    const error = (await runner
      .plan(reading('curious', join(work, 'state', 'payments-prod.tfstate')), { untrusted: true })
      .catch((e: unknown) => e)) as TerraformPlanError;
    expect(error).toBeInstanceOf(TerraformPlanError);
    expect(`${error.reason}${error.logTail}`).not.toContain('db-password-in-state');
  });

  test('GIVEN a work directory the sandbox’s uid cannot reach WHEN planned untrusted THEN the error says which directory and why', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'gitops-closed-'));
    roots.push(closed);
    const runner = new TerraformRunner({ workRoot: closed, sandbox: host() });
    const error = (await runner.plan(recording('unreachable', 'x'), { untrusted: true }).catch((e: unknown) => e)) as Error;
    if (host().root) expect(error.message).toContain(`${closed} is mode 700 (it needs o+x, search permission for others)`);
    else expect(error).not.toBeInstanceOf(Error);
  });

  test('GIVEN a runner with no sandbox option WHEN an untrusted plan is asked for THEN it fails naming the option, and runs on the host only with none', async () => {
    const error = (await new TerraformRunner({ workRoot: tempDir('gitops-work-') })
      .plan(recording('no-sandbox', 'x'), { untrusted: true })
      .catch((e: unknown) => e)) as TerraformError;
    expect(error).toBeInstanceOf(TerraformError);
    expect(error.reason).toContain("this runner has none (TerraformRunner's sandbox option; GITOPS_UNSAFE_SANDBOX=1 runs it without one)");
    const unsafe = await new TerraformRunner({ workRoot: tempDir('gitops-work-'), sandbox: 'none' }).plan(
      reading('on-host', controllerSecret()),
      {
        untrusted: true,
      },
    );
    expect(JSON.stringify(unsafe.planJson)).toContain('KEY-MATERIAL-THE-PR-MUST-NOT-SEE');
  });

  test('GIVEN a plan of pull request configuration WHEN applied THEN the runner refuses: only merged code is applied', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-'), sandbox: host() });
    const plan = await runner.plan(recording('pr-plan', 'x'), { untrusted: true });
    expect(plan.summary.counts.add).toBe(1);
    const error = (await runner.apply(plan).catch((e: unknown) => e)) as TerraformApplyError;
    expect(error).toBeInstanceOf(TerraformApplyError);
    expect(error.reason).toBe('a plan of pull request configuration is never applied (plan the merged commit)');
  });
});
