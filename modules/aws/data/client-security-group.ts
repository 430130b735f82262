// The security group of a data store: one port, reachable only from named client security
// groups, no outbound rules (Terraform removes AWS's default allow-all egress), never a CIDR.
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { isUnresolved } from '../../core/validation.js';

export interface ClientSecurityGroupProps {
  readonly vpcId: string;
  readonly port: number;
  /** What the group protects, e.g. "PostgreSQL orders". */
  readonly description: string;
  /** Client security groups by name (the name keys the rule): `{ api: api.securityGroupId }`. */
  readonly clients: Readonly<Record<string, string>>;
}

const CLIENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;

/** Problems with a clients map, for the owning construct's single error. */
export function clientProblems(prop: string, clients: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [name, id] of Object.entries(clients)) {
    if (!CLIENT_NAME.test(name)) problems.push(`${prop} keys must be 1-64 letters, digits, '.', '_' or '-' (got ${JSON.stringify(name)})`);
    if (!isUnresolved(id) && !SECURITY_GROUP_ID.test(id)) {
      problems.push(`${prop}.${name} must be a security group id like sg-0123456789abcdef0, never a CIDR (got ${JSON.stringify(id)})`);
    }
  }
  return problems;
}

export class ClientSecurityGroup extends Construct {
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  public readonly ingressRules: Record<string, VpcSecurityGroupIngressRule> = {};
  private readonly port: number;

  constructor(scope: Construct, id: string, props: ClientSecurityGroupProps) {
    super(scope, id);
    this.port = props.port;
    this.securityGroup = new SecurityGroup(this, 'group', {
      vpcId: props.vpcId,
      namePrefix: `${props.description.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-`,
      description: props.description,
      revokeRulesOnDelete: true,
      // A replacement group must exist before the old one is detached from the data store.
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = this.securityGroup.id;
    for (const [name, groupId] of Object.entries(props.clients)) this.allowFrom(name, groupId);
  }

  /** Lets one more client security group reach the port. */
  public allowFrom(name: string, securityGroupId: string): void {
    const problems = clientProblems('client', { [name]: securityGroupId });
    if (this.ingressRules[name] !== undefined) problems.push(`client ${JSON.stringify(name)} is already allowed`);
    if (problems.length > 0) throw new Error(`ClientSecurityGroup ${this.node.path}: ${problems.join('; ')}`);
    this.ingressRules[name] = new VpcSecurityGroupIngressRule(this, `from-${name}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: securityGroupId,
      ipProtocol: 'tcp',
      fromPort: this.port,
      toPort: this.port,
      description: `${name} clients`,
    });
  }
}
