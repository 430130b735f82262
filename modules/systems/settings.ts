// The sizing knobs each system reads from an environment file. Zod only: the controller and
// `gitops validate` load these without loading cdktf or any provider.
import { z } from 'zod';

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
  backupRetentionDays: z.number().int().min(1).max(35).default(7),
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
  hybrid: hybridLink.prefault({}),
  authorizer: z.enum(['lambda', 'cognito']).default('lambda'),
  maxReceiveCount: z.number().int().min(1).max(1000).default(5),
  consumerTimeoutSeconds: z.number().int().min(1).max(900).default(30),
  consumerReservedConcurrency: z.number().int().min(-1).max(1000).default(-1),
});

export const imagingSettings = z.strictObject({
  ...commonSettings,
  frontend: service.prefault({}),
  cache: cache.prefault({}),
  /** Days before noncurrent image versions expire. */
  imageVersionExpiryDays: z.number().int().min(1).max(3650).default(30),
  /** Requests per 5 minutes from one IP before WAF blocks it. */
  rateLimitPer5Min: z.number().int().min(100).max(2_000_000_000).default(2000),
  /** Serve through CloudFront; lower environments may turn it off to save cost. */
  cdn: z.boolean().default(true),
  globalAccelerator: z.boolean().default(false),
});

export const agriSettings = z.strictObject({
  ...commonSettings,
  frontend: service.prefault({}),
  backend: service.prefault({}),
  ml: service.prefault({ cpu: 1024, memory: 2048 }),
  database: database.prefault({}),
  /** Site-to-site VPN to the farm and Route 53 failover (on-premise primary, AWS secondary). */
  hybrid: z.boolean().default(false),
  farm: hybridLink.prefault({ mode: 'vpn', customerGatewayIp: '198.51.100.20', bgpAsn: 65010 }),
  domain: z
    .string()
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name such as app.example.com')
    .default('app.unicorn.example.com'),
});

export const paymentsSettings = z.strictObject({
  ...commonSettings,
  services: z
    .strictObject({
      web: service.prefault({ desiredCount: 2, maxCount: 4 }),
      externalApi: service.prefault({ desiredCount: 2, maxCount: 4 }),
      internalApi: service.prefault({ desiredCount: 2, maxCount: 4 }),
      processor: service.prefault({ desiredCount: 2, maxCount: 4 }),
    })
    .prefault({}),
  database: database.prefault({}),
  cache: cache.prefault({}),
  domain: z
    .string()
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name such as pay.example.com')
    .default('pay.snake.example.com'),
  shieldAdvanced: z.boolean().default(false),
});

export const commerceSettings = z.strictObject({
  ...commonSettings,
  /** Azure SQL SKU, e.g. Basic, S0, GP_S_Gen5_1. */
  sqlSku: z.string().min(1).default('Basic'),
  redisSku: z.enum(['Basic', 'Standard', 'Premium']).default('Basic'),
  serviceBusSku: z.enum(['Basic', 'Standard', 'Premium']).default('Standard'),
  privateLink: z.boolean().default(false),
});

/** Every system the app knows, by project name. An environment file enables a system by listing it. */
export const systemSettings = {
  ingest: ingestSettings,
  imaging: imagingSettings,
  agri: agriSettings,
  payments: paymentsSettings,
  commerce: commerceSettings,
} as const;

export type SystemName = keyof typeof systemSettings;
export const systemNames = Object.keys(systemSettings) as SystemName[];
export type SystemSettings = { [K in SystemName]: z.infer<(typeof systemSettings)[K]> };
