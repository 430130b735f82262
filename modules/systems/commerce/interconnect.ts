// What both ends of the AWS ↔ Azure site-to-site VPN must agree on. The AWS end
// (modules/aws/connectivity SiteToSiteVpn) offers IKEv2 with AES-256, SHA-2 and the ECDH groups
// 19/20/21 only; the Azure VPN gateway's default policy (DH group 14 / PFS2048) is not among them,
// so the tunnels would never come up. ECP256 is DH group 19 on both sides.
import { carve } from '../../core/cidr.js';
import type { IpsecPolicy } from '../../azure/network/vpn-gateway.js';

/** The Azure connection policy that the AWS tunnels accept (phase 2 lifetime = AWS's 3600 s default). */
export const AWS_PEER_IPSEC_POLICY: IpsecPolicy = {
  ikeEncryption: 'AES256',
  ikeIntegrity: 'SHA256',
  dhGroup: 'ECP256',
  ipsecEncryption: 'AES256',
  ipsecIntegrity: 'SHA256',
  pfsGroup: 'ECP256',
  saLifetimeSeconds: 3600,
};

/** Azure's names for the DH groups AWS numbers. */
export const AZURE_DH_GROUP_NUMBERS: Readonly<Record<string, number>> = {
  DHGroup14: 14,
  DHGroup2048: 14,
  PFS14: 14,
  PFS2048: 14,
  DHGroup24: 24,
  PFS24: 24,
  ECP256: 19,
  ECP384: 20,
};

/** AWS Site-to-Site VPN pre-shared keys: 8-64 letters, digits, `.` or `_`, not starting with `0` (a Terraform regex). */
export const AWS_PRESHARED_KEY_PATTERN = '^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$';

/** The VPN tunnels of one AWS VPN connection, by the names both ends use. */
export const VPN_TUNNELS = ['tunnel1', 'tunnel2'] as const;
export type VpnTunnelName = (typeof VPN_TUNNELS)[number];

/** The system's /20 split in two: the AWS VPC gets the first /21, the Azure VNet the second (the VPN routes each to the other). */
export function splitSystemCidr(cidr: string): { aws: string; azure: string } {
  return { aws: carve(cidr, 21, 0), azure: carve(cidr, 21, 1) };
}
