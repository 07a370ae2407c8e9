// A subnet must lie inside its virtual network's address space.
import { containsCidr, formatCidr } from '../cidr/cidr';
import { AZURE_SUBNETS_INSIDE_VNET } from '../facts';
import { knownValues } from '../model/source';
import { subnetPrefixes, vnetOf } from '../model/topology';
import { defineRule, type Reported } from './rule';

export const subnetOutsideVnet = defineRule({
  id: 'subnet-outside-vnet',
  title: "Subnet outside its virtual network's address space",
  defaultSeverity: 'error',
  facts: [AZURE_SUBNETS_INSIDE_VNET],
  check: (model) => {
    const findings: Reported[] = [];
    for (const { subnet, prefix } of subnetPrefixes(model.subnets)) {
      const vnet = vnetOf(model, subnet);
      // Only a fully known address space can prove a prefix is outside it.
      if (!vnet || !vnet.addressSpaceComplete) continue;
      const space = knownValues(vnet.addressSpace).filter((range) => range.value.family === prefix.value.family);
      if (space.length === 0 || space.some((range) => containsCidr(range.value, prefix.value))) continue;
      findings.push({
        message: `Subnet ${subnet.name} (${formatCidr(prefix.value)}) is not inside the address space of virtual network ${vnet.name} (${space.map((r) => formatCidr(r.value)).join(', ')}).`,
        source: prefix.source,
        related: space.map((range) => ({ message: `address space of ${vnet.name}`, source: range.source })),
      });
    }
    return findings;
  },
});
