// Terraform's cidrsubnet() worked out at synth time, so subnet CIDRs are literal in the plan (and
// testable); a CIDR that is still a token falls back to Terraform's own function.
import { Fn, Token } from 'cdktf';
import { cidrBlock, subBlock } from './cidr.js';

/** Same result as Terraform's `cidrsubnet(cidr, newBits, netNum)`. */
export function cidrSubnet(cidr: string, newBits: number, netNum: number): string {
  if (Token.isUnresolved(cidr)) return Fn.cidrsubnet(cidr, newBits, netNum);
  const block = cidrBlock(cidr);
  if (!block) throw new Error(`cidrSubnet: ${JSON.stringify(cidr)} is not an IPv4 CIDR`);
  const subnet = subBlock(block, block.prefix + newBits, netNum);
  if (subnet === undefined) throw new Error(`cidrSubnet: netNum ${netNum} does not fit ${newBits} new bits of ${cidr}`);
  return subnet;
}
