import { GuardDuty, type GuardDutyProps } from './guard-duty.js';
import { synth, resourcesOf } from '../../../test/modules/synth-json.js';

const statuses = (props?: GuardDutyProps) =>
  Object.fromEntries(
    resourcesOf(
      synth((s) => new GuardDuty(s, 'gd', props)),
      'aws_guardduty_detector_feature',
    ).map((f) => [f.name, f.status]),
  );

describe('GuardDuty', () => {
  test('GIVEN no props WHEN synthesized THEN an enabled detector publishes every 15 minutes', () => {
    const json = synth((s) => new GuardDuty(s, 'gd'));
    expect(resourcesOf(json, 'aws_guardduty_detector')).toEqual([{ enable: true, finding_publishing_frequency: 'FIFTEEN_MINUTES' }]);
  });

  test('GIVEN no props WHEN synthesized THEN S3, EKS audit, malware, RDS and Lambda protection are on and runtime monitoring is explicitly off', () => {
    expect(statuses()).toEqual({
      S3_DATA_EVENTS: 'ENABLED',
      EKS_AUDIT_LOGS: 'ENABLED',
      EBS_MALWARE_PROTECTION: 'ENABLED',
      RDS_LOGIN_EVENTS: 'ENABLED',
      LAMBDA_NETWORK_LOGS: 'ENABLED',
      RUNTIME_MONITORING: 'DISABLED',
    });
  });

  test('GIVEN features WHEN synthesized THEN they override the defaults one by one and runtime agents follow runtime monitoring', () => {
    const json = synth((s) => new GuardDuty(s, 'gd', { features: { RUNTIME_MONITORING: true, EKS_AUDIT_LOGS: false } }));
    const features = Object.fromEntries(resourcesOf(json, 'aws_guardduty_detector_feature').map((f) => [f.name, f]));
    expect(features.EKS_AUDIT_LOGS.status).toBe('DISABLED');
    expect(features.S3_DATA_EVENTS.status).toBe('ENABLED');
    expect(features.RUNTIME_MONITORING).toMatchObject({
      status: 'ENABLED',
      additional_configuration: [
        { name: 'EKS_ADDON_MANAGEMENT', status: 'ENABLED' },
        { name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: 'ENABLED' },
        { name: 'EC2_AGENT_MANAGEMENT', status: 'ENABLED' },
      ],
    });
    expect(features.S3_DATA_EVENTS.detector_id).toMatch(/^\$\{aws_guardduty_detector\..+\.id\}$/);
  });

  test('GIVEN features WHEN synthesized THEN each resource is keyed by feature name, not position', () => {
    const json = synth((s) => new GuardDuty(s, 'gd'));
    expect(
      Object.keys(json.resource.aws_guardduty_detector_feature)
        .map((k) => k.replace(/_[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual([
      'gd_EBS_MALWARE_PROTECTION',
      'gd_EKS_AUDIT_LOGS',
      'gd_LAMBDA_NETWORK_LOGS',
      'gd_RDS_LOGIN_EVENTS',
      'gd_RUNTIME_MONITORING',
      'gd_S3_DATA_EVENTS',
    ]);
  });

  test('GIVEN a publishing frequency WHEN synthesized THEN it is used', () => {
    const json = synth((s) => new GuardDuty(s, 'gd', { findingPublishingFrequency: 'SIX_HOURS' }));
    expect(resourcesOf(json, 'aws_guardduty_detector')[0].finding_publishing_frequency).toBe('SIX_HOURS');
  });

  test('GIVEN an unknown feature, a non-boolean and a bad frequency WHEN constructed THEN one error lists them with the allowed values', () => {
    expect(() =>
      synth(
        (s) =>
          new GuardDuty(s, 'gd', {
            findingPublishingFrequency: 'DAILY' as never,
            features: { MALWARE: true, S3_DATA_EVENTS: 'yes' } as never,
          }),
      ),
    ).toThrow(
      'GuardDuty stack/gd: findingPublishingFrequency must be one of "FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS" (got "DAILY"); ' +
        'features must be one of "S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING" (got "MALWARE"); ' +
        'features.S3_DATA_EVENTS must be true or false (got "yes")',
    );
  });
});
