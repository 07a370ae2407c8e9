// A Private Link service declared as a resource (Bicep, ARM, Terraform, ASO) whose NAT IP configuration takes its
// addresses from a subnet with privateLinkServiceNetworkPolicies enabled: Azure refuses the NAT IPs there, so the
// deployment fails. The same fact as lb-pls-subnet-network-policies, which judges the Private Link services AKS creates
// from a Service's annotations. An error where the flag is written Enabled; a warning where the subnet's declaration
// leaves it out (Azure's default is Enabled, but the subnet may be changed outside the files), on its prefix. A subnet the reference
// does not resolve to exactly one of, or a flag that cannot be evaluated, is not judged.
import { PRIVATE_LINK_SERVICE_SUBNET } from '../facts';
import type { NetworkModel } from '../model/network';
import { isNotSet } from '../model/source';
import { resolveSubnet } from '../model/topology';
import { defineRule, type Reported } from './rule';

const DISABLED = PRIVATE_LINK_SERVICE_SUBNET.value.disabled;

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const seen = new Set<string>();
  for (const service of model.privateLinkServices) {
    for (const reference of service.subnets) {
      const subnet = resolveSubnet(model, reference);
      const flag = subnet?.privateLinkServiceNetworkPolicies;
      if (!subnet || !flag) continue;
      const leftOut = isNotSet(flag);
      const written = flag.known ? flag.value : undefined;
      if (!leftOut && (written === undefined || written === DISABLED)) continue;
      // Written: on the flag. Left out: on the subnet's address prefix, in the declaration the flag goes into (a subnet
      // without a known prefix is not pointed at).
      const at = leftOut ? subnet.prefixes.find((prefix) => prefix.known)?.source : flag.source;
      if (!at) continue;
      const key = `${at.uri}#${at.start}|${service.source.uri}#${service.source.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const state = leftOut ? "leaves privateLinkServiceNetworkPolicies out, and Azure's default is Enabled," : `has privateLinkServiceNetworkPolicies ${written},`;
      findings.push({
        message: `Subnet ${subnet.name} ${state} so Private Link service ${service.name} cannot take its NAT IPs there: set it to ${DISABLED}.`,
        source: at,
        ...(leftOut ? { severity: 'warning' as const } : {}),
        related: [{ message: `Private Link service ${service.name}: a NAT IP configuration in subnet ${subnet.name}`, source: reference.source }],
      });
    }
  }
  return findings;
}

export const privateLinkServiceSubnetPolicies = defineRule({
  id: 'private-link-service-subnet-policies',
  title: 'Private Link service NAT IPs on a subnet with network policies enabled',
  defaultSeverity: 'error',
  facts: [PRIVATE_LINK_SERVICE_SUBNET],
  check,
});
