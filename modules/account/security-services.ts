// The account-wide security services an `account-<env>` stack creates unless the AWS organisation runs
// them. No cdktf here: the environment schema (loaded by the controller) names them too.
export const SECURITY_SERVICES = ['guardDuty', 'config', 'cloudTrail'] as const;
export type SecurityService = (typeof SECURITY_SERVICES)[number];
