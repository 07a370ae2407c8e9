// Application Gateway for Containers associated with a subnet it cannot use: one not delegated to
// Microsoft.ServiceNetworking/trafficControllers, or smaller than /24 (it needs 250 free IPs); and a kubenet cluster in
// the VNet of an AGC association, which AGC does not support. Judged only where the subnet, its delegations, its prefix
// and the cluster's plugin are known.
import { formatCidr } from '../cidr/cidr';
import { AGC_SUBNET } from '../facts';
import type { NetworkModel, Subnet } from '../model/network';
import { resolveSubnet, vnetOf, vnetsOf } from '../model/topology';
import { isDelegatedTo, onlyPrefix } from './networkAround';
import { defineRule, type Reported } from './rule';
import { isValue } from '../model/enums';

const AGC = AGC_SUBNET.value;

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const judged = new Set<Subnet>();
  const vnets = new Map<string, string>();
  for (const association of model.trafficControllerAssociations) {
    const subnet = association.subnet && resolveSubnet(model, association.subnet);
    if (!subnet) continue;
    const vnet = vnetOf(model, subnet);
    if (vnet) vnets.set(vnet.key, association.controller);
    if (judged.has(subnet)) continue;
    judged.add(subnet);
    const related = [{ message: `Application Gateway for Containers ${association.controller}, association ${association.name}`, source: association.source }];
    if (isDelegatedTo(subnet, AGC.delegation) === false) {
      findings.push({
        message: `Subnet ${subnet.name} is associated with Application Gateway for Containers ${association.controller} but not delegated to ${AGC.delegation}: the association fails.`,
        source: association.subnet!.source,
        related: [{ message: `subnet ${subnet.name}`, source: subnet.source }],
      });
    }
    const prefix = onlyPrefix(subnet);
    if (prefix && prefix.value.prefix > AGC.prefix) {
      findings.push({
        message: `Subnet ${subnet.name} (${formatCidr(prefix.value)}) is smaller than the /${AGC.prefix} Application Gateway for Containers ${association.controller} needs (${AGC.freeIps} free IPs).`,
        source: prefix.source,
        related,
      });
    }
  }
  for (const cluster of model.clusters) {
    const plugin = cluster.networkPlugin;
    if (!isValue(plugin, 'kubenet')) continue;
    const shared = vnetsOf(model, cluster).find((vnet) => vnets.has(vnet.key));
    if (!shared) continue;
    findings.push({
      message: `Cluster ${cluster.name} uses kubenet, which Application Gateway for Containers (${vnets.get(shared.key)}, in VNet ${shared.name}) does not support: use Azure CNI or Azure CNI Overlay.`,
      source: plugin.source,
    });
  }
  return findings;
}

export const agcSubnet = defineRule({
  id: 'agc-subnet',
  title: 'Application Gateway for Containers on a subnet or cluster it cannot use',
  defaultSeverity: 'error',
  facts: [AGC_SUBNET],
  check,
});
