import type { PolicyRule, ResourceView } from '../types.js';
import { asList, expectThat, get, isTrue, lbType, parseJsonAttribute, rule, show } from './helpers.js';

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const ACCESS_KEY = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;

type Container = { name?: string; readonlyRootFilesystem?: boolean; privileged?: boolean; logConfiguration?: unknown };

function containers(task: ResourceView): Container[] | undefined {
  const parsed = parseJsonAttribute(task.config.container_definitions);
  return Array.isArray(parsed) ? (parsed as Container[]) : undefined;
}

function containerRule(id: string, title: string, remediation: string, bad: (c: Container) => boolean, what: string): PolicyRule {
  return rule({
    id,
    title,
    severity: 'high',
    resourceTypes: ['aws_ecs_task_definition'],
    remediation,
    check: (t) => {
      const list = containers(t);
      if (!list) return 'container_definitions is not literal JSON; it cannot be verified';
      const offenders = list.filter(bad).map((c) => c.name ?? '?');
      return expectThat(offenders.length === 0, `container(s) ${offenders.join(', ')} ${what}`);
    },
  });
}

const isLiteralSecret = (key: string, value: unknown) =>
  typeof value === 'string' &&
  ((SECRET_NAME.test(key) && value !== '' && !value.startsWith('arn:') && !value.includes('${')) || ACCESS_KEY.test(value));

export const computeRules: PolicyRule[] = [
  rule({
    id: 'CKV_AWS_45',
    title: 'Lambda environment holds no literal secrets',
    severity: 'critical',
    resourceTypes: ['aws_lambda_function'],
    remediation: 'Pass a Secrets Manager ARN and read the secret at run time; never a literal credential.',
    check: (f) => {
      const vars = (get(f.config, 'environment.variables') ?? {}) as Record<string, unknown>;
      const bad = Object.entries(vars)
        .filter(([k, v]) => isLiteralSecret(k, v))
        .map(([k]) => k);
      return expectThat(bad.length === 0, `environment variable(s) ${bad.join(', ')} hold a literal secret`);
    },
  }),
  rule({
    id: 'CKV_AWS_50',
    title: 'Lambda has X-Ray tracing',
    severity: 'low',
    resourceTypes: ['aws_lambda_function'],
    remediation: 'Set tracing_config { mode = "Active" }.',
    check: (f) =>
      expectThat(get(f.config, 'tracing_config.mode') === 'Active', `tracing_config.mode is ${show(get(f.config, 'tracing_config.mode'))}`),
  }),
  rule({
    id: 'CKV_AWS_65',
    title: 'ECS cluster has Container Insights',
    severity: 'low',
    resourceTypes: ['aws_ecs_cluster'],
    remediation: 'Add setting { name = "containerInsights", value = "enabled" }.',
    check: (c) =>
      expectThat(
        asList(c.config.setting).some(
          (s) => get(s, 'name') === 'containerInsights' && ['enabled', 'enhanced'].includes(String(get(s, 'value'))),
        ),
        'containerInsights is not enabled',
      ),
  }),
  rule({
    id: 'CKV_AWS_333',
    title: 'ECS service assigns no public IP',
    severity: 'high',
    resourceTypes: ['aws_ecs_service'],
    remediation: 'Set network_configuration.assign_public_ip = false and use private subnets.',
    check: (s) => expectThat(!isTrue(get(s.config, 'network_configuration.assign_public_ip')), 'assign_public_ip is true'),
  }),
  containerRule(
    'CKV_AWS_336',
    'ECS containers have a read-only root filesystem',
    'Set readonlyRootFilesystem: true; mount writable volumes for paths that need writes.',
    (c) => c.readonlyRootFilesystem !== true,
    'have a writable root filesystem',
  ),
  containerRule(
    'CKV_AWS_334',
    'ECS containers are not privileged',
    'Remove privileged: true.',
    (c) => c.privileged === true,
    'are privileged',
  ),
  containerRule(
    'GITOPS_ECS_LOGS',
    'ECS containers send logs',
    'Set logConfiguration (awslogs to a log group with retention).',
    (c) => c.logConfiguration === undefined,
    'have no logConfiguration',
  ),
  rule({
    id: 'CKV_AWS_131',
    title: 'ALB drops invalid header fields',
    severity: 'medium',
    resourceTypes: ['aws_lb', 'aws_alb'],
    remediation: 'Set drop_invalid_header_fields = true.',
    check: (lb) =>
      lbType(lb) !== 'application'
        ? undefined
        : expectThat(
            isTrue(lb.config.drop_invalid_header_fields),
            `drop_invalid_header_fields is ${show(lb.config.drop_invalid_header_fields)}`,
          ),
  }),
  rule({
    id: 'CKV_AWS_150',
    title: 'Load balancer has deletion protection',
    severity: 'medium',
    resourceTypes: ['aws_lb', 'aws_alb'],
    remediation: 'Set deletionProtection: true for the system in the environment file.',
    check: (lb) =>
      expectThat(
        isTrue(lb.config.enable_deletion_protection),
        `enable_deletion_protection is ${show(lb.config.enable_deletion_protection)}`,
      ),
  }),
  rule({
    id: 'CKV_AWS_91',
    title: 'Load balancer writes access logs',
    severity: 'low',
    resourceTypes: ['aws_lb', 'aws_alb'],
    remediation: 'Set access_logs { enabled = true, bucket = <log bucket> }.',
    check: (lb) =>
      expectThat(
        isTrue(get(lb.config, 'access_logs.enabled')) && get(lb.config, 'access_logs.bucket') !== undefined,
        'access_logs is not enabled',
      ),
  }),
  rule({
    id: 'CKV_AWS_2',
    title: 'ALB listeners use HTTPS (HTTP only redirects)',
    severity: 'high',
    resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
    remediation: 'Use protocol HTTPS, or make the HTTP listener a redirect to HTTPS.',
    check: (l) => {
      const protocol = String(l.config.protocol ?? 'HTTP');
      if (protocol !== 'HTTP') return undefined;
      const redirects = asList(l.config.default_action).every(
        (a) => get(a, 'type') === 'redirect' && get(a, 'redirect.protocol') === 'HTTPS',
      );
      return expectThat(redirects, 'an HTTP listener forwards traffic instead of redirecting to HTTPS');
    },
  }),
  rule({
    id: 'CKV_AWS_103',
    title: 'Load balancer TLS listeners use TLS 1.2+',
    severity: 'high',
    resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
    remediation: 'Set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS 1.2+ policy).',
    check: (l) => {
      if (!['HTTPS', 'TLS'].includes(String(l.config.protocol))) return undefined;
      const policy = String(l.config.ssl_policy ?? '');
      return expectThat(/TLS13|TLS-1-2|FS-1-2/.test(policy), `ssl_policy is ${show(l.config.ssl_policy)}`);
    },
  }),
  rule({
    id: 'CKV2_AWS_20',
    title: 'ALB redirects HTTP to HTTPS',
    severity: 'medium',
    resourceTypes: ['aws_lb', 'aws_alb'],
    remediation: 'Add an HTTP:80 listener whose default action redirects to HTTPS (ApplicationLoadBalancer does).',
    check: (lb, stack) => {
      if (lbType(lb) !== 'application') return undefined;
      const http = stack
        .referencing('aws_lb_listener', 'load_balancer_arn', lb)
        .filter((l) => String(l.config.protocol ?? 'HTTP') === 'HTTP');
      const bad = http.filter(
        (l) => !asList(l.config.default_action).every((a) => get(a, 'type') === 'redirect' && get(a, 'redirect.protocol') === 'HTTPS'),
      );
      return expectThat(bad.length === 0, `HTTP listener(s) ${bad.map((l) => l.name).join(', ')} do not redirect to HTTPS`);
    },
  }),
  rule({
    id: 'CKV_AWS_163',
    title: 'ECR scans images on push',
    severity: 'medium',
    resourceTypes: ['aws_ecr_repository'],
    remediation: 'Set image_scanning_configuration { scan_on_push = true }.',
    check: (r) => expectThat(isTrue(get(r.config, 'image_scanning_configuration.scan_on_push')), 'scan_on_push is not enabled'),
  }),
  rule({
    id: 'CKV_AWS_51',
    title: 'ECR image tags are immutable',
    severity: 'medium',
    resourceTypes: ['aws_ecr_repository'],
    remediation: 'Set image_tag_mutability = "IMMUTABLE".',
    check: (r) =>
      expectThat(
        String(r.config.image_tag_mutability ?? 'MUTABLE').startsWith('IMMUTABLE'),
        `image_tag_mutability is ${show(r.config.image_tag_mutability)}`,
      ),
  }),
];
