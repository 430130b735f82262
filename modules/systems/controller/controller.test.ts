import { Testing } from 'cdktf';
import { formatProblem, parseEnvironmentFile } from '../../../environments/config.js';
import { readFileSync } from 'node:fs';
import { controllerSettings } from '../settings.js';
import {
  dnsOf,
  envNamed,
  named,
  ofType,
  one,
  synthesizeSystem,
  systemContext,
  typeCounts,
  type Resource,
  type SynthesizedStack,
} from '../../../test/modules/system-synth.js';
import { ControllerStack, controllerSystem, WEBHOOK_PATH } from './index.js';

interface Container {
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  mountPoints: { sourceVolume: string; containerPath: string }[];
  user: string;
  readonlyRootFilesystem: boolean;
}
type Synthesized = SynthesizedStack & { output?: Record<string, { value: unknown }> };

const { stacks, stackOf } = synthesizeSystem<Synthesized>(controllerSystem);
const prod = () => stackOf('controller-prod');

const synthWith = (overrides: Record<string, unknown>): Synthesized =>
  JSON.parse(
    Testing.synth(new ControllerStack(Testing.app(), 'controller-test', systemContext(controllerSystem, envNamed('prod'), overrides))),
  ) as Synthesized;
const containerOf = (s: Synthesized): Container =>
  (JSON.parse(one(s, 'aws_ecs_task_definition').container_definitions as string) as Container[])[0]!;
const envOf = (s: Synthesized) => Object.fromEntries(containerOf(s).environment.map((e) => [e.name, e.value]));
const secretsOf = (s: Synthesized) => Object.fromEntries(containerOf(s).secrets.map((e) => [e.name, e.valueFrom]));
/** The `${type.id.attr}` reference of the only resource of `type` whose logical id contains `idPart`. */
const ref = (s: Synthesized, type: string, idPart: string, attr: string) => {
  const ids = Object.keys(s.resource[type] ?? {}).filter((id) => id.includes(idPart));
  expect(ids).toHaveLength(1);
  return `\${${type}.${ids[0]}.${attr}}`;
};
const policyOf = (r: Resource) => JSON.parse(r.policy as string) as { Statement: Record<string, unknown>[] };

describe('controller in prod (SQLite on EFS)', () => {
  test('GIVEN the environment files WHEN the app is built THEN only prod runs the controller, in its primary region', () => {
    expect(stacks.map((s) => s.name)).toEqual(['controller-prod']);
  });

  test('GIVEN the stack WHEN counting resources by type THEN the counts match the reviewed snapshot', () => {
    expect(typeCounts(prod())).toMatchSnapshot();
  });

  test('GIVEN the App key and webhook secret WHEN synthesized THEN both are ECS secrets from Secrets Manager, never plain values, versions or outputs', () => {
    const stack = prod();
    expect(secretsOf(stack)).toEqual({
      PRIVATE_KEY: ref(stack, 'aws_secretsmanager_secret', 'private-key', 'arn'),
      WEBHOOK_SECRET: ref(stack, 'aws_secretsmanager_secret', 'webhook-secret', 'arn'),
    });
    expect(Object.keys(envOf(stack)).sort()).toEqual(['APP_ID', 'GITOPS_CONCURRENCY', 'GITOPS_WORK_DIR', 'HOST', 'PORT']);
    expect(ofType(stack, 'aws_secretsmanager_secret_version')).toHaveLength(0);
    expect(JSON.stringify(stack.output)).not.toMatch(/secret\.[^"]*\.(arn|secret_string)|secret_version/);
    for (const secret of ofType(stack, 'aws_secretsmanager_secret')) expect(secret.kms_key_id).toMatch(/aws_kms_key/);
  });

  test('GIVEN the store WHEN synthesized THEN EFS is encrypted with the key, mounted over TLS with IAM through a node-owned access point', () => {
    const stack = prod();
    expect(one(stack, 'aws_efs_file_system')).toMatchObject({ encrypted: true, kms_key_id: ref(stack, 'aws_kms_key', 'key', 'arn') });
    expect(one(stack, 'aws_efs_access_point')).toMatchObject({
      posix_user: { uid: 1000, gid: 1000 },
      root_directory: { path: '/gitops', creation_info: { owner_uid: 1000, owner_gid: 1000, permissions: '0700' } },
    });
    const volume = (one(stack, 'aws_ecs_task_definition').volume as Resource[]).find((v) => v.efs_volume_configuration);
    expect(volume!.efs_volume_configuration).toMatchObject({ transit_encryption: 'ENABLED', authorization_config: { iam: 'ENABLED' } });
    expect(containerOf(stack).mountPoints).toContainEqual(
      expect.objectContaining({ sourceVolume: volume!.name, containerPath: '/var/lib/gitops' }),
    );
    const statements = policyOf(one(stack, 'aws_efs_file_system_policy')).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(ofType(stack, 'aws_efs_mount_target')).toHaveLength(envNamed('prod').systems.controller!.azCount);
  });

  test('GIVEN one SQLite file WHEN synthesized THEN one task runs and a deployment stops it before starting the next', () => {
    expect(one(prod(), 'aws_ecs_service')).toMatchObject({
      desired_count: 1,
      deployment_minimum_healthy_percent: 0,
      deployment_maximum_percent: 100,
    });
    expect(one(prod(), 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 1, max_capacity: 1 });
  });

  test('GIVEN the security groups WHEN synthesized THEN NFS reaches EFS from the tasks only, and the tasks take 3000 from the load balancer only', () => {
    const stack = prod();
    const ingress = ofType(stack, 'aws_vpc_security_group_ingress_rule');
    const nfs = ingress.filter((r) => r.from_port === 2049);
    expect(nfs).toEqual([
      expect.objectContaining({ referenced_security_group_id: ref(stack, 'aws_security_group', 'service_security-group', 'id') }),
    ]);
    expect(ingress.filter((r) => r.from_port === 3000)).toEqual([
      expect.objectContaining({ referenced_security_group_id: ref(stack, 'aws_security_group', 'alb_security-group', 'id') }),
    ]);
    for (const rule of ingress.filter((r) => r.cidr_ipv4 === '0.0.0.0/0')) expect([80, 443]).toContain(rule.from_port);
  });

  test('GIVEN the load balancer WHEN synthesized THEN HTTPS forwards only the webhook path and the status page; anything else is a 404', () => {
    const stack = prod();
    const paths = ofType(stack, 'aws_lb_listener_rule').map(
      (r) => (r.condition as { path_pattern: { values: string[] } }[])[0]!.path_pattern.values,
    );
    expect(paths.sort()).toEqual([['/'], [WEBHOOK_PATH]]);
    const https = ofType(stack, 'aws_lb_listener').find((l) => l.port === 443)!;
    expect(https.default_action).toEqual([
      expect.objectContaining({ type: 'fixed-response', fixed_response: expect.objectContaining({ status_code: '404' }) }),
    ]);
    expect(one(stack, 'aws_lb_target_group')).toMatchObject({ port: 3000, health_check: expect.objectContaining({ path: '/healthz' }) });
  });

  test('GIVEN the running service WHEN synthesized THEN an alarm fires when no task passes /healthz, missing data counting as down', () => {
    const stack = prod();
    const alarms = ofType(stack, 'aws_cloudwatch_metric_alarm');
    const down = alarms.find((a) => a.metric_name === 'HealthyHostCount');
    expect(down).toMatchObject({
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
      dimensions: { TargetGroup: ref(stack, 'aws_lb_target_group', 'controller', 'arn_suffix') },
    });
    // The 5xx rate is metric math (no metric_name of its own); CPU is the service's.
    expect(alarms.map((a) => a.metric_name ?? 'math').sort()).toEqual(['CPUUtilization', 'HealthyHostCount', 'math']);
    for (const alarm of alarms) expect(alarm.alarm_actions).toContain(ref(stack, 'aws_sns_topic', 'alarm-topic', 'arn'));
  });

  test("GIVEN the task role WHEN synthesized THEN it may only mount and write the store's file system through its access point", () => {
    const stack = prod();
    const taskPolicies = named(stack, 'aws_iam_role_policy', 'task-role');
    expect(taskPolicies).toHaveLength(1);
    expect(policyOf(taskPolicies[0]!).Statement).toEqual([
      {
        Sid: 'MountStore',
        Effect: 'Allow',
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Resource: ref(stack, 'aws_efs_file_system', 'file-system', 'arn'),
        Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': ref(stack, 'aws_efs_access_point', 'access-point', 'arn') } },
      },
    ]);
  });

  test("GIVEN prod's retention WHEN synthesized THEN every log group keeps logs 365 days and the container runs as node on a read-only root", () => {
    expect(new Set(ofType(prod(), 'aws_cloudwatch_log_group').map((g) => g.retention_in_days))).toEqual(new Set([365]));
    expect(containerOf(prod())).toMatchObject({ user: '1000:1000', readonlyRootFilesystem: true });
  });
});

describe('controller knobs', () => {
  test('GIVEN store postgres and 3 tasks WHEN synthesized THEN an encrypted RDS database in the isolated subnets is the store and no EFS exists', () => {
    const stack = synthWith({ store: 'postgres', service: { desiredCount: 3 } });
    expect(ofType(stack, 'aws_efs_file_system')).toHaveLength(0);
    expect(one(stack, 'aws_db_instance')).toMatchObject({
      storage_encrypted: true,
      publicly_accessible: false,
      manage_master_user_password: true,
    });
    const isolated = Object.keys(stack.resource.aws_subnet!).filter((id) => id.includes('isolated'));
    expect((one(stack, 'aws_db_subnet_group').subnet_ids as string[]).sort()).toEqual(
      isolated.map((id) => `\${aws_subnet.${id}.id}`).sort(),
    );
    expect(one(stack, 'aws_ecs_service')).toMatchObject({
      desired_count: 3,
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
    });
  });

  test('GIVEN store postgres WHEN synthesized THEN GITOPS_DATABASE_URL names the database without a password, which comes from the RDS secret', () => {
    const stack = synthWith({ store: 'postgres' });
    const url = envOf(stack).GITOPS_DATABASE_URL!;
    expect(url).toMatch(/^postgres:\/\/dbadmin@\$\{aws_db_instance\.[^}]+\.address\}:5432\/gitops\?sslmode=no-verify$/);
    expect(secretsOf(stack).PGPASSWORD).toMatch(/^\$\{aws_db_instance\.[^}]+\.master_user_secret\[0\]\.secret_arn\}:password::$/);
    const dbGroup = ref(stack, 'aws_security_group', 'store_database', 'id');
    const toDb = ofType(stack, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === dbGroup);
    expect(toDb).toEqual([
      expect.objectContaining({
        from_port: 5432,
        referenced_security_group_id: ref(stack, 'aws_security_group', 'service_security-group', 'id'),
      }),
    ]);
    expect(named(stack, 'aws_iam_role_policy', 'task-role')).toHaveLength(0);
  });

  test('GIVEN statusPage false WHEN synthesized THEN the load balancer forwards the webhook path alone', () => {
    const paths = ofType(synthWith({ statusPage: false }), 'aws_lb_listener_rule').map((r) => JSON.stringify(r.condition));
    expect(paths).toEqual([JSON.stringify([{ path_pattern: { values: [WEBHOOK_PATH] } }])]);
  });

  test.each([
    [{ service: { desiredCount: 2 } }, 'service.desiredCount', 'must be 1 with store sqlite'],
    [{ store: 'mysql' }, 'store', 'sqlite'],
    [{ dr: true }, 'dr', 'must be false'],
    [{ imageTag: 'latest' }, 'imageTag', 'not latest'],
    [{ service: { cpu: 256 } }, 'service.cpu', ''],
    [{ concurrency: 0 }, 'concurrency', ''],
    [{ domain: 'https://x' }, 'domain', 'DNS name'],
    [{ replicas: 2 }, '', 'replicas'],
  ])('GIVEN the bad knob %j WHEN the settings are parsed THEN they are rejected at "%s"', (bad, path, words) => {
    const result = controllerSettings.safeParse({ appId: 1, ...bad });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === path);
    expect(issue).toBeDefined();
    expect(JSON.stringify(issue)).toContain(words);
  });

  test("GIVEN prod's existing zone WHEN synthesized THEN it is looked up and the certificate is validated before the listener takes it", () => {
    expect(dnsOf(prod())).toEqual({ created: [], lookedUp: ['example.com'], certificates: 1, validations: 1, nameServersOutput: false });
    const https = ofType(prod(), 'aws_lb_listener').filter((l) => l.certificate_arn !== undefined);
    expect(https.map((l) => l.certificate_arn)).toEqual([ref(prod(), 'aws_acm_certificate_validation', 'certificate', 'certificate_arn')]);
  });

  test('GIVEN dns.zone create, not yet delegated WHEN synthesized THEN the zone is created, its name servers output, and nothing waits for the certificate', () => {
    const created = synthWith({ dns: { zone: { create: 'gitops.example.com' } } });
    expect(dnsOf(created)).toEqual({
      created: ['gitops.example.com'],
      lookedUp: [],
      certificates: 1,
      validations: 0,
      nameServersOutput: true,
    });
    expect(dnsOf(synthWith({ dns: { zone: { create: 'gitops.example.com', delegated: true } } })).validations).toBe(1);
  });

  test('GIVEN a domain outside the zone, or the old hostedZone key WHEN the settings are parsed THEN each is refused at its field', () => {
    const issues = (bad: Record<string, unknown>) =>
      controllerSettings.safeParse({ appId: 1, ...bad }).error?.issues.map((i) => [i.path.join('.'), i.code, i.message]);
    expect(issues({ domain: 'gitops.other.org' })).toEqual([
      ['domain', 'custom', 'must be inside dns.zone (allowed: example.com or a name ending in .example.com)'],
    ]);
    expect(issues({ hostedZone: 'example.com' })).toEqual([['', 'unrecognized_keys', expect.any(String)]]);
  });

  test('GIVEN store postgres and 10 tasks WHEN the settings are parsed THEN they are accepted', () => {
    expect(controllerSettings.parse({ appId: 7, store: 'postgres', service: { desiredCount: 10 } }).service.desiredCount).toBe(10);
  });

  test.each([
    [
      '    service: { desiredCount: 2 }\n',
      'environments/prod.yaml:__LINE__: systems.controller.service.desiredCount: must be 1 with store sqlite, whose file one task owns (allowed: 1; store postgres allows 1 to 10) (got 2)',
    ],
    ['    store: redis\n', 'environments/prod.yaml:__LINE__: systems.controller.store: must be one of "sqlite", "postgres" (got "redis")'],
  ])('GIVEN prod.yaml with %j WHEN the file is parsed THEN one line names the file, the field and the allowed values', (line, expected) => {
    const text = readFileSync('environments/prod.yaml', 'utf8').replace('  controller:\n', `  controller:\n${line}`);
    const lineNo = text.split('\n').indexOf(line.replace(/\n$/, '')) + 1;
    const { environment, problems } = parseEnvironmentFile({ file: 'environments/prod.yaml', text });
    expect(environment).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([expected.replace('__LINE__', String(lineNo))]);
  });

  test('GIVEN prod.yaml without appId WHEN the file is parsed THEN the problem names systems.controller.appId as required', () => {
    const text = readFileSync('environments/prod.yaml', 'utf8').replace(/^ {4}appId: .*\n/m, '');
    const { problems } = parseEnvironmentFile({ file: 'environments/prod.yaml', text });
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^environments\/prod\.yaml(:\d+)?: systems\.controller\.appId: is required \(number\)$/),
    ]);
  });
});
