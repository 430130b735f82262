// The store contract's status page reads and back-sync's pushes (see store-contract.ts): what is
// deployed, the newest applies and plans, and each push back-sync made, taken once by any replica.
import type { NewPlan, SyncPush } from '../core/ports/store.js';
import type { ContractWorld } from './store-contract.js';

const plan = (over: Partial<NewPlan> = {}): NewPlan => ({
  repo: 'acme/infra',
  pr: 7,
  environment: 'prod',
  headSha: 'h1',
  baseSha: 'b1',
  status: 'running',
  ...over,
});

const push: SyncPush = {
  repo: 'acme/infra',
  branch: 'uat',
  before: 'b'.repeat(40),
  after: 'd'.repeat(40),
  trunk: 'main',
  trunkSha: 'a'.repeat(40),
};
const key = { repo: push.repo, branch: push.branch, before: push.before, after: push.after };

export function describeReadsContract(name: string, world: ContractWorld): void {
  const store = (id?: string) => world.store(id);

  describe(`${name} status reads`, () => {
    test('GIVEN applies of two repositories and environments WHEN the deployed and recent ones are read THEN the newest succeeded one of each pair comes, and every apply newest first', async () => {
      const s = await store();
      const apply = async (repo: string, environment: string, sha: string, status: 'succeeded' | 'failed') => {
        const id = await s.saveApply({ repo, environment, sha, baseSha: 'c'.repeat(40) });
        await s.updateApply(id, { status });
        return id;
      };
      await apply('acme/infra', 'dev', 'd1', 'succeeded');
      await apply('acme/infra', 'dev', 'd2', 'succeeded');
      await apply('acme/infra', 'dev', 'd3', 'failed');
      await apply('acme/infra', 'uat', 'u1', 'succeeded');
      await apply('acme/apps', 'dev', 'a1', 'succeeded');
      await apply('acme/infra', 'prod', 'p1', 'failed');
      expect((await s.deployedApplies()).map((a) => [a.repo, a.environment, a.sha])).toEqual([
        ['acme/apps', 'dev', 'a1'],
        ['acme/infra', 'dev', 'd2'],
        ['acme/infra', 'uat', 'u1'],
      ]);
      expect((await s.recentApplies(3)).map((a) => a.sha)).toEqual(['p1', 'a1', 'u1']);
      await expect(s.recentApplies(0)).rejects.toThrow('recentApplies limit must be a positive integer (got 0)');
    });

    test('GIVEN plans of two pull requests WHEN the recent ones are read THEN they come newest first, at most the limit', async () => {
      const s = await store();
      await s.savePlan(plan({ pr: 1 }));
      await s.savePlan(plan({ pr: 2, environment: 'dev' }));
      await s.savePlan(plan({ pr: 1, headSha: 'h2' }));
      expect((await s.recentPlans(2)).map((p) => [p.pr, p.headSha])).toEqual([
        [1, 'h2'],
        [2, 'h1'],
      ]);
      await expect(s.recentPlans(-1)).rejects.toThrow('recentPlans limit must be a positive integer (got -1)');
    });
  });

  describe(`${name} sync pushes`, () => {
    test('GIVEN a recorded push WHEN taken THEN it reads back once; a second take, by any replica, finds nothing', async () => {
      const [one, two] = [await store('ctl-a'), await store('ctl-b')];
      await one.recordSyncPush(push);
      expect(await two.takeSyncPush(key)).toEqual(push);
      expect(await one.takeSyncPush(key)).toBeUndefined();
      expect(await two.takeSyncPush(key)).toBeUndefined();
    });

    test('GIVEN a recorded push WHEN two replicas take it at once THEN exactly one gets it', async () => {
      const [one, two] = [await store('ctl-a'), await store('ctl-b')];
      await one.recordSyncPush(push);
      const taken = await Promise.all([one.takeSyncPush(key), two.takeSyncPush(key)]);
      expect(taken.filter((t) => t !== undefined)).toEqual([push]);
    });

    test.each([
      ['another branch', { branch: 'dev' }],
      ['another before (someone reset the branch first)', { before: 'c'.repeat(40) }],
      ['another after', { after: 'e'.repeat(40) }],
      ['another repository', { repo: 'acme/other' }],
    ])('GIVEN a recorded push WHEN a push with %s is taken THEN nothing is found and the record stays', async (_what, over) => {
      const s = await store();
      await s.recordSyncPush(push);
      expect(await s.takeSyncPush({ ...key, ...over })).toBeUndefined();
      expect(await s.takeSyncPush(key)).toEqual(push);
    });

    test('GIVEN a push with an empty field WHEN recorded THEN it is refused naming the field, and nothing is recorded', async () => {
      const s = await store();
      await expect(s.recordSyncPush({ ...push, trunkSha: '' })).rejects.toThrow('syncPush.trunkSha must be a non-empty string (got "")');
      expect(await s.takeSyncPush(key)).toBeUndefined();
    });
  });
}
