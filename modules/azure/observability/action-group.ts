// Where alerts go: e-mail and webhook receivers keyed by name.
import { Construct } from 'constructs';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';

export interface ActionGroupProps {
  readonly resourceGroupName: string;
  readonly name: string;
  /** Shown in SMS and e-mail subjects: 1-12 characters. */
  readonly shortName: string;
  /** E-mail receivers keyed by name. @default none */
  readonly emails?: Readonly<Record<string, string>>;
  /** HTTPS webhook receivers keyed by name (e.g. a chat-ops bridge). @default none */
  readonly webhooks?: Readonly<Record<string, string>>;
}

export class ActionGroup extends Construct {
  public readonly group: MonitorActionGroup;
  public readonly id: string;

  constructor(scope: Construct, id: string, props: ActionGroupProps) {
    super(scope, id);
    const emails = Object.entries(props.emails ?? {});
    const webhooks = Object.entries(props.webhooks ?? {});
    const p = new PropProblems(this, 'ActionGroup');
    checkName(p, 'name', props.name, 'generic');
    p.matches('shortName', props.shortName, /^.{1,12}$/, '1-12 characters');
    p.check(
      emails.length + webhooks.length > 0,
      'emails or webhooks must name at least one receiver (got none): an action group without receivers silences alerts',
    );
    for (const [name, address] of emails) {
      p.matches(`emails.${name}`, address, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an e-mail address');
    }
    for (const [name, url] of webhooks) {
      p.matches(`webhooks.${name}`, url, /^https:\/\/[^\s]+$/, 'an https:// URL (alerts must not travel in clear text)');
    }
    p.throwIfAny();

    this.group = new MonitorActionGroup(this, 'group', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      shortName: props.shortName,
      emailReceiver: emails.map(([name, emailAddress]) => ({ name, emailAddress, useCommonAlertSchema: true })),
      webhookReceiver: webhooks.map(([name, serviceUri]) => ({ name, serviceUri, useCommonAlertSchema: true })),
    });
    this.id = this.group.id;
  }
}
