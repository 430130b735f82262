// The names of the controller's check runs: published names that branch protection rules refer to.
// `gitops/branch-policy` keeps its published name although the code calls these "branch rules".

export const BRANCH_RULES_CHECK = 'gitops/branch-policy';
export const planCheckName = (environment: string): string => `gitops/plan/${environment}`;
export const approvalsCheckName = (environment: string): string => `gitops/approvals/${environment}`;
export const policyCheckName = (environment: string): string => `gitops/policy/${environment}`;
