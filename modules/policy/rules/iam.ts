import type { PolicyRule, ResourceView } from '../types.js';
import { UNRESTRICTABLE_ACTIONS } from '../../aws/security/unrestrictable-actions.js';
import { asList, expectThat, get, rule, statementsOf, type PolicyStatementLike } from './helpers.js';

const IAM_POLICIES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'];

export { UNRESTRICTABLE_ACTIONS };

/** Policy documents of an IAM resource: `policy`, or a role's `inline_policy` blocks. */
function allowStatements(r: ResourceView): PolicyStatementLike[] {
  const docs = r.type === 'aws_iam_role' ? asList(r.config.inline_policy).map((p) => get(p, 'policy')) : [r.config.policy];
  return docs.flatMap(statementsOf).filter((s) => s.Effect === 'Allow');
}

const list = (v: string | string[] | undefined) => asList(v) as string[];

export const iamRules: PolicyRule[] = [
  rule({
    id: 'CKV_AWS_63',
    title: 'IAM policies allow no wildcard action',
    severity: 'critical',
    resourceTypes: IAM_POLICIES,
    remediation: 'List the actions the workload needs (ResourceAccess / leastPrivilegeStatements build them).',
    check: (r) => {
      const wild = allowStatements(r)
        .flatMap((s) => list(s.Action))
        .filter((a) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a));
      return expectThat(wild.length === 0, `allows ${[...new Set(wild)].join(', ')}`);
    },
  }),
  rule({
    id: 'CKV_AWS_355',
    title: 'IAM policies use "*" resources only for actions that require it',
    severity: 'high',
    resourceTypes: IAM_POLICIES,
    remediation: `Scope the statement to ARNs; only actions without resource-level permissions (${UNRESTRICTABLE_ACTIONS.slice(0, 3).join(', ')}, …) may use "*".`,
    check: (r) => {
      const bad = allowStatements(r)
        .filter((s) => list(s.Resource).includes('*'))
        .flatMap((s) => list(s.Action))
        .filter((a) => !UNRESTRICTABLE_ACTIONS.includes(a));
      return expectThat(bad.length === 0, `grants ${[...new Set(bad)].join(', ')} on "*"`);
    },
  }),
  rule({
    id: 'CKV_AWS_149',
    title: 'Secrets Manager secrets use a customer-managed KMS key',
    severity: 'medium',
    resourceTypes: ['aws_secretsmanager_secret'],
    remediation: 'Set kms_key_id (Secret creates its own KmsKey when none is given).',
    check: (s) => expectThat(s.config.kms_key_id !== undefined, 'kms_key_id is not set (the AWS-managed key cannot be scoped or audited)'),
  }),
];
