// Subnets against their virtual network: inside its address space, not overlapping each other.
import { overlappingPairs } from '../cidr/addressSpace';
import { containsCidr, formatCidr } from '../cidr/cidr';
import { AZURE_SUBNETS_INSIDE_VNET } from '../facts';
import { knownValues } from '../model/source';
import { subnetPrefixes, subnetsByVnetKey, vnetOf } from '../model/topology';
import type { Finding, Rule } from './rule';

export const subnetOutsideVnet: Rule = {
  id: 'subnet-outside-vnet',
  title: "Subnet outside its virtual network's address space",
  defaultSeverity: 'error',
  facts: [AZURE_SUBNETS_INSIDE_VNET],
  check: (model) => {
    const findings: Finding[] = [];
    for (const { subnet, prefix } of subnetPrefixes(model.subnets)) {
      const vnet = vnetOf(model, subnet);
      // Only a fully known address space can prove a prefix is outside it.
      if (!vnet || !vnet.addressSpaceComplete) continue;
      const space = knownValues(vnet.addressSpace).filter((range) => range.value.family === prefix.value.family);
      if (space.length === 0 || space.some((range) => containsCidr(range.value, prefix.value))) continue;
      findings.push({
        rule: 'subnet-outside-vnet',
        severity: 'error',
        message: `Subnet ${subnet.name} (${formatCidr(prefix.value)}) is not inside the address space of virtual network ${vnet.name} (${space.map((r) => formatCidr(r.value)).join(', ')}).`,
        source: prefix.source,
        related: space.map((range) => ({ message: `address space of ${vnet.name}`, source: range.source })),
      });
    }
    return findings;
  },
};

export const subnetOverlap: Rule = {
  id: 'subnet-overlap',
  title: 'Subnets of one virtual network overlap',
  defaultSeverity: 'error',
  facts: [AZURE_SUBNETS_INSIDE_VNET],
  check: (model) => {
    const findings: Finding[] = [];
    for (const subnets of subnetsByVnetKey(model).values()) {
      const prefixes = subnetPrefixes(subnets);
      for (const [i, j] of overlappingPairs(prefixes.map(({ prefix }) => prefix.value))) {
        const later = prefixes[i]!;
        const earlier = prefixes[j]!;
        // The same subnet declared twice (another file, another API version) is not an overlap.
        if (later.subnet.name === earlier.subnet.name) continue;
        findings.push({
          rule: 'subnet-overlap',
          severity: 'error',
          message: `Subnet ${later.subnet.name} (${formatCidr(later.prefix.value)}) overlaps subnet ${earlier.subnet.name} (${formatCidr(earlier.prefix.value)}) in the same virtual network.`,
          source: later.prefix.source,
          related: [{ message: `subnet ${earlier.subnet.name}`, source: earlier.prefix.source }],
        });
      }
    }
    return findings;
  },
};
