import { Fn } from 'cdktf';
import { cidrSubnet } from './cidr-subnet.js';

describe('cidrSubnet', () => {
  test('GIVEN a CIDR WHEN subnetted THEN the result matches Terraform cidrsubnet()', () => {
    expect(cidrSubnet('10.0.0.0/16', 4, 0)).toBe('10.0.0.0/20');
    expect(cidrSubnet('10.0.0.0/16', 4, 15)).toBe('10.0.240.0/20');
    expect(cidrSubnet('172.16.0.0/12', 4, 2)).toBe('172.18.0.0/16');
    expect(cidrSubnet('10.1.2.0/24', 4, 3)).toBe('10.1.2.48/28');
    expect(cidrSubnet('192.168.0.0/16', 8, 255)).toBe('192.168.255.0/24');
  });

  test('GIVEN a netNum that does not fit or a malformed CIDR WHEN subnetted THEN it throws with the values', () => {
    expect(() => cidrSubnet('10.0.0.0/16', 2, 4)).toThrow('cidrSubnet: netNum 4 does not fit 2 new bits of 10.0.0.0/16');
    expect(() => cidrSubnet('10.0.0.0/30', 4, 0)).toThrow('does not fit');
    expect(() => cidrSubnet('nope', 4, 0)).toThrow('cidrSubnet: "nope" is not an IPv4 CIDR');
  });

  test('GIVEN a token WHEN subnetted THEN it defers to Terraform', () => {
    expect(cidrSubnet(Fn.lower('10.0.0.0/16'), 4, 1)).toMatch(/TfToken/);
  });
});
