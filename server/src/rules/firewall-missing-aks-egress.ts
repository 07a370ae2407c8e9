// The firewall policy of a cluster's egress firewall lets none of the cluster's nodes reach what AKS needs: no
// application rule with the AzureKubernetesService FQDN tag, and no rule allowing the required FQDNs on HTTPS (a
// warning: nodes cannot pull images or register); and, as advice, the network rules the documents list each with a
// condition (UDP 1194 and TCP 9000 for clusters without konnectivity, UDP 123 for older nodes, TCP 443 to the API server
// for pods that call it). A firewall joins a cluster only when that is certain (rules/networkAround.ts
// egressFirewallsOf); a policy the workspace does not hold in full (rules that cannot be evaluated, a base policy
// elsewhere, no rule collection group at all) is never judged, and a rule that may allow (a service tag, an IP group, a
// value that cannot be evaluated) counts as allowing.
import { type Cidr } from '../cidr/cidr';
import { AKS_EGRESS_REQUIREMENTS } from '../facts';
import type { Cluster, Firewall, NetworkModel } from '../model/network';
import { knownValues, type Source } from '../model/source';
import { nodeSubnetsOf } from '../model/topology';
import { allowsFqdn, type AllowingRule, fromRanges, networkRuleAllowsPort, type PolicyRules, policyRules, type Tri } from '../network/firewallPolicy';
import { egressFirewallsOf } from './networkAround';
import { defineRule, type Reported } from './rule';

const REQUIRED = AKS_EGRESS_REQUIREMENTS.value;

/** The node subnets' prefixes: undefined when some are not known (a source list can then not be ruled out). */
function nodeRanges(model: NetworkModel, cluster: Cluster): Cidr[] | undefined {
  const subnets = nodeSubnetsOf(model, cluster);
  if (subnets.length === 0 || subnets.some((subnet) => subnet.prefixes.length === 0 || subnet.prefixes.some((p) => !p.known))) return undefined;
  return subnets.flatMap((subnet) => knownValues(subnet.prefixes).map((p) => p.value));
}

/** Whether some rule allows it from the cluster's nodes. */
function allowedBy(rules: readonly AllowingRule[], ranges: Cidr[] | undefined, verdict: (entry: AllowingRule) => Tri): Tri {
  let result: Tri = 'no';
  for (const entry of rules) {
    const v = verdict(entry);
    if (v === 'no') continue;
    const from = fromRanges(entry.rule, ranges);
    if (from === 'no') continue;
    const all: Tri = entry.allows === 'yes' && from === 'yes' && v === 'yes' ? 'yes' : 'maybe';
    if (all === 'yes') return 'yes';
    result = 'maybe';
  }
  return result;
}

/** A firewall's policy judged against the AKS egress of the clusters that send their egress through it. */
export interface Judged {
  readonly firewall: Firewall;
  readonly policy: PolicyRules;
  readonly at: Source;
  readonly clusters: Cluster[];
  /** The required FQDNs no rule allows (empty: covered, or possibly covered). */
  missingFqdns: string[] | undefined;
  missingNetwork: (typeof REQUIRED.networkRules)[number][] | undefined;
}

/**
 * Each egress firewall whose policy the workspace holds in full, with what it lacks for the clusters behind it (empty
 * lists: it allows the AKS egress, or may). The network map's egress paths show the same verdict on the firewall's hop.
 */
export function aksEgressJudgements(model: NetworkModel): Judged[] {
  if (model.firewalls.length === 0) return [];
  const judged = new Map<string, Judged>();
  for (const cluster of model.clusters) {
    for (const { firewall } of egressFirewallsOf(model, cluster)) {
      const reference = firewall.firewallPolicy;
      if (!reference.known) continue;
      const policy = policyRules(model, reference.value);
      if (!policy || !policy.complete || policy.groups.length === 0) continue;
      const ranges = nodeRanges(model, cluster);
      const fqdnTag = (required: string) => allowedBy(policy.rules, ranges, ({ rule }) => allowsFqdn(rule, required, REQUIRED.fqdnTag));
      const missingFqdns = REQUIRED.fqdns.filter((fqdn) => fqdnTag(fqdn) === 'no');
      // A private cluster's nodes reach the API server through its private endpoint: the tunnel and API server rules are not needed.
      const isPrivate = cluster.apiServerAccess?.enablePrivateCluster.known === true && cluster.apiServerAccess.enablePrivateCluster.value;
      const missingNetwork = REQUIRED.networkRules.filter(
        (need) => (!isPrivate || need.privateClusters) && allowedBy(policy.rules, ranges, ({ rule }) => networkRuleAllowsPort(rule, need.protocol, need.port)) === 'no',
      );
      const key = `${firewall.source.uri}#${firewall.source.start}|${reference.value}`;
      const entry = judged.get(key) ?? { firewall, policy, at: reference.source, clusters: [], missingFqdns: [], missingNetwork: [] };
      entry.clusters.push(cluster);
      // Several clusters behind one firewall: what none of them is allowed (a rule for one cluster's nodes serves that one).
      entry.missingFqdns = entry.clusters.length === 1 ? missingFqdns : entry.missingFqdns!.filter((f) => missingFqdns.includes(f));
      entry.missingNetwork = entry.clusters.length === 1 ? missingNetwork : entry.missingNetwork!.filter((n) => missingNetwork.includes(n));
      judged.set(key, entry);
    }
  }
  return [...judged.values()];
}

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  for (const { firewall, policy, at, clusters, missingFqdns, missingNetwork } of aksEgressJudgements(model)) {
    const names = clusters.map((c) => c.name).join(', ');
    const policyName = policy.policies[0]!.name;
    const inherited = policy.policies.length > 1 ? ` (with its base ${policy.policies.slice(1).map((p) => p.name).join(', ')})` : '';
    const related = [
      ...policy.policies.map((p) => ({ message: `firewall policy ${p.name}`, source: p.source })),
      ...policy.groups.map((g) => ({ message: `rule collection group ${g.name}`, source: g.source })),
      ...clusters.map((c) => ({ message: `cluster ${c.name}`, source: c.source })),
    ];
    if (missingFqdns && missingFqdns.length > 0) {
      findings.push({
        message:
          `Firewall policy ${policyName}${inherited} of firewall ${firewall.name}, which cluster ${names} sends its egress through, has no application rule ` +
          `with the ${REQUIRED.fqdnTag} FQDN tag for the nodes, and no rule allowing HTTPS to ${missingFqdns.join(', ')}: ` +
          `nodes cannot pull images or reach the control plane, and fail to register.`,
        source: at,
        related,
      });
    }
    if (missingNetwork && missingNetwork.length > 0) {
      const list = missingNetwork.map((n) => `${n.protocol} ${n.port} (${n.what}; not needed for ${n.unless})`).join('; ');
      findings.push({
        message: `Firewall policy ${policyName}${inherited} of firewall ${firewall.name} (egress of cluster ${names}) has no network rule allowing ${list}. Add those your clusters need.`,
        source: at,
        severity: 'info',
        related,
      });
    }
  }
  return findings;
}

export const firewallMissingAksEgress = defineRule({
  id: 'firewall-missing-aks-egress',
  title: "Egress firewall's policy without the AKS required egress",
  defaultSeverity: 'warning',
  facts: [AKS_EGRESS_REQUIREMENTS],
  check,
});
