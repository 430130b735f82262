import { Testing, TerraformStack } from 'cdktf';
import { ReleaseRecord } from './release-record.js';

describe('ReleaseRecord', () => {
  test('GIVEN a commit and version WHEN synthesized THEN a terraform_data records them', () => {
    const synthesized = Testing.synthScope((scope) => {
      new ReleaseRecord(scope, 'record', { environment: 'dev', commitSha: 'abc1234', version: '1.2.3', stacks: ['ingest-dev'] });
    });
    expect(synthesized).toHaveResourceWithProperties(
      { tfResourceType: 'terraform_data' },
      {
        input: { environment: 'dev', commit_sha: 'abc1234', version: '1.2.3', stacks: ['ingest-dev'] },
      },
    );
  });

  test('GIVEN a bad SHA and an empty version WHEN constructed THEN one error lists both', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    expect(() => new ReleaseRecord(stack, 'r', { environment: 'dev', commitSha: 'not-a-sha', version: ' ' })).toThrow(
      /commitSha must be 7-64 lowercase hex characters \(got "not-a-sha"\); version must not be empty/,
    );
  });

  test('GIVEN a full stack WHEN validated by terraform THEN it is valid', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new ReleaseRecord(stack, 'r', { environment: 'dev', commitSha: 'abc1234', version: '1' });
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});
