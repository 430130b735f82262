// The sizing knobs each system reads from an environment file. Zod only: the controller and
// `gitops validate` load these without loading cdktf or any provider.
import { z } from 'zod';
import { cidrBlock, contains } from '../core/cidr.js';
import { dnsName, dnsSettings, requireInsideZone } from './dns-settings.js';

/** Knobs every system shares. Lower environments turn these down; nothing in code says "prod". */
export const commonSettings = {
  /** Deploy a second copy of the system in the environment's DR region. */
  dr: z.boolean().default(false),
  /** Multi-AZ databases and caches, automatic failover. */
  multiAz: z.boolean().default(false),
  /** `single` NAT gateway for the VPC, or one per AZ. */
  natGateways: z.enum(['single', 'perAz']).default('single'),
  /** Number of availability zones the VPC spans. */
  azCount: z.number().int().min(2).max(6).default(2),
  /** CloudWatch / Log Analytics retention in days. */
  logRetentionDays: z
    .union([
      z.literal(1),
      z.literal(3),
      z.literal(5),
      z.literal(7),
      z.literal(14),
      z.literal(30),
      z.literal(60),
      z.literal(90),
      z.literal(120),
      z.literal(150),
      z.literal(180),
      z.literal(365),
      z.literal(400),
      z.literal(545),
      z.literal(731),
      z.literal(1827),
      z.literal(3653),
    ])
    .default(30),
  /** Deletion protection on databases and load balancers. */
  deletionProtection: z.boolean().default(true),
};
/** The common knobs, as every system's settings have them. */
export type CommonSettings = z.infer<z.ZodObject<typeof commonSettings>>;

const service = z.strictObject({
  desiredCount: z.number().int().min(0).max(100).default(1),
  cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]).default(256),
  memory: z.number().int().min(512).max(30720).default(512),
  maxCount: z.number().int().min(1).max(200).default(2),
});
export type ServiceSettings = z.infer<typeof service>;

const database = z.strictObject({
  instanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an RDS instance class such as db.t4g.micro')
    .default('db.t4g.micro'),
  allocatedStorage: z.number().int().min(20).max(65536).default(20),
  backupRetentionDays: z.number().int().min(7, 'must be at least 7 days (CKV_AWS_133)').max(35).default(7),
  engine: z.enum(['postgres', 'aurora-postgresql']).default('postgres'),
});
export type DatabaseSettings = z.infer<typeof database>;

const cache = z.strictObject({
  nodeType: z
    .string()
    .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ElastiCache node type such as cache.t4g.micro')
    .default('cache.t4g.micro'),
  replicas: z.number().int().min(0).max(5).default(0),
});
export type CacheSettings = z.infer<typeof cache>;

const hybridLink = z.strictObject({
  /** How the on-premise site reaches AWS: a site-to-site VPN, or public HTTPS (cheaper, less private). */
  mode: z.enum(['vpn', 'https']).default('https'),
  /** The on-premise VPN endpoint's public IP (customer gateway). */
  customerGatewayIp: z.ipv4().default('198.51.100.10'),
  /** CIDR of the on-premise network, routed over the VPN. */
  onPremCidr: z.cidrv4().default('192.168.0.0/16'),
  bgpAsn: z.number().int().min(1).max(4294967294).default(65000),
});

export const ingestSettings = z.strictObject({
  ...commonSettings,
  /** How the on-premise source reaches the API: `vpn` (private API over a site-to-site VPN) or `https` (public API behind WAF, cheaper). */
  hybrid: hybridLink.prefault({}),
  /** Who authenticates the source: a Lambda TOKEN authorizer (tokens in Secrets Manager) or a Cognito user pool (OAuth client credentials). */
  authorizer: z.enum(['lambda', 'cognito']).default('lambda'),
  /** Deliveries of one message before SQS moves it to the dead-letter queue. */
  maxReceiveCount: z.number().int().min(1).max(1000).default(5),
  /** The consumer function's timeout; the queue's visibility timeout is 6 × this. */
  consumerTimeoutSeconds: z.number().int().min(1).max(900).default(30),
  /** Concurrency reserved for (and capping) the consumer, protecting the downstream services; -1 = unreserved. */
  consumerReservedConcurrency: z.number().int().min(-1).max(1000).default(-1),
});

const imagingFields = z.strictObject({
  ...commonSettings,
  /** The ECS Fargate front end: desiredCount 0 turns it off (the seed's cost saving); the DR copy runs drFrontendDesiredCount. */
  frontend: service.prefault({}),
  /** Redis for processed-image links; with `multiAz` at least one replica is kept whatever `replicas` says. */
  cache: cache.prefault({}),
  /** Days before noncurrent image versions expire. */
  imageVersionExpiryDays: z.number().int().min(1).max(3650).default(30),
  /** Days before processed images (key prefix `processed/`) expire; they are re-rendered on demand. */
  processedImageExpiryDays: z.number().int().min(1).max(3650).default(90),
  /** Requests per 5 minutes from one IP before WAF blocks it (CloudFront and load balancer ACLs). */
  rateLimitPer5Min: z.number().int().min(100).max(2_000_000_000).default(2000),
  /** Serve through CloudFront; lower environments may turn it off to save cost. */
  cdn: z.boolean().default(true),
  /** Global Accelerator in front of the load balancer, with the DR copy's load balancer as a second endpoint group. */
  globalAccelerator: z.boolean().default(false),
  /** With `dr`: days each daily export of the link cache's snapshot stays in the backup bucket and its DR replica. */
  cacheBackupRetentionDays: z.number().int().min(1).max(365).default(7),
  /** Front-end tasks of the DR copy: 0 keeps it stopped (all traffic stays in the primary region); raise it to fail over. */
  drFrontendDesiredCount: z.number().int().min(0).max(100).default(0),
  /**
   * The public Route 53 zone holding the certificates' validation records and the aliases: `existing` (looked
   * up) or `create`. With `dr` it must be `existing`: the DR copy applies before the primary and looks it up.
   */
  dns: dnsSettings({ create: 'catandhat.example.com' }),
  /** Name of the front end (load balancer or accelerator), inside the `dns` zone. */
  domain: dnsName('www.catandhat.example.com').default('www.catandhat.example.com'),
  /** Name of the CloudFront distribution serving the images, inside the `dns` zone. */
  cdnDomain: dnsName('images.catandhat.example.com').default('images.catandhat.example.com'),
  /** Tag of the front-end image in ECR (tags are immutable: a release pushes a new one). */
  frontendImageTag: z
    .string()
    .regex(/^(?!latest$)[\w][\w.-]{0,127}$/, 'must be an image tag such as 1.4.2 (not latest)')
    .default('1.0.0'),
});

export const imagingSettings = imagingFields.superRefine((s, ctx) => {
  requireInsideZone(ctx, s.dns.zone, { domain: s.domain, cdnDomain: s.cdnDomain });
  if (s.dr && s.dns.zone.create !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['dns', 'zone', 'create'],
      message: 'cannot be used with dr: true: the DR copy applies first and looks the zone up (allowed: dns.zone.existing)',
    });
  }
});

/** A PostgreSQL identifier (database or schema name). */
const pgName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL name such as corn_db');

const agriFields = z.strictObject({
  ...commonSettings,
  /** The Dash dashboard (FE) service: tasks and their size. */
  frontend: service.prefault({}),
  /** The FastAPI (BE) service. */
  backend: service.prefault({}),
  /** The ML model service. */
  ml: service.prefault({ cpu: 1024, memory: 2048 }),
  /** The back end's PostgreSQL (RDS, or Aurora with `engine: aurora-postgresql`); Multi-AZ from `multiAz`. */
  database: database.prefault({}),
  /** Site-to-site VPN to the farm (when `farm.mode` is `vpn`) and Route 53 failover (on-premise primary, AWS secondary). */
  hybrid: z.boolean().default(false),
  /** The farm's network: VPN device, on-premise CIDR (reaches the back end over the VPN) and BGP ASN. */
  farm: hybridLink.prefault({ mode: 'vpn', customerGatewayIp: '198.51.100.20', bgpAsn: 65010 }),
  /** Public IPs of the farm's own deployment: the failover primary, health-checked over HTTPS (hybrid only). */
  farmAppIps: z.array(z.ipv4()).min(1).max(8).default(['198.51.100.21']),
  /** Path the Route 53 health check requests from the farm's deployment. */
  healthCheckPath: z
    .string()
    .regex(/^\/[\x21-\x7e]{0,254}$/, 'must be a path such as /health')
    .default('/health'),
  /** The public Route 53 zone of `domain`: `existing` (looked up) or `create` (name servers output). */
  dns: dnsSettings({ create: 'app.unicorn.example.com' }),
  /** Users reach the dashboard here, internal tiers at `backend.` / `ml.` under it; inside the `dns` zone. */
  domain: dnsName('app.example.com').default('app.unicorn.example.com'),
  /** Tag of the FE, BE and ML images in their ECR repositories; tags are immutable, so a release bumps it. */
  imageTag: z
    .string()
    .regex(/^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a pinned image tag such as 1.4.2 (not latest)')
    .default('1.0.0'),
  /** The farm → cloud data path: DMS replicates the farm's PostgreSQL into RDS over the VPN (full load, then changes). */
  dataSync: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** The farm database's address on the farm network (inside `farm.onPremCidr`). */
      host: z.ipv4().default('192.168.10.5'),
      port: z.number().int().min(1).max(65535).default(5432),
      /** The farm's database (the seed's docker-compose names it corn_db) and the schema replicated. */
      databaseName: pgName.default('corn_db'),
      schema: pgName.default('public'),
      /** DMS replication instance class; Multi-AZ from `multiAz`. */
      instanceClass: z
        .string()
        .regex(/^dms\.[a-z0-9]+\.[a-z0-9]+$/, 'must be a DMS instance class such as dms.t3.medium')
        .default('dms.t3.medium'),
      allocatedStorage: z.number().int().min(5).max(6144).default(50),
    })
    .prefault({}),
  /** Amazon Managed Service for Prometheus for the tiers' metrics, and Amazon Managed Grafana (IAM Identity Center sign-in) over it and CloudWatch. */
  observability: z.strictObject({ prometheus: z.boolean().default(false), grafana: z.boolean().default(false) }).prefault({}),
});

export const agriSettings = agriFields.superRefine((s, ctx) => {
  requireInsideZone(ctx, s.dns.zone, { domain: s.domain });
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (s.dataSync.enabled && !(s.hybrid && s.farm.mode === 'vpn')) {
    issue(
      ['dataSync', 'enabled'],
      `needs hybrid: true and farm.mode: vpn: DMS reaches the farm's database over the VPN (hybrid is ${s.hybrid}, farm.mode ${s.farm.mode})`,
    );
  }
  const farmNet = cidrBlock(s.farm.onPremCidr);
  const host = cidrBlock(`${s.dataSync.host}/32`);
  if (s.dataSync.enabled && farmNet && host && !contains(farmNet, host)) {
    issue(['dataSync', 'host'], `must be inside farm.onPremCidr ${s.farm.onPremCidr}, the network the VPN routes`);
  }
  if (s.observability.grafana && !s.observability.prometheus) {
    issue(['observability', 'grafana'], 'needs observability.prometheus: true (its dashboards query the Prometheus workspace)');
  }
});

const paymentsFields = z.strictObject({
  ...commonSettings,
  /** The four ECS services (web server, external API, internal API, payment-processor integration): tasks and their size. */
  services: z
    .strictObject({
      web: service.prefault({ desiredCount: 2, maxCount: 4 }),
      externalApi: service.prefault({ desiredCount: 2, maxCount: 4 }),
      internalApi: service.prefault({ desiredCount: 2, maxCount: 4 }),
      processor: service.prefault({ desiredCount: 2, maxCount: 4 }),
    })
    .prefault({}),
  /** The transactions database; `engine: aurora-postgresql` builds an Aurora cluster (needs db.t4g.medium or larger). */
  database: database.prefault({}),
  /** Redis in front of the database; with `multiAz` at least one replica is kept whatever `replicas` says. */
  cache: cache.prefault({}),
  /**
   * The public Route 53 zone of `domain`: `existing` (looked up) or `create` (by the primary, name servers
   * output; the DR copy, applied after it, looks it up).
   */
  dns: dnsSettings({ create: 'pay.snake.example.com' }),
  /** The web front's name, the API at `api.<domain>`; inside the `dns` zone. */
  domain: dnsName('pay.example.com').default('pay.snake.example.com'),
  /** Tag of the four service images in their ECR repositories; tags are immutable, so a release bumps it. */
  imageTag: z
    .string()
    .regex(/^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a pinned image tag such as 1.4.2 (not latest)')
    .default('1.0.0'),
  /** Steady-state requests per second the regional API accepts; bursts may reach twice this. */
  apiThrottleRps: z.number().int().min(1).max(100_000).default(1000),
  /** Requests one IP may send to the API in 5 minutes before WAF blocks it (partners call at volume). */
  apiRateLimitPer5Min: z.number().int().min(100).max(2_000_000_000).default(20_000),
});

export const paymentsSettings = paymentsFields.superRefine((s, ctx) => requireInsideZone(ctx, s.dns.zone, { domain: s.domain }));

const entraId = z.uuid('must be an Entra ID object or client id (a UUID)');

const commerceFields = z.strictObject({
  ...commonSettings,
  /** Azure SQL service objective of both databases (`Basic`, `S0`, `GP_Gen5_2`, `GP_S_Gen5_1`, …); `multiAz` needs P/GP/BC/HS. */
  sqlSku: z.string().min(1).default('Basic'),
  /** Azure Cache for Redis tier; `multiAz` needs `Premium`. */
  redisSku: z.enum(['Basic', 'Standard', 'Premium']).default('Basic'),
  /** Service Bus tier; only `Premium` can close its public endpoint (CKV_AZURE_204). */
  serviceBusSku: z.enum(['Basic', 'Standard', 'Premium']).default('Standard'),
  /** Private endpoints for every Azure data service and function app, public access off (AWS reaches Service Bus over the VPN). */
  privateLink: z.boolean().default(false),
  /** The Entra ID group that administers Azure SQL (SQL logins are off); `objectId` is required to build the stack. */
  sqlAdminGroup: z
    .strictObject({
      name: z.string().min(1).max(128).default('commerce-sql-admins'),
      objectId: entraId.optional(),
    })
    .prefault({}),
  /**
   * The Entra ID application the AWS functions sign in as (client secret in AWS Secrets Manager) to use
   * Service Bus: it may send to `payment-requests`, `notifications`, `analytics-events`, `backup-jobs` and
   * receive from `payment-results`. Both ids are required to build the stack.
   */
  awsServicePrincipal: z.strictObject({ clientId: entraId.optional(), objectId: entraId.optional() }).prefault({}),
  /** The shop's web origin: Cognito's sign-in callbacks go to `https://<webDomain>/callback`. */
  webDomain: z
    .string()
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name such as shop.example.com')
    .default('shop.commerce.example.com'),
  /** Cognito feature plan: `PLUS` adds threat protection (enforced); `ESSENTIALS` is cheaper and has none. */
  userPoolPlan: z.enum(['PLUS', 'ESSENTIALS']).default('PLUS'),
  /** Steady-state requests per second the API stage accepts; bursts may reach twice this. */
  apiThrottleRps: z.number().int().min(1).max(10_000).default(100),
  /** Requests one IP may send to the API in 5 minutes before the WAF blocks it. */
  apiRateLimitPer5Min: z.number().int().min(100).max(2_000_000_000).default(2000),
  /** Memory of each Lambda function (MiB). */
  functionMemoryMb: z.number().int().min(128).max(10_240).default(256),
  /** Concurrency reserved for (and capping) each API function; -1 = the account's shared pool. */
  functionReservedConcurrency: z.number().int().min(-1).max(1000).default(-1),
  /** Days DynamoDB point-in-time recovery reaches back. */
  tableRecoveryDays: z.number().int().min(1).max(35).default(35),
  /** The DR copy takes traffic: its change capture (DynamoDB streams → Service Bus) runs. Off, it stays stopped. */
  drActive: z.boolean().default(false),
  /**
   * Health-checked DNS failover between the clouds (primary site): Route 53 answers `apiDomain` with the AWS
   * API while its health checks pass, with the Azure Front Door endpoint otherwise.
   */
  apiFailover: z.boolean().default(false),
  /** The shop API's public name (`apiFailover` only), inside the `dns` zone: the AWS API's custom domain and a Front Door custom domain. */
  apiDomain: dnsName('api.shop.example.com').default('api.shop.commerce.example.com'),
  /**
   * The primary site's public Route 53 zone: CloudFront serves `webDomain` and `images.<webDomain>` there, and
   * `apiDomain` with `apiFailover`. `existing` (looked up) or `create` (name servers output).
   */
  dns: dnsSettings({ create: 'shop.commerce.example.com' }),
  /**
   * With `dr`: an Azure SQL failover group joins the primary's databases to the DR server and fails over by
   * itself after this many minutes of outage (60 or more); the functions connect through its listener.
   * @default no failover group (the DR databases are separate, geo-restorable copies)
   */
  sqlFailoverGraceMinutes: z.number().int().min(60).max(1440).optional(),
});

export const commerceSettings = commerceFields.superRefine((s, ctx) => {
  // apiDomain is served only with apiFailover; its default need not fit a zone that serves only the shop.
  requireInsideZone(ctx, s.dns.zone, s.apiFailover ? { webDomain: s.webDomain, apiDomain: s.apiDomain } : { webDomain: s.webDomain });
  if (s.sqlFailoverGraceMinutes !== undefined && !s.dr) {
    ctx.addIssue({
      code: 'custom',
      path: ['sqlFailoverGraceMinutes'],
      message: 'applies only with dr: true: the failover group joins the primary and DR SQL servers (allowed: remove it, or set dr: true)',
    });
  }
});

/** The release controller run by the `controller` system: its store, size, address and image. */
export const controllerSettings = z
  .strictObject({
    ...commonSettings,
    /** The GitHub App's numeric id (APP_ID; its key and webhook secret are in Secrets Manager, set outside Terraform). */
    appId: z.number().int().min(1),
    /**
     * Where the controller keeps its store: `sqlite` on an encrypted EFS volume (one task only), or `postgres`
     * on RDS (GITOPS_DATABASE_URL), which several tasks share.
     */
    store: z.enum(['sqlite', 'postgres']).default('sqlite'),
    /** Tasks running the controller, and their size; more than 1 needs `store: postgres`. */
    service: z
      .strictObject({
        desiredCount: z.number().int().min(1).max(10).default(1),
        cpu: z.union([z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]).default(1024),
        memory: z.number().int().min(1024).max(30720).default(2048),
      })
      .prefault({}),
    /** The PostgreSQL database (store `postgres` only). */
    database: database.prefault({}),
    /** The public Route 53 zone of `domain`: `existing` (looked up) or `create` (name servers output). */
    dns: dnsSettings({ existing: 'example.com' }),
    /** The controller's name inside the `dns` zone: GitHub posts webhooks to https://<domain>/api/github/webhooks. */
    domain: dnsName('gitops.example.com').default('gitops.example.com'),
    /** Serve the status page at https://<domain>/ too; off, the load balancer forwards only the webhook path. */
    statusPage: z.boolean().default(true),
    /** Tag of the controller image (the project's Dockerfile) in the system's ECR repository; tags are immutable. */
    imageTag: z
      .string()
      .regex(/^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a pinned image tag such as 1.4.2 (not latest)')
      .default('1.0.0'),
    /** Jobs one task runs at once (GITOPS_CONCURRENCY). */
    concurrency: z.number().int().min(1).max(64).default(2),
  })
  .superRefine((s, ctx) => {
    // The SQLite file is one writer's: a second task would share it over EFS and corrupt the store.
    if (s.store === 'sqlite' && s.service.desiredCount !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['service', 'desiredCount'],
        message: 'must be 1 with store sqlite, whose file one task owns (allowed: 1; store postgres allows 1 to 10)',
      });
    }
    if (s.dr) ctx.addIssue({ code: 'custom', path: ['dr'], message: 'must be false: the controller runs in the primary region only' });
    requireInsideZone(ctx, s.dns.zone, { domain: s.domain });
  });

/** Every system the app knows, by project name. An environment file enables a system by listing it. */
export const systemSettings = {
  ingest: ingestSettings,
  imaging: imagingSettings,
  agri: agriSettings,
  payments: paymentsSettings,
  commerce: commerceSettings,
  controller: controllerSettings,
} as const;

export type SystemName = keyof typeof systemSettings;
export const systemNames = Object.keys(systemSettings) as SystemName[];
export type SystemSettings = { [K in SystemName]: z.infer<(typeof systemSettings)[K]> };
