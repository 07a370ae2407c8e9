// Advice: the Azure Firewall a cluster's egress goes through has fewer than the 20 frontend public IPs the AKS egress
// document gives as the production minimum against SNAT port exhaustion. Only for a firewall joined to a cluster with
// certainty (networkAround.ts egressFirewallsOf) whose count of public IPs is known.
import { FIREWALL_FRONTEND_IPS } from '../facts';
import type { Cluster, Firewall, NetworkModel } from '../model/network';
import { egressFirewallsOf } from './networkAround';
import { defineRule, type Reported } from './rule';

const MINIMUM = FIREWALL_FRONTEND_IPS.value.productionMinimum;

function check(model: NetworkModel): Reported[] {
  if (model.firewalls.length === 0) return [];
  const clusters = new Map<Firewall, Cluster[]>();
  for (const cluster of model.clusters) {
    for (const { firewall } of egressFirewallsOf(model, cluster)) clusters.set(firewall, [...(clusters.get(firewall) ?? []), cluster]);
  }
  const findings: Reported[] = [];
  for (const [firewall, egressOf] of clusters) {
    const count = firewall.frontendPublicIps;
    if (!count?.known || count.value < 1 || count.value >= MINIMUM) continue;
    const names = [...new Set(egressOf.map((c) => c.name))].join(', ');
    findings.push({
      message: `Firewall ${firewall.name}, the egress of cluster ${names}, has ${count.value} frontend public IP${count.value === 1 ? '' : 's'}: AKS recommends at least ${MINIMUM} in production to avoid SNAT port exhaustion (more for many connections to the same destinations).`,
      source: count.source,
      related: [{ message: `firewall ${firewall.name}`, source: firewall.source }, ...egressOf.map((c) => ({ message: `cluster ${c.name}`, source: c.source }))],
    });
  }
  return findings;
}

export const firewallFrontendIps = defineRule({
  id: 'firewall-frontend-ips',
  title: 'Egress firewall with fewer than 20 frontend public IPs',
  defaultSeverity: 'info',
  facts: [FIREWALL_FRONTEND_IPS],
  check,
});
