// A cluster's own ranges must not collide: pod and service CIDRs with each other, with the subnets of the cluster's
// VNet (error) or its free address space (warning); where the cluster leaves a range out, AKS's default range likewise.
import { formatCidr, formatIp, overlaps } from '../cidr/cidr';
import { aksDefaultRanges, type DefaultRange } from '../capacity/defaultRanges';
import { AKS_DEFAULT_RANGES, AKS_DNS_SERVICE_IP_OFFSET, AKS_POD_CIDR_NO_OVERLAP, AKS_SERVICE_CIDR_NO_OVERLAP } from '../facts';
import type { Cluster, NetworkModel, VirtualNetwork } from '../model/network';
import { type ClusterRange, clusterRanges } from '../model/queries';
import { knownValues, type Source } from '../model/source';
import { subnetPrefixes, subnetsOfVnet, vnetsOf } from '../model/topology';
import { freeBlock, PRIVATE_SPACES, usedRanges } from '../planner/freeSpace';
import { moveRangeFix, type RangeToMove } from './clusterRangeFixes';
import { defineRule, type Reported, type Severity } from './rule';

/** A label inside a sentence: "Service CIDR" becomes "service CIDR". */
const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/** True when every subnet of the VNet has known prefixes: only then can "no subnet uses it yet" be said. */
function allSubnetsKnown(model: NetworkModel, vnet: VirtualNetwork): boolean {
  return subnetsOfVnet(model, vnet).every((subnet) => subnet.prefixes.length > 0 && subnet.prefixes.every((prefix) => prefix.known));
}

/** "10.0.0.0/16, AKS's default service CIDR for cluster aks (serviceCidr is not set)" */
function defaultPhrase(cluster: Cluster, range: DefaultRange): string {
  const field = range.kind === 'service' ? 'serviceCidr' : 'podCidr';
  return `${formatCidr(range.range)}, AKS's default ${inSentence(range.label)} for cluster ${cluster.name} (${field} is not set)`;
}

/** The advice for a default range in the way: set the field to a range nothing in the workspace uses. */
function setExplicitly(model: NetworkModel, range: DefaultRange): string {
  const block = freeBlock(range.range.prefix, PRIVATE_SPACES, usedRanges(model));
  const field = range.kind === 'service' ? 'serviceCidr' : 'podCidr';
  if (!block) return `Set ${field} to a range nothing else uses.`;
  const dns = range.kind === 'service' ? ` and dnsServiceIP to ${formatIp({ family: 4, value: block.network + AKS_DNS_SERVICE_IP_OFFSET.value })}` : '';
  return `Set ${field} to a range nothing else uses, for example ${formatCidr(block)}${dns}.`;
}

/**
 * Where a cluster leaves its service or pod CIDR out, AKS's default range must not collide with the cluster's subnets
 * (error: the deployment fails), its VNet's free space (warning, as for a written range) or its other range. The
 * finding sits on what is written: the subnet prefix, the address space entry, the other range.
 */
function defaultRangeOverlaps(model: NetworkModel, cluster: Cluster): Reported<RangeToMove>[] {
  const defaults = aksDefaultRanges(model, cluster);
  if (defaults.length === 0) return [];
  const findings: Reported<RangeToMove>[] = [];
  const report = (severity: Severity, message: string, at: Source, move?: ClusterRange) =>
    findings.push({ severity, message, source: at, related: [{ message: `cluster ${cluster.name}`, source: cluster.source }], ...(move ? { subject: { cluster, range: move } } : {}) });
  const vnets = vnetsOf(model, cluster);
  const subnets = subnetPrefixes(vnets.flatMap((vnet) => subnetsOfVnet(model, vnet)));
  for (const range of defaults) {
    const hitSubnets = subnets.filter(({ prefix }) => overlaps(prefix.value, range.range));
    for (const { subnet, prefix } of hitSubnets) {
      report(
        'error',
        `Subnet ${subnet.name} (${formatCidr(prefix.value)}) overlaps ${defaultPhrase(cluster, range)}: AKS refuses to deploy a cluster whose ${inSentence(range.label)} overlaps its subnets. ${setExplicitly(model, range)}`,
        prefix.source,
      );
    }
    if (hitSubnets.length === 0) {
      for (const vnet of vnets.filter((v) => allSubnetsKnown(model, v))) {
        for (const space of knownValues(vnet.addressSpace).filter((s) => overlaps(s.value, range.range))) {
          report(
            'warning',
            `The address space of virtual network ${vnet.name} (${formatCidr(space.value)}) overlaps ${defaultPhrase(cluster, range)}. No subnet uses that part yet, but a subnet added there later would collide; AKS advises a range outside the VNet. ${setExplicitly(model, range)}`,
            space.source,
          );
        }
      }
    }
    // A written range of the other kind against the default one (a default against a default never overlaps).
    const others = clusterRanges(cluster).filter((written) => written.kind !== range.kind && overlaps(written.range.value, range.range));
    for (const other of others) {
      report(
        'error',
        `${other.label} ${formatCidr(other.range.value)} overlaps ${defaultPhrase(cluster, range)}: a service IP and a pod IP could be the same address.`,
        other.range.source,
        other,
      );
    }
  }
  return findings;
}

function clusterOverlaps(model: NetworkModel, cluster: Cluster): Reported<RangeToMove>[] {
  const findings: Reported<RangeToMove>[] = [];
  const report = (severity: Severity, message: string, range: ClusterRange, other: Source, otherLabel: string) =>
    findings.push({ severity, message, source: range.range.source, related: [{ message: otherLabel, source: other }], subject: { cluster, range } });

  const ranges = clusterRanges(cluster);
  const pods = ranges.filter((range) => range.kind === 'pod');
  for (const service of ranges.filter((range) => range.kind === 'service')) {
    for (const pod of pods.filter((p) => overlaps(p.range.value, service.range.value))) {
      report(
        'error',
        `Service CIDR ${formatCidr(service.range.value)} overlaps pod CIDR ${formatCidr(pod.range.value)} of cluster ${cluster.name}: a service IP and a pod IP could be the same address.`,
        service,
        pod.range.source,
        'pod CIDR',
      );
    }
  }
  const vnets = vnetsOf(model, cluster);
  const subnets = subnetPrefixes(vnets.flatMap((vnet) => subnetsOfVnet(model, vnet)));
  for (const clusterRange of ranges) {
    const { label, range } = clusterRange;
    const hitSubnets = subnets.filter(({ prefix }) => overlaps(prefix.value, range.value));
    for (const { subnet, prefix } of hitSubnets) {
      report(
        'error',
        `${label} ${formatCidr(range.value)} overlaps subnet ${subnet.name} (${formatCidr(prefix.value)}) in the virtual network of cluster ${cluster.name}: traffic to those addresses would be routed inside the cluster.`,
        clusterRange,
        prefix.source,
        `subnet ${subnet.name}`,
      );
    }
    if (hitSubnets.length > 0) continue;
    for (const vnet of vnets.filter((v) => allSubnetsKnown(model, v))) {
      for (const space of knownValues(vnet.addressSpace).filter((s) => overlaps(s.value, range.value))) {
        report(
          'warning',
          `${label} ${formatCidr(range.value)} overlaps the address space of virtual network ${vnet.name} (${formatCidr(space.value)}) used by cluster ${cluster.name}. No subnet uses it yet, but a subnet added there later would collide; AKS advises a range outside the VNet.`,
          clusterRange,
          space.source,
          `address space of ${vnet.name}`,
        );
      }
    }
  }
  return findings;
}

/** Subject: the written cluster range a fix moves to free space. */
export const addressRangeOverlap = defineRule<RangeToMove>({
  id: 'address-range-overlap',
  title: "A cluster's pod, service, node and VNet ranges overlap",
  defaultSeverity: 'error',
  facts: [AKS_SERVICE_CIDR_NO_OVERLAP, AKS_POD_CIDR_NO_OVERLAP, AKS_DEFAULT_RANGES],
  check: (model) => model.clusters.flatMap((cluster) => [...clusterOverlaps(model, cluster), ...defaultRangeOverlaps(model, cluster)]),
  fixes: moveRangeFix,
});
