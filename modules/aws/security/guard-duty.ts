// GuardDuty threat detection for one region. Protection plans are detector features (the
// `datasources` block is deprecated); each is keyed by its feature name.
import { Construct } from 'constructs';
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector/index.js';
import { GuarddutyDetectorFeature } from '@cdktf/provider-aws/lib/guardduty-detector-feature/index.js';
import { PropProblems } from '../../core/validation.js';

export const GUARDDUTY_FEATURES = [
  'S3_DATA_EVENTS',
  'EKS_AUDIT_LOGS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
  'LAMBDA_NETWORK_LOGS',
  'RUNTIME_MONITORING',
] as const;
export type GuardDutyFeature = (typeof GUARDDUTY_FEATURES)[number];

/** Runtime monitoring needs an agent in every workload and is billed per vCPU: opt in. */
const DEFAULT_FEATURES: Record<GuardDutyFeature, boolean> = {
  S3_DATA_EVENTS: true,
  EKS_AUDIT_LOGS: true,
  EBS_MALWARE_PROTECTION: true,
  RDS_LOGIN_EVENTS: true,
  LAMBDA_NETWORK_LOGS: true,
  RUNTIME_MONITORING: false,
};

/** GuardDuty manages the runtime agent for these when RUNTIME_MONITORING is on. */
const RUNTIME_AGENT_MANAGEMENT = ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'];

export const FINDING_PUBLISHING_FREQUENCIES = ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'] as const;

export interface GuardDutyProps {
  /**
   * Protection plans to turn on or off, merged over the defaults: everything on except
   * RUNTIME_MONITORING (agent-based, billed per vCPU).
   * @default the defaults above
   */
  readonly features?: Partial<Record<GuardDutyFeature, boolean>>;
  /** How often updated findings reach EventBridge / Security Hub. @default 'FIFTEEN_MINUTES' */
  readonly findingPublishingFrequency?: (typeof FINDING_PUBLISHING_FREQUENCIES)[number];
}

export class GuardDuty extends Construct {
  readonly detector: GuarddutyDetector;
  readonly detectorId: string;
  /** The feature resources, by feature name. */
  readonly features: Readonly<Partial<Record<GuardDutyFeature, GuarddutyDetectorFeature>>>;

  constructor(scope: Construct, id: string, props: GuardDutyProps = {}) {
    super(scope, id);
    const problems = new PropProblems(this, 'GuardDuty').oneOf(
      'findingPublishingFrequency',
      props.findingPublishingFrequency,
      FINDING_PUBLISHING_FREQUENCIES,
    );
    for (const [name, on] of Object.entries(props.features ?? {})) {
      problems.oneOf('features', name, GUARDDUTY_FEATURES as readonly string[]);
      problems.check(typeof on === 'boolean', `features.${name} must be true or false (got ${JSON.stringify(on)})`);
    }
    problems.throwIfAny();

    this.detector = new GuarddutyDetector(this, 'detector', {
      enable: true,
      findingPublishingFrequency: props.findingPublishingFrequency ?? 'FIFTEEN_MINUTES',
    });
    this.detectorId = this.detector.id;
    const wanted = { ...DEFAULT_FEATURES, ...props.features };
    const features: Partial<Record<GuardDutyFeature, GuarddutyDetectorFeature>> = {};
    for (const name of GUARDDUTY_FEATURES) {
      const status = wanted[name] ? 'ENABLED' : 'DISABLED';
      features[name] = new GuarddutyDetectorFeature(this, name, {
        detectorId: this.detector.id,
        name,
        status,
        additionalConfiguration:
          name === 'RUNTIME_MONITORING' ? RUNTIME_AGENT_MANAGEMENT.map((agent) => ({ name: agent, status })) : undefined,
      });
    }
    this.features = features;
  }
}
