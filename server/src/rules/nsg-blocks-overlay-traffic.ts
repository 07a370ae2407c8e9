// An NSG on the node subnet of an Azure CNI Overlay cluster whose own rule denies traffic AKS needs between nodes and
// pods: node to node, node to pod, pod to pod, on any port. Overlay does not encapsulate pod traffic, so the subnet's
// NSG sees pod addresses; the AKS document asks for these three on all ports and protocols. Judged on TCP and UDP, for
// the node subnets' known prefixes and the cluster's written pod CIDRs, in both directions of the subnet's NSG, where
// every member of the VirtualNetwork tag seen from the subnet is known; only a rule of the workspace that certainly
// denies a flow is reported (a default rule, or an answer a rule the model could not read could change, is not).
import { type Cidr, formatCidr } from '../cidr/cidr';
import { networkModeOf } from '../capacity/networkMode';
import { OVERLAY_NSG_CLUSTER_TRAFFIC } from '../facts';
import type { NetworkModel, Subnet } from '../model/network';
import { knownValues } from '../model/source';
import { nodeSubnetsOf, securityGroupsOf } from '../model/topology';
import { compileGroup, type DecidingRule, type Direction, evaluateRegion } from '../network/nsg';
import { sourceEdges, sourcePieces, tagContextOf } from './networkAround';
import { defineRule, type Reported } from './rule';

const PROTOCOLS = ['Tcp', 'Udp'] as const;
const ALL_PORTS = { lo: 0, hi: 65535 };
/** Port intervals as text, merged: `22, 8000-8999`. */
function portsText(intervals: { lo: number; hi: number }[]): string {
  const sorted = [...intervals].sort((a, b) => a.lo - b.lo);
  const merged: { lo: number; hi: number }[] = [];
  for (const piece of sorted) {
    const last = merged[merged.length - 1];
    if (last && piece.lo <= last.hi + 1) last.hi = Math.max(last.hi, piece.hi);
    else merged.push({ ...piece });
  }
  return merged.map((p) => (p.lo === ALL_PORTS.lo && p.hi === ALL_PORTS.hi ? 'all ports' : p.lo === p.hi ? `${p.lo}` : `${p.lo}-${p.hi}`)).join(', ');
}

interface Denial {
  readonly rule: DecidingRule;
  readonly group: string;
  readonly subnet: Subnet;
  readonly why: string;
  readonly direction: Direction;
  readonly from: string;
  readonly to: string;
  readonly ports: Map<string, { lo: number; hi: number }[]>;
}

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const seen = new Set<string>();
  for (const cluster of model.clusters) {
    if (networkModeOf(model, cluster) !== 'overlay') continue;
    const pods = knownValues(cluster.podCidrs).map((v) => v.value).filter((c) => c.family === 4);
    const nodeSubnets = nodeSubnetsOf(model, cluster);
    const nodes = nodeSubnets.flatMap((subnet) => knownValues(subnet.prefixes).map((v) => v.value)).filter((c) => c.family === 4);
    if (pods.length === 0 || nodes.length === 0) continue;
    const named = (kind: 'node' | 'pod') => (kind === 'node' ? nodes : pods);
    const label = (blocks: readonly Cidr[]) => blocks.map(formatCidr).join(', ');
    for (const subnet of nodeSubnets) {
      const groups = securityGroupsOf(model, subnet);
      const own = knownValues(subnet.prefixes).map((v) => v.value).filter((c) => c.family === 4);
      if (groups.length === 0 || own.length === 0) continue;
      const compiled = compileGroup(groups);
      const context = tagContextOf(model, subnet);
      // Which of the cluster's addresses the VirtualNetwork and Internet tags hold is not known with some members not known.
      if (!context.virtualNetworkComplete) continue;
      const edges = sourceEdges(groups, context);
      const denials = new Map<string, Denial>();
      for (const requirement of OVERLAY_NSG_CLUSTER_TRAFFIC.value) {
        // Inbound, the subnet receives it (its own nodes, or the pods on them); outbound, the subnet sends it.
        const sides: { direction: Direction; sources: readonly Cidr[]; destinations: readonly Cidr[] }[] = [
          { direction: 'Inbound', sources: named(requirement.from), destinations: requirement.to === 'node' ? own : pods },
          { direction: 'Outbound', sources: requirement.from === 'node' ? own : pods, destinations: named(requirement.to) },
        ];
        for (const side of sides) {
          for (const protocol of PROTOCOLS) {
            for (const source of sourcePieces(side.sources, edges)) {
              const results = evaluateRegion(compiled, { direction: side.direction, protocol, source, destinations: side.destinations, ports: ALL_PORTS }, context);
              const starts = [...new Set(results.map((r) => r.flow.destinationPort))].sort((a, b) => a - b);
              for (const { flow, verdict } of results) {
                if (!verdict.known || verdict.access !== 'Deny' || verdict.rule.isDefault || !verdict.rule.source) continue;
                const key = `${verdict.rule.source.uri}:${verdict.rule.source.start}|${requirement.why}|${side.direction}`;
                const denial =
                  denials.get(key) ??
                  ({
                    rule: verdict.rule,
                    group: groups[0]!.name,
                    subnet,
                    why: requirement.why,
                    direction: side.direction,
                    from: label(side.sources),
                    to: label(side.destinations),
                    ports: new Map(),
                  } satisfies Denial);
                denials.set(key, denial);
                const next = starts.find((start) => start > flow.destinationPort);
                const pieces = denial.ports.get(protocol) ?? [];
                pieces.push({ lo: flow.destinationPort, hi: next === undefined ? ALL_PORTS.hi : next - 1 });
                denial.ports.set(protocol, pieces);
              }
            }
          }
        }
      }
      // One finding per rule: every requirement and direction it denies.
      const byRule = new Map<string, Denial[]>();
      for (const denial of denials.values()) {
        const key = `${denial.rule.source!.uri}:${denial.rule.source!.start}`;
        byRule.set(key, [...(byRule.get(key) ?? []), denial]);
      }
      for (const [ruleKey, list] of byRule) {
        const key = `${ruleKey}|${subnet.name}|${subnet.vnetKey}|${cluster.key}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { rule, group } = list[0]!;
        const parts = list.map((denial) => {
          const ports = [...denial.ports].map(([protocol, pieces]) => `${protocol.toUpperCase()} ${portsText(pieces)}`).join('; ');
          return `${denial.direction.toLowerCase()} ${denial.why} (${denial.from} to ${denial.to}: ${ports})`;
        });
        findings.push({
          message:
            `Security rule ${rule.name} (priority ${rule.priority}) of NSG ${group} on node subnet ${subnet.name} of cluster ${cluster.name} denies ${parts.join(', and ')}. ` +
            `With Azure CNI Overlay the subnet's NSG applies to pod traffic, and AKS needs node-to-node, node-to-pod and pod-to-pod traffic allowed on all ` +
            `ports and protocols: allow it at a higher priority.`,
          source: rule.source!,
          related: [
            { message: `node subnet ${subnet.name}`, source: subnet.source },
            { message: `cluster ${cluster.name}`, source: cluster.source },
          ],
        });
      }
    }
  }
  return findings;
}

export const nsgBlocksOverlayTraffic = defineRule({
  id: 'nsg-blocks-overlay-traffic',
  title: 'NSG on an overlay cluster\'s node subnet denies node or pod traffic AKS needs',
  defaultSeverity: 'warning',
  facts: [OVERLAY_NSG_CLUSTER_TRAFFIC],
  check,
});
