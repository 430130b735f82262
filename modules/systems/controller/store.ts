// Where the controller keeps its store. `sqlite`: the SQLite file on an encrypted EFS file system,
// mounted over TLS through an access point owned by the image's `node` user, reached only with the
// task role's IAM identity. `postgres`: PostgreSQL on RDS in the isolated subnets, encrypted, its
// master password kept (and rotated) by RDS in Secrets Manager and injected as PGPASSWORD, which the
// pg client reads when GITOPS_DATABASE_URL carries no password.
import { Construct } from 'constructs';
import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point/index.js';
import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy/index.js';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system/index.js';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy/index.js';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target/index.js';
import type { EfsVolume, FargateService } from '../../aws/compute/fargate-service.js';
import type { PostgresDatabase } from '../../aws/data/postgres-database.js';
import type { Vpc } from '../../aws/network/vpc.js';
import { SecurityGroup } from '../../aws/network/security-group.js';
import { policyDocument } from '../../aws/security/policy-document.js';
import { systemDatabase } from '../database.js';
import type { SystemSettings } from '../settings.js';

/** The image's work directory (Dockerfile: GITOPS_WORK_DIR): clones, plans and, with `sqlite`, the store. */
export const WORK_DIR = '/var/lib/gitops';
/** The image's `node` user, which the container runs as and which owns the EFS access point's directory. */
export const NODE_UID = 1000;
const NFS_PORT = 2049;
/** The database the controller's tables live in (store `postgres`). */
export const DATABASE_NAME = 'gitops';

export interface ControllerStoreProps {
  readonly prefix: string;
  readonly vpc: Vpc;
  readonly kmsKeyArn: string;
  readonly settings: SystemSettings['controller'];
}

/** What the store gives the service: variables, secrets and a volume. */
export interface StoreWiring {
  readonly environment: Record<string, string>;
  /** Variable name → Secrets Manager reference. */
  readonly secrets: Record<string, string>;
  readonly efsVolumes: Record<string, EfsVolume>;
  /** Writable scratch paths besides /tmp: the work directory when it is not on EFS. */
  readonly writablePaths: readonly string[];
}

export class ControllerStore extends Construct {
  public readonly fileSystem?: EfsFileSystem;
  public readonly accessPoint?: EfsAccessPoint;
  public readonly fileSystemSecurityGroup?: SecurityGroup;
  public readonly database?: PostgresDatabase;
  public readonly wiring: StoreWiring;

  constructor(scope: Construct, id: string, props: ControllerStoreProps) {
    super(scope, id);
    if (props.settings.store === 'postgres') {
      const database = systemDatabase(this, {
        name: props.prefix,
        vpc: props.vpc,
        kmsKeyArn: props.kmsKeyArn,
        databaseName: DATABASE_NAME,
        settings: props.settings,
      });
      this.database = database;
      this.wiring = {
        // No password in the URL (nor in state): the pg client takes PGPASSWORD. RDS forces TLS; the image carries
        // no RDS certificate authority, so the connection is encrypted without verifying the server's certificate.
        environment: {
          GITOPS_DATABASE_URL: `postgres://dbadmin@${database.endpoint}:${database.port}/${DATABASE_NAME}?sslmode=no-verify`,
        },
        secrets: { PGPASSWORD: `${database.masterUserSecretArn}:password::` },
        efsVolumes: {},
        writablePaths: [WORK_DIR],
      };
      return;
    }

    this.fileSystemSecurityGroup = new SecurityGroup(this, 'security-group', {
      vpcId: props.vpc.vpcId,
      description: `${props.prefix} store (EFS): NFS from the controller's tasks only`,
      tags: { Name: `${props.prefix}-store` },
    });
    this.fileSystem = new EfsFileSystem(this, 'file-system', {
      creationToken: `${props.prefix}-store`,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      performanceMode: 'generalPurpose',
      throughputMode: 'elastic',
      tags: { Name: `${props.prefix}-store` },
    });
    new EfsBackupPolicy(this, 'backup', { fileSystemId: this.fileSystem.id, backupPolicy: { status: 'ENABLED' } });
    new EfsFileSystemPolicy(this, 'policy', {
      fileSystemId: this.fileSystem.id,
      policy: policyDocument([
        {
          sid: 'DenyWithoutTls',
          effect: 'Deny',
          actions: ['*'],
          resources: [this.fileSystem.arn],
          principals: { AWS: ['*'] },
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          sid: 'DenyOutsideAccessPoint',
          effect: 'Deny',
          actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
          resources: [this.fileSystem.arn],
          principals: { AWS: ['*'] },
          conditions: { Null: { 'elasticfilesystem:AccessPointArn': 'true' } },
        },
      ]),
    });
    props.vpc.privateSubnetIds.forEach((subnetId, index) => {
      new EfsMountTarget(this, `mount-target-${index}`, {
        fileSystemId: this.fileSystem!.id,
        subnetId,
        securityGroups: [this.fileSystemSecurityGroup!.securityGroupId],
      });
    });
    this.accessPoint = new EfsAccessPoint(this, 'access-point', {
      fileSystemId: this.fileSystem.id,
      posixUser: { uid: NODE_UID, gid: NODE_UID },
      rootDirectory: { path: '/gitops', creationInfo: { ownerUid: NODE_UID, ownerGid: NODE_UID, permissions: '0700' } },
      tags: { Name: `${props.prefix}-store` },
    });
    this.wiring = {
      environment: {},
      secrets: {},
      efsVolumes: { [WORK_DIR]: { fileSystemId: this.fileSystem.id, accessPointId: this.accessPoint.id } },
      writablePaths: [],
    };
  }

  /** Opens the store to the service alone: its security group in, its egress out, and (EFS) its task role. */
  connect(service: FargateService): void {
    if (this.database) {
      this.database.allowFrom('controller', service.securityGroupId);
      service.securityGroup.addEgress({
        name: 'to-database',
        description: 'PostgreSQL (TLS)',
        fromPort: this.database.port,
        peerSecurityGroupId: this.database.securityGroupId,
      });
      return;
    }
    this.fileSystemSecurityGroup!.addIngress({
      name: 'from-controller',
      description: 'NFS (TLS) from the controller tasks',
      fromPort: NFS_PORT,
      peerSecurityGroupId: service.securityGroupId,
    });
    service.securityGroup.addEgress({
      name: 'to-store',
      description: 'NFS (TLS) to the store',
      fromPort: NFS_PORT,
      peerSecurityGroupId: this.fileSystemSecurityGroup!.securityGroupId,
    });
    service.taskRole.addStatements({
      sid: 'MountStore',
      actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      resources: [this.fileSystem!.arn],
      conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': this.accessPoint!.arn } },
    });
  }
}
