import { describe, expect, it } from 'vitest';
import { formatCidr, freeSubnet, overlaps, parseCidr } from '../../../server/nodes/subnet-pool.js';

describe('subnet pool', () => {
  it('parses and formats CIDRs, normalising the host part', () => {
    expect(formatCidr(parseCidr('10.201.3.7/16'))).toBe('10.201.0.0/16');
    expect(() => parseCidr('10.300.0.0/16')).toThrow(/not an IPv4 CIDR/);
    expect(() => parseCidr('fd00::/64')).toThrow();
  });

  it('detects overlap in both directions', () => {
    expect(overlaps(parseCidr('10.201.0.0/16'), parseCidr('10.201.5.0/24'))).toBe(true);
    expect(overlaps(parseCidr('10.201.5.0/24'), parseCidr('10.201.6.0/24'))).toBe(false);
  });

  it('hands out the first /24 that nothing uses, skipping ones inside or around used networks', () => {
    expect(freeSubnet('10.201.0.0/16', 24, [])).toBe('10.201.0.0/24');
    expect(freeSubnet('10.201.0.0/16', 24, ['10.201.0.0/24', '10.201.1.128/25', '172.17.0.0/16', 'fd00::/64'])).toBe('10.201.2.0/24');
    expect(freeSubnet('10.201.0.0/23', 24, ['10.0.0.0/8'])).toBeUndefined();
  });
});
