import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  azureUsableAddresses,
  cidr,
  containsCidr,
  containsIp,
  firstAddress,
  formatCidr,
  formatCount,
  formatIp,
  lastAddress,
  overlaps,
  parseCidr,
  parseIp,
  totalAddresses,
} from '../../server/src/cidr/cidr.ts';
import { allocate, freeGaps, mergeCidrs, sortCidrs } from '../../server/src/cidr/addressSpace.ts';

const texts = (blocks: ReturnType<typeof cidr>[]) => blocks.map(formatCidr);

describe('parseCidr', () => {
  it('parses IPv4 and IPv6 blocks', () => {
    const v4 = parseCidr('10.224.0.0/16');
    assert.ok(v4.ok);
    assert.equal(v4.cidr.family, 4);
    assert.equal(v4.cidr.prefix, 16);
    assert.equal(v4.hostBitsSet, false);
    const v6 = parseCidr('fd12:3456:789a:1::/108');
    assert.ok(v6.ok);
    assert.equal(v6.cidr.family, 6);
    assert.equal(formatCidr(v6.cidr), 'fd12:3456:789a:1::/108');
  });

  it('reports host bits and offers the network address', () => {
    const parsed = parseCidr('10.0.0.5/24');
    assert.ok(parsed.ok);
    assert.equal(parsed.hostBitsSet, true);
    assert.equal(formatCidr(parsed.cidr), '10.0.0.0/24');
  });

  it('explains precisely what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['10.0.0.0/33', /'\/33' is not a valid IPv4 prefix length: .*0 to 32/],
      ['fd00::/200', /'\/200' is not a valid IPv6 prefix length: .*0 to 128/],
      ['10.0.0.256/24', /256 is over 255/],
      ['10.0.0/24', /needs 4 dot-separated numbers, it has 3/],
      ['10.0.0.0', /has no '\/prefix'/],
      ['10.0.0.0/', /prefix length/],
      ['10.0.0.0/x', /prefix length/],
      ['fd00:::1/64', /not an IPv6 address/],
      ['zz::/64', /not an IPv6 address/],
    ];
    for (const [text, message] of cases) {
      const parsed = parseCidr(text);
      assert.equal(parsed.ok, false, text);
      if (!parsed.ok) assert.match(parsed.error, message, text);
    }
  });
});

describe('sizes', () => {
  it('counts total and Azure-usable addresses', () => {
    assert.equal(totalAddresses(cidr('10.224.0.0/16')), 65536n);
    assert.equal(azureUsableAddresses(cidr('10.224.0.0/16')), 65531n);
    assert.equal(azureUsableAddresses(cidr('10.0.0.0/24')), 251n);
    assert.equal(azureUsableAddresses(cidr('10.0.0.0/29')), 3n);
    assert.equal(azureUsableAddresses(cidr('10.0.0.0/31')), 0n);
  });

  it('is exact for big IPv6 blocks', () => {
    assert.equal(totalAddresses(cidr('::/0')), 2n ** 128n);
    assert.equal(formatCount(totalAddresses(cidr('fd00::/64'))), '18,446,744,073,709,551,616');
  });

  it('formats counts with thousands separators', () => {
    assert.equal(formatCount(0n), '0');
    assert.equal(formatCount(999n), '999');
    assert.equal(formatCount(65536n), '65,536');
    assert.equal(formatCount(1000000n), '1,000,000');
  });

  it('knows first and last addresses', () => {
    const block = cidr('10.224.0.0/12');
    assert.equal(formatIp(firstAddress(block)), '10.224.0.0');
    assert.equal(formatIp(lastAddress(block)), '10.239.255.255');
    assert.equal(formatIp(lastAddress(cidr('fd00::/120'))), 'fd00::ff');
  });
});

describe('relations', () => {
  it('contains and overlaps', () => {
    assert.ok(containsCidr(cidr('10.0.0.0/8'), cidr('10.1.0.0/16')));
    assert.ok(!containsCidr(cidr('10.1.0.0/16'), cidr('10.0.0.0/8')));
    assert.ok(overlaps(cidr('10.1.0.0/16'), cidr('10.0.0.0/8')));
    assert.ok(!overlaps(cidr('10.1.0.0/16'), cidr('10.2.0.0/16')));
    assert.ok(!overlaps(cidr('10.0.0.0/8'), cidr('::/0')), 'different families never overlap');
    const ip = parseIp('10.0.0.10');
    assert.ok(ip.ok);
    assert.ok(containsIp(cidr('10.0.0.0/16'), ip.ip));
    assert.ok(!containsIp(cidr('10.1.0.0/16'), ip.ip));
  });

  it('sorts by family, address, then size', () => {
    assert.deepEqual(texts(sortCidrs([cidr('fd00::/8'), cidr('10.1.0.0/16'), cidr('10.0.0.0/24'), cidr('10.0.0.0/8')])), [
      '10.0.0.0/8',
      '10.0.0.0/24',
      '10.1.0.0/16',
      'fd00::/8',
    ]);
  });
});

describe('address space', () => {
  it('merges adjacent and overlapping blocks', () => {
    assert.deepEqual(texts(mergeCidrs([cidr('10.0.1.0/24'), cidr('10.0.0.0/24'), cidr('10.0.0.128/25')])), ['10.0.0.0/23']);
    assert.deepEqual(texts(mergeCidrs([cidr('10.0.1.0/24'), cidr('10.0.2.0/24')])), ['10.0.1.0/24', '10.0.2.0/24']);
  });

  it('finds the free gaps inside a parent', () => {
    const gaps = freeGaps(cidr('10.0.0.0/16'), [cidr('10.0.0.0/24'), cidr('10.0.2.0/23')]);
    assert.deepEqual(texts(gaps), ['10.0.1.0/24', '10.0.4.0/22', '10.0.8.0/21', '10.0.16.0/20', '10.0.32.0/19', '10.0.64.0/18', '10.0.128.0/17']);
  });

  it('allocates aligned blocks that overlap nothing, best fit first', () => {
    const used = [cidr('10.0.0.0/24'), cidr('10.0.2.0/23')];
    assert.equal(formatCidr(allocate(cidr('10.0.0.0/16'), 24, used)!), '10.0.1.0/24');
    assert.equal(formatCidr(allocate(cidr('10.0.0.0/16'), 22, used)!), '10.0.4.0/22');
    assert.equal(allocate(cidr('10.0.0.0/24'), 24, [cidr('10.0.0.0/25')]), undefined);
    assert.equal(allocate(cidr('10.0.0.0/24'), 16, []), undefined);
    const v6 = allocate(cidr('fd00::/48'), 64, [cidr('fd00::/64')]);
    assert.equal(formatCidr(v6!), 'fd00:0:0:1::/64');
  });
});
