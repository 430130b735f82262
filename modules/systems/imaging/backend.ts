// The back end of solution 1: Lambda REST APIs behind a PRIVATE API Gateway (reachable only through
// the VPC's execute-api endpoint), guarded by per-environment API keys; image requests go through
// a FIFO queue whose content-based de-duplication drops identical requests made within five
// minutes, so one rendering serves everyone who asked for the same cat-and-hat combination.
import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { LambdaFunction } from '../../aws/api/lambda-function.js';
import { RestApi } from '../../aws/api/rest-api.js';
import { QueueConsumer } from '../../aws/messaging/queue-consumer.js';
import { QueueWithDlq } from '../../aws/messaging/queue.js';
import { Secret } from '../../aws/security/secret.js';
import { functionEntry } from '../function-source.js';

export interface ImagingBackendProps {
  readonly prefix: string;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly bucketArn: string;
  readonly bucketName: string;
  readonly redis: { readonly host: string; readonly authTokenSecretArn: string };
  /** Private subnets and the functions' security group. */
  readonly vpc: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  /** The execute-api interface endpoint: the only way to call the API. */
  readonly executeApiEndpointId: string;
  /** Public name of the image CDN, when there is one. */
  readonly cdnDomain?: string;
}

export const API_STAGE = 'v1';
/** Longest rendering of one batch; the request queue's visibility timeout is 6 × this. */
export const RENDER_TIMEOUT_SECONDS = 120;

export class ImagingBackend extends Construct {
  public readonly requests: QueueWithDlq;
  /** Where failed asynchronous invocations of the functions land (every invocation here is synchronous). */
  public readonly asyncFailures: SqsQueue;
  /** API keys per environment and caller (seed: "secret key for diff env and user"); values set outside Terraform. */
  public readonly apiKeys: Secret;
  public readonly functions: Record<'api' | 'processor' | 'authorizer', LambdaFunction>;
  public readonly api: RestApi;
  public readonly apiName: string;

  constructor(scope: Construct, id: string, props: ImagingBackendProps) {
    super(scope, id);
    const { prefix } = props;
    this.requests = new QueueWithDlq(this, 'image-requests', {
      name: `${prefix}-image-requests`,
      fifo: true,
      contentBasedDeduplication: true,
      consumerTimeoutSeconds: RENDER_TIMEOUT_SECONDS,
    });
    this.asyncFailures = new SqsQueue(this, 'async-failures', {
      name: `${prefix}-lambda-async-failures`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1_209_600,
      // A dead-letter queue in its own right: Lambda writes to it directly, no queue redrives here.
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }),
    });
    this.apiKeys = new Secret(this, 'api-keys', {
      name: `${prefix}/api-keys`,
      description: 'API keys of the private imaging API, per caller (set outside Terraform)',
      kmsKeyArn: props.kmsKeyArn,
    });

    const common = {
      runtime: 'nodejs22.x' as const,
      deadLetterQueueArn: this.asyncFailures.arn,
      logRetentionDays: props.logRetentionDays,
      vpc: props.vpc,
      // API Gateway's throttling and the FIFO message groups bound concurrency; no reservation.
      reservedConcurrency: -1,
    };
    const redisEnvironment = { REDIS_HOST: props.redis.host, REDIS_AUTH_SECRET_ARN: props.redis.authTokenSecretArn };
    const api = new LambdaFunction(this, 'api-function', {
      ...common,
      name: `${prefix}-api`,
      description: 'Image REST API: lists and reads images, or queues a rendering request',
      handler: 'api.handler',
      entry: functionEntry('imaging', 'api'),
      timeoutSeconds: 29,
      access: {
        readBuckets: [props.bucketArn],
        sendQueues: [this.requests.arn],
        readSecrets: [props.redis.authTokenSecretArn],
        decryptKeys: [props.kmsKeyArn],
      },
      environment: {
        ...redisEnvironment,
        IMAGE_BUCKET: props.bucketName,
        REQUEST_QUEUE_URL: this.requests.url,
        ...(props.cdnDomain ? { CDN_DOMAIN: props.cdnDomain } : {}),
      },
    });
    const processor = new LambdaFunction(this, 'processor-function', {
      ...common,
      name: `${prefix}-processor`,
      description: 'Renders a requested cat-and-hat image once and stores it',
      handler: 'processor.handler',
      entry: functionEntry('imaging', 'processor'),
      memorySize: 1024,
      timeoutSeconds: RENDER_TIMEOUT_SECONDS,
      access: {
        readBuckets: [props.bucketArn],
        writeBuckets: [props.bucketArn],
        consumeQueues: [this.requests.arn],
        readSecrets: [props.redis.authTokenSecretArn],
        decryptKeys: [props.kmsKeyArn],
      },
      environment: { ...redisEnvironment, IMAGE_BUCKET: props.bucketName },
    });
    new QueueConsumer(this, 'processor-mapping', {
      queue: this.requests,
      functionName: processor.arn,
      functionTimeoutSeconds: RENDER_TIMEOUT_SECONDS,
    });
    const authorizer = new LambdaFunction(this, 'authorizer-function', {
      ...common,
      name: `${prefix}-authorizer`,
      description: "Checks the caller's API key against the environment's keys in Secrets Manager",
      handler: 'authorizer.handler',
      entry: functionEntry('imaging', 'authorizer'),
      timeoutSeconds: 10,
      access: { readSecrets: [this.apiKeys.arn], decryptKeys: [props.kmsKeyArn] },
      environment: { API_KEYS_SECRET_ARN: this.apiKeys.arn },
    });
    this.functions = { api, processor, authorizer };

    this.apiName = prefix;
    this.api = new RestApi(this, 'api', {
      name: this.apiName,
      description: 'Image REST APIs (solution 1), private to the VPC',
      endpointType: 'PRIVATE',
      vpcEndpointIds: [props.executeApiEndpointId],
      authorizers: { 'api-key': { type: 'TOKEN', function: authorizer, identitySource: 'method.request.header.x-api-key' } },
      defaultAuthorizer: 'api-key',
      routes: {
        'GET /images': { function: api },
        'POST /images': { function: api },
        'GET /images/{id}': { function: api },
      },
      stageName: API_STAGE,
      logRetentionDays: props.logRetentionDays,
    });
  }
}
