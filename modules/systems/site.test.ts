import { Testing } from 'cdktf';
import { buildApp } from '../../environments/app.js';
import type { Environment } from '../../environments/schema.js';
import { envNamed, ofType, systemContext, type SynthesizedStack } from '../../test/modules/system-synth.js';
import { systems } from './index.js';
import { alarmReceivers } from './site.js';
import { ingestSystem } from './ingest/index.js';

const ONCALL_GROUP =
  '/subscriptions/00000000-0000-4000-8000-000000000003/resourceGroups/ops/providers/Microsoft.Insights/actionGroups/oncall';
const prod = envNamed('prod');
/** prod.yaml with every kind of receiver. */
const everyReceiver: Environment = {
  ...prod,
  alarms: {
    email: { oncall: 'oncall@example.com' },
    https: { pager: 'https://events.example.com/v1/alarms' },
    snsTopic: 'org-oncall',
    actionGroupId: ONCALL_GROUP,
  },
};

describe('alarmReceivers', () => {
  test('GIVEN an existing topic name WHEN read for the primary and the DR site THEN its ARN is in each site’s region and the account', () => {
    expect(alarmReceivers(systemContext(ingestSystem, everyReceiver))).toEqual({
      subscribers: { emailSubscribers: ['oncall@example.com'], httpsSubscribers: ['https://events.example.com/v1/alarms'] },
      alsoNotifyArns: ['arn:aws:sns:eu-west-1:333333333333:org-oncall'],
    });
    expect(alarmReceivers(systemContext(ingestSystem, everyReceiver, {}, 'dr')).alsoNotifyArns).toEqual([
      'arn:aws:sns:eu-central-1:333333333333:org-oncall',
    ]);
    expect(alarmReceivers(systemContext(ingestSystem, { ...prod, alarms: { email: {}, https: {} } }))).toEqual({
      subscribers: { emailSubscribers: [], httpsSubscribers: [] },
      alsoNotifyArns: [],
    });
  });
});

describe("every system's alarms", () => {
  const built = buildApp(Testing.app(), [everyReceiver], { systems, commitSha: 'abcdef1', version: '0.0.0' }).filter((s) =>
    systems.some((d) => d.name === s.system),
  );
  const synthesized = built.map((s) => ({ ...s, json: JSON.parse(Testing.synth(s.stack)) as SynthesizedStack }));

  test('GIVEN an environment naming every kind of receiver WHEN each system stack is synthesized THEN its alarm topic subscribes the e-mail and HTTPS receivers', () => {
    expect(synthesized.map((s) => s.system).sort()).toEqual(
      ['agri', 'commerce', 'commerce', 'controller', 'imaging', 'imaging', 'ingest', 'payments', 'payments'].sort(),
    );
    for (const { name, json } of synthesized) {
      const subscriptions = ofType(json, 'aws_sns_topic_subscription').map((s) => [s.protocol, s.endpoint]);
      expect([name, subscriptions.sort()]).toEqual([
        name,
        [
          ['email', 'oncall@example.com'],
          ['https', 'https://events.example.com/v1/alarms'],
        ],
      ]);
    }
  });

  test('GIVEN an existing SNS topic WHEN each system stack is synthesized THEN every alarm notifies it in the stack’s own region', () => {
    for (const { name, region, json } of synthesized) {
      const alarms = ofType(json, 'aws_cloudwatch_metric_alarm');
      expect([name, alarms.length > 0]).toEqual([name, true]);
      for (const alarm of alarms) {
        expect([name, alarm.alarm_actions]).toEqual([name, [expect.any(String), `arn:aws:sns:${region}:333333333333:org-oncall`]]);
      }
    }
  });

  test('GIVEN an existing action group WHEN the commerce stacks are synthesized THEN every Azure alert notifies it and the system’s own group', () => {
    for (const { name, json } of synthesized.filter((s) => s.system === 'commerce')) {
      const alerts = ofType(json, 'azurerm_monitor_metric_alert');
      expect([name, alerts.length > 0]).toEqual([name, true]);
      for (const alert of alerts)
        expect([name, (alert.action as unknown[]).length, alert.action]).toEqual([
          name,
          2,
          expect.arrayContaining([{ action_group_id: ONCALL_GROUP }]),
        ]);
    }
  });
});
