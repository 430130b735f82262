import { EcsService } from '@cdktf/provider-aws/lib/ecs-service/index.js';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js';
import { Testing } from 'cdktf';
import { Secret } from '../security/secret.js';
import { ApplicationLoadBalancer } from './application-load-balancer.js';
import { EcrRepository } from './ecr-repository.js';
import { onlyResource, resourcesOf, stack, synth, type Synth } from '../../../test/modules/synth.js';
import { fargateService as build, IMAGE } from '../../../test/modules/fargate-service.js';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:payments/db-AbCdEf';
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

type Container = Record<string, unknown> & { logConfiguration: { options: Record<string, string> } };
const container = (s: Synth): Container => JSON.parse(onlyResource(s, 'aws_ecs_task_definition').container_definitions as string)[0];

/** The inline policy documents attached to the role whose logical id contains `role`, by policy name. */
function policiesOf(
  s: Synth,
  role: string,
): Record<string, { Statement: { Sid: string; Action: string | string[]; Resource: string | string[] }[] }> {
  const roleId = Object.keys(resourcesOf(s, 'aws_iam_role')).find((id) => id.includes(role.replace(/-/g, '')) || id.includes(role))!;
  return Object.fromEntries(
    Object.values(resourcesOf(s, 'aws_iam_role_policy'))
      .filter((p) => String(p.role).includes(`aws_iam_role.${roleId}.`))
      .map((p) => [p.name as string, JSON.parse(p.policy as string)]),
  );
}

const sids = (doc: { Statement: { Sid: string }[] } | undefined) => doc?.Statement.map((st) => st.Sid) ?? [];

describe('FargateService', () => {
  test('GIVEN minimal props WHEN synthesized THEN the container is read-only, unprivileged, non-root, capability-free and logs via awslogs', () => {
    const s = synth(build());
    const c = container(s);
    expect(c).toMatchObject({
      name: 'web',
      image: IMAGE,
      essential: true,
      readonlyRootFilesystem: true,
      privileged: false,
      user: '1000:1000',
      linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      mountPoints: [{ sourceVolume: 'writable-tmp', containerPath: '/tmp', readOnly: false }],
    });
    expect(c.logConfiguration.options['awslogs-group']).toMatch(/aws_cloudwatch_log_group\..*\.name/);
    expect(c.logConfiguration.options['awslogs-region']).toMatch(/data\.aws_region/);
    expect(c.logConfiguration).toMatchObject({ logDriver: 'awslogs' });
    expect(onlyResource(s, 'aws_ecs_task_definition')).toMatchObject({
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '256',
      memory: '512',
      volume: [{ name: 'writable-tmp' }],
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
    });
    expect(onlyResource(s, 'aws_cloudwatch_log_group')).toMatchObject({ retention_in_days: 30 });
  });

  test('GIVEN minimal props WHEN synthesized THEN the service is private, rolls back failed deployments and keeps 100-200% healthy', () => {
    const out = Testing.synthScope(build());
    expect(out).toHaveResourceWithProperties(EcsService, {
      name: 'web',
      desired_count: 2,
      network_configuration: expect.objectContaining({ assign_public_ip: false, subnets: ['subnet-a', 'subnet-b'] }),
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      enable_execute_command: false,
      platform_version: 'LATEST',
      capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 1, base: 0 }],
      lifecycle: { ignore_changes: ['desired_count'] },
    });
    const service = onlyResource(JSON.parse(out), 'aws_ecs_service');
    expect(service.load_balancer).toBeUndefined();
    expect(service.health_check_grace_period_seconds).toBeUndefined();
  });

  test('GIVEN minimal props WHEN synthesized THEN execution and task roles differ and the execution role only pulls its image and writes its logs', () => {
    const s = synth(build());
    const task = onlyResource(s, 'aws_ecs_task_definition');
    expect(task.execution_role_arn).toMatch(/execution-role/);
    expect(task.task_role_arn).toMatch(/task-role/);
    const execution = policiesOf(s, 'execution-role');
    expect(sids(execution['least-privilege'])).toEqual(['WriteLogs']);
    expect(execution['ecr-pull']!.Statement).toEqual([
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'EcrPull',
        Effect: 'Allow',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        Resource: 'arn:aws:ecr:eu-west-1:111111111111:repository/payments/web',
      },
    ]);
    expect(policiesOf(s, 'task-role')).toEqual({});
  });

  test('GIVEN access, secrets and environment WHEN synthesized THEN the task role gets the access and only the execution role reads the secrets', () => {
    const s = synth(
      build({
        access: { readBuckets: ['arn:aws:s3:::payments-data'] },
        secrets: { DB_PASSWORD: `${SECRET}:password::` },
        secretsKmsKeyArns: [KEY],
        environment: { LOG_LEVEL: 'info', DB_HOST: 'db.internal' },
      }),
    );
    expect(sids(policiesOf(s, 'task-role')['least-privilege'])).toEqual(['ListReadBuckets', 'ReadBucketObjects']);
    const execution = policiesOf(s, 'execution-role')['least-privilege']!;
    expect(execution.Statement.find((st) => st.Sid === 'ReadSecrets')?.Resource).toBe(SECRET);
    expect(execution.Statement.find((st) => st.Sid === 'DecryptWithKeys')?.Resource).toBe(KEY);
    const c = container(s);
    expect(c.secrets).toEqual([{ name: 'DB_PASSWORD', valueFrom: `${SECRET}:password::` }]);
    expect(c.environment).toEqual([
      { name: 'DB_HOST', value: 'db.internal' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
  });

  test('GIVEN ingress security groups and extra egress WHEN synthesized THEN only those groups reach the container port and HTTPS egress stays', () => {
    const s = synth(
      build({
        containerPort: 9000,
        ingressSecurityGroups: { alb: 'sg-alb' },
        egress: [{ name: 'postgres', description: 'to the database', fromPort: 5432, peerSecurityGroupId: 'sg-db' }],
      }),
    );
    const ingress = Object.values(resourcesOf(s, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id])).toEqual([[9000, 9000, 'sg-alb']]);
    const egress = Object.values(resourcesOf(s, 'aws_vpc_security_group_egress_rule')).map((r) => [
      r.from_port,
      r.cidr_ipv4 ?? r.referenced_security_group_id,
    ]);
    expect(egress).toEqual(
      expect.arrayContaining([
        [443, '0.0.0.0/0'],
        [5432, 'sg-db'],
      ]),
    );
    expect(egress).toHaveLength(2);
  });

  test('GIVEN no ingress groups WHEN synthesized THEN nothing may reach the tasks', () => {
    expect(resourcesOf(synth(build()), 'aws_vpc_security_group_ingress_rule')).toEqual({});
  });

  test('GIVEN a target group WHEN synthesized THEN the container is registered with a grace period', () => {
    const service = onlyResource(
      synth(
        build({
          targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web/abc',
          healthCheckGracePeriodSeconds: 120,
        }),
      ),
      'aws_ecs_service',
    );
    expect(service.load_balancer).toEqual([
      {
        target_group_arn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web/abc',
        container_name: 'web',
        container_port: 8080,
      },
    ]);
    expect(service.health_check_grace_period_seconds).toBe(120);
  });

  test('GIVEN a target group without a grace period WHEN synthesized THEN it defaults to 60 seconds', () => {
    const service = onlyResource(
      synth(build({ targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web/abc' })),
      'aws_ecs_service',
    );
    expect(service.health_check_grace_period_seconds).toBe(60);
  });

  test('GIVEN the remaining optional props WHEN synthesized THEN each reaches the output', () => {
    const s = synth(
      build({
        cpu: 1024,
        memory: 3072,
        cpuArchitecture: 'ARM64',
        capacityProvider: 'FARGATE_SPOT',
        user: '10001',
        writablePaths: ['/tmp', '/var/cache/app'],
        command: ['node', 'server.js'],
        healthCheckCommand: ['CMD-SHELL', 'wget -qO- localhost:8080/health'],
        minHealthyPercent: 50,
        maxPercent: 150,
        logKmsKeyArn: KEY,
      }),
    );
    const task = onlyResource(s, 'aws_ecs_task_definition');
    expect(task).toMatchObject({
      cpu: '1024',
      memory: '3072',
      runtime_platform: { cpu_architecture: 'ARM64' },
      volume: [{ name: 'writable-tmp' }, { name: 'writable-var-cache-app' }],
    });
    expect(container(s)).toMatchObject({
      user: '10001',
      command: ['node', 'server.js'],
      healthCheck: { command: ['CMD-SHELL', 'wget -qO- localhost:8080/health'] },
      mountPoints: [
        expect.objectContaining({ containerPath: '/tmp' }),
        expect.objectContaining({ sourceVolume: 'writable-var-cache-app', containerPath: '/var/cache/app' }),
      ],
    });
    expect(onlyResource(s, 'aws_ecs_service')).toMatchObject({
      capacity_provider_strategy: [{ capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 }],
      deployment_minimum_healthy_percent: 50,
      deployment_maximum_percent: 150,
    });
    expect(onlyResource(s, 'aws_cloudwatch_log_group').kms_key_id).toBe(KEY);
  });

  test('GIVEN a cluster that prefers Spot WHEN the service does not choose THEN it runs on Fargate Spot', () => {
    const s = synth(build({}, { preferSpot: true }));
    expect(onlyResource(s, 'aws_ecs_service').capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 },
    ]);
  });

  test('GIVEN enableExecuteCommand on a cluster with exec logging WHEN synthesized THEN the task role may open channels and write the exec log', () => {
    const s = synth(build({ enableExecuteCommand: true }, { executeCommandLogging: { kmsKeyArn: KEY } }));
    expect(onlyResource(s, 'aws_ecs_service').enable_execute_command).toBe(true);
    const task = policiesOf(s, 'task-role');
    expect(sids(task['execute-command'])).toEqual(['EcsExecChannels', 'EcsExecFindLogGroup']);
    expect(sids(task['least-privilege'])).toEqual(['DecryptWithKeys', 'WriteLogs']);
  });

  test('GIVEN an image from an EcrRepository token WHEN ecrRepositoryArns is passed THEN the execution role pulls from that repository', () => {
    const s = synth((scope) => {
      const repo = new EcrRepository(scope, 'repo', { name: 'payments/web' });
      build({ image: `${repo.repositoryUrl}:1.0.0`, ecrRepositoryArns: [repo.arn] })(scope);
    });
    const pull = policiesOf(s, 'execution-role')['ecr-pull']!.Statement.find((st) => st.Sid === 'EcrPull')!;
    expect(pull.Resource).toMatch(/aws_ecr_repository\..*\.arn/);
  });

  test('GIVEN a public registry image WHEN synthesized THEN no ECR permissions are granted', () => {
    const s = synth(build({ image: 'public.ecr.aws/nginx/nginx:1.27' }));
    expect(policiesOf(s, 'execution-role')['ecr-pull']).toBeUndefined();
    expect(Testing.synthScope(build({ image: 'nginx@sha256:' + 'a'.repeat(64) }))).toHaveResource(EcsTaskDefinition);
  });

  test('GIVEN a token image without ecrRepositoryArns WHEN constructed THEN the error says what to pass', () => {
    const scope = stack();
    const repo = new EcrRepository(scope, 'repo', { name: 'web' });
    expect(() => build({ image: `${repo.repositoryUrl}:1.0.0` })(scope)).toThrow(
      'FargateService test/web: ecrRepositoryArns is required when image is a token (pass [repo.arn], or [] for a public registry)',
    );
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem with values and allowed values', () => {
    expect(() =>
      build({
        name: '1web',
        image: 'nginx:latest',
        cpu: 256,
        memory: 4096,
        logRetentionDays: 10,
        user: '0:0',
        desiredCount: 3,
        maxCount: 2,
        environment: { API_TOKEN: 'abc123', DB_PASSWORD_ARN: SECRET, SHARED: 'x' },
        secrets: { SHARED: 'arn:aws:ssm:eu-west-1:111111111111:parameter/x' },
        writablePaths: ['tmp'],
        healthCheckGracePeriodSeconds: 30,
      })(stack()),
    ).toThrow(
      'FargateService test/web: name must be 1-255 letters, digits, "_" or "-", starting with a letter (got "1web"); ' +
        'image must be an image with a pinned tag or digest like "<registry>/<repo>:1.2.3" (not ":latest") (got "nginx:latest"); ' +
        'logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 10); ' +
        'user must be a non-root "uid[:gid]" like "1000:1000" (not 0 or root) (got "0:0"); ' +
        'memory must be 512, 1024 or 2048 for cpu 256 (got 4096); ' +
        'counts must satisfy minCount <= desiredCount <= maxCount (got 3 <= 3 <= 2); ' +
        "environment.API_TOKEN looks like a literal secret (got a 6-character value); pass the secret's ARN (e.g. API_TOKEN_ARN) and read it at run time; " +
        'secrets.SHARED must be a Secrets Manager ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>::]) (got "arn:aws:ssm:eu-west-1:111111111111:parameter/x"); ' +
        'environment and secrets both set SHARED (a variable comes from one or the other); ' +
        'writablePaths must be absolute paths like "/tmp" (got "tmp"); ' +
        'healthCheckGracePeriodSeconds needs a targetGroupArn (got 30 without one)',
    );
  });

  test('GIVEN an EFS access point WHEN synthesized THEN it is a volume mounted over TLS with the task role and the container writes there', () => {
    const s = synth(build({ efsVolumes: { '/var/lib/app': { fileSystemId: 'fs-123', accessPointId: 'fsap-456' } } }));
    expect(onlyResource(s, 'aws_ecs_task_definition').volume).toEqual([
      { name: 'writable-tmp' },
      {
        name: 'writable-var-lib-app',
        efs_volume_configuration: {
          file_system_id: 'fs-123',
          transit_encryption: 'ENABLED',
          authorization_config: { access_point_id: 'fsap-456', iam: 'ENABLED' },
        },
      },
    ]);
    expect(container(s).mountPoints).toEqual([
      { sourceVolume: 'writable-tmp', containerPath: '/tmp', readOnly: false },
      { sourceVolume: 'writable-var-lib-app', containerPath: '/var/lib/app', readOnly: false },
    ]);
  });

  test('GIVEN an EFS path that is relative or also a writable path WHEN constructed THEN both problems are reported', () => {
    const efs = { fileSystemId: 'fs-123', accessPointId: 'fsap-456' };
    expect(() => build({ efsVolumes: { data: efs, '/tmp': efs } })(stack())).toThrow(
      'FargateService test/web: efsVolumes must be absolute paths like "/var/lib/app" (got "data"); efsVolumes and writablePaths both name /tmp (a path is one volume)',
    );
  });

  test('GIVEN an access key id in the environment WHEN constructed THEN it is refused without echoing the key', () => {
    let message = '';
    try {
      build({ environment: { UPSTREAM: 'AKIAIOSFODNN7EXAMPLE' } })(stack());
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('environment.UPSTREAM holds an AWS access key id');
    expect(message).not.toContain('IOSFODNN7EXAMPLE');
  });

  test('GIVEN an unsupported cpu and desiredCount 0 with minCount WHEN constructed THEN both are reported', () => {
    expect(() => build({ cpu: 300, desiredCount: 0, minCount: 1 })(stack())).toThrow(
      'FargateService test/web: cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300); minCount must be 0 when desiredCount is 0 (got minCount 1)',
    );
  });

  test('GIVEN an ALB target group WHEN a service attaches to it THEN the ALB may reach the tasks and requests per target drive scaling', () => {
    const s = synth((scope) => {
      const alb = new ApplicationLoadBalancer(scope, 'alb', {
        name: 'web',
        vpcId: 'vpc-123',
        vpcCidr: '10.0.0.0/16',
        subnetIds: ['subnet-a', 'subnet-b'],
        certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
        ingressCidrs: { internet: '0.0.0.0/0' },
        internetFacing: true,
        targetGroups: { web: { port: 8080 } },
        defaultTargetGroup: 'web',
      });
      build({
        targetGroupArn: alb.targetGroupArns.web,
        ingressSecurityGroups: { alb: alb.securityGroupId },
        requestCountScaling: { resourceLabel: alb.requestCountResourceLabel('web'), requestsPerTarget: 1000 },
      })(scope);
    });
    const service = onlyResource(s, 'aws_ecs_service');
    expect((service.load_balancer as { target_group_arn: string }[])[0]!.target_group_arn).toMatch(/aws_lb_target_group\..*\.arn/);
    const fromAlb = Object.values(resourcesOf(s, 'aws_vpc_security_group_ingress_rule')).find((r) => r.from_port === 8080)!;
    expect(fromAlb.referenced_security_group_id).toMatch(/aws_security_group\.alb.*\.id/);
    const requests = Object.values(resourcesOf(s, 'aws_appautoscaling_policy')).find((p) => p.name === 'requests')!;
    const label = (requests.target_tracking_scaling_policy_configuration as { predefined_metric_specification: { resource_label: string } })
      .predefined_metric_specification.resource_label;
    expect(label).toMatch(/^\$\{aws_lb\..*\.arn_suffix\}\/\$\{aws_lb_target_group\..*\.arn_suffix\}$/);
  });

  test('GIVEN a secret token with a JSON key WHEN synthesized THEN the execution role is granted the secret itself', () => {
    const s = synth((scope) => {
      const secret = new Secret(scope, 'db', { name: 'payments/db' });
      build({ secrets: { DB_PASSWORD: `${secret.arn}:password::` } })(scope);
    });
    const grant = policiesOf(s, 'execution-role')['least-privilege']!.Statement.find((st) => st.Sid === 'ReadSecrets')!;
    expect(grant.Resource).toMatch(/^\$\{aws_secretsmanager_secret\..*\.arn\}$/);
    expect((container(s).secrets as { valueFrom: string }[])[0]!.valueFrom).toMatch(/\.arn\}:password::$/);
  });
});
