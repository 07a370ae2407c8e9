// Subnets of one virtual network must not overlap (the same subnet declared twice is one subnet).
import { overlappingPairs } from '../cidr/addressSpace';
import { formatCidr } from '../cidr/cidr';
import { AZURE_SUBNETS_INSIDE_VNET } from '../facts';
import { subnetPrefixes, subnetsByVnetKey } from '../model/topology';
import { defineRule, type Reported } from './rule';

export const subnetOverlap = defineRule({
  id: 'subnet-overlap',
  title: 'Subnets of one virtual network overlap',
  defaultSeverity: 'error',
  facts: [AZURE_SUBNETS_INSIDE_VNET],
  check: (model) => {
    const findings: Reported[] = [];
    for (const subnets of subnetsByVnetKey(model).values()) {
      const prefixes = subnetPrefixes(subnets);
      for (const [i, j] of overlappingPairs(prefixes.map(({ prefix }) => prefix.value))) {
        const later = prefixes[i]!;
        const earlier = prefixes[j]!;
        // The same subnet declared twice (another file, another API version) is not an overlap.
        if (later.subnet.name === earlier.subnet.name) continue;
        findings.push({
          message: `Subnet ${later.subnet.name} (${formatCidr(later.prefix.value)}) overlaps subnet ${earlier.subnet.name} (${formatCidr(earlier.prefix.value)}) in the same virtual network.`,
          source: later.prefix.source,
          related: [{ message: `subnet ${earlier.subnet.name}`, source: earlier.prefix.source }],
        });
      }
    }
    return findings;
  },
});
