// The one container of a FargateService task, hardened: read-only root filesystem, not privileged,
// every Linux capability dropped, a non-root user, secrets by reference, logs to CloudWatch.
// Fargate ignores `dockerSecurityOptions` (so no `no-new-privileges`); dropping all capabilities
// is the strongest setting it accepts.

export interface ContainerDefinitionInput {
  readonly name: string;
  readonly image: string;
  readonly containerPort: number;
  readonly user: string;
  readonly command?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** Variable name → Secrets Manager ARN (optionally with `:<json-key>::`). */
  readonly secrets: Readonly<Record<string, string>>;
  readonly writablePaths: readonly string[];
  readonly healthCheckCommand?: readonly string[];
  readonly logGroupName: string;
  readonly region: string;
}

/** Volume name for a writable path, e.g. `/var/cache/app` → `writable-var-cache-app`. */
export function writableVolumeName(path: string): string {
  return `writable${path.replace(/[^A-Za-z0-9]+/g, '-')}`.replace(/-+$/, '');
}

/** The `container_definitions` JSON of the task definition. */
export function containerDefinitions(input: ContainerDefinitionInput): string {
  const byName = ([a]: [string, string], [b]: [string, string]) => a.localeCompare(b);
  const container = {
    name: input.name,
    image: input.image,
    essential: true,
    ...(input.command ? { command: [...input.command] } : {}),
    user: input.user,
    readonlyRootFilesystem: true,
    privileged: false,
    linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
    portMappings: [{ containerPort: input.containerPort, protocol: 'tcp' }],
    environment: Object.entries(input.environment)
      .sort(byName)
      .map(([name, value]) => ({ name, value })),
    secrets: Object.entries(input.secrets)
      .sort(byName)
      .map(([name, valueFrom]) => ({ name, valueFrom })),
    mountPoints: input.writablePaths.map((path) => ({ sourceVolume: writableVolumeName(path), containerPath: path, readOnly: false })),
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': input.logGroupName, 'awslogs-region': input.region, 'awslogs-stream-prefix': input.name },
    },
    ...(input.healthCheckCommand
      ? { healthCheck: { command: [...input.healthCheckCommand], interval: 30, timeout: 5, retries: 3, startPeriod: 60 } }
      : {}),
  };
  return JSON.stringify([container]);
}
