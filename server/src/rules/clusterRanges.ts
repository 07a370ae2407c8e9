// A cluster's own ranges: pod, service, node subnets and VNet must not collide, and must avoid reserved space.
import { type Cidr, cidr, containsCidr, containsIp, formatCidr, formatIp, overlaps, sameCidr, totalAddresses } from '../cidr/cidr';
import { aksDefaultRanges, type DefaultRange } from '../capacity/defaultRanges';
import {
  AKS_DEFAULT_RANGES,
  AKS_POD_CIDR_NO_OVERLAP,
  AKS_RESERVED_RANGES,
  AKS_SERVICE_CIDR_MIN_PREFIX_V4,
  AKS_SERVICE_CIDR_MIN_PREFIX_V6,
  AKS_SERVICE_CIDR_NO_OVERLAP,
  AZURE_VNET_FORBIDDEN_RANGES,
  type Fact,
} from '../facts';
import type { Cluster, NetworkModel, VirtualNetwork } from '../model/network';
import { type Known, knownValues, type Source } from '../model/source';
import { subnetPrefixes, subnetsOfVnet, vnetOf, vnetsOf } from '../model/topology';
import { freeBlock, PRIVATE_SPACES, usedRanges } from '../planner/freeSpace';
import { replaceWith } from './fixes';
import type { Finding, Fix, Rule } from './rule';

/** The pod or service ranges of a cluster, with what to call them in messages. */
/** A label inside a sentence: "Service CIDR" becomes "service CIDR". */
const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

function clusterRanges(cluster: Cluster): { label: string; range: Known<Cidr> }[] {
  return [
    ...knownValues(cluster.serviceCidrs).map((range) => ({ label: 'Service CIDR', range })),
    ...knownValues(cluster.podCidrs).map((range) => ({ label: 'Pod CIDR', range })),
  ];
}

/** Replaces a cluster range; a DNS service IP inside a moved service range moves along, at the same offset. */
function rangeFix(cluster: Cluster, range: Known<Cidr>, block: Cidr, title: string): Fix {
  const fix = replaceWith(title, range.source, formatCidr(block));
  const dns = cluster.dnsServiceIp;
  if (!dns.known || !containsIp(range.value, dns.value)) return fix;
  const offset = dns.value.value - range.value.network;
  // Same offset when it fits the new block (a smaller one may not hold it); else the conventional .10.
  const moved = formatIp({ family: 4, value: block.network + (offset < totalAddresses(block) ? offset : 10n) });
  return { title: `${title}, and the DNS service IP to ${moved}`, edits: [...fix.edits, ...replaceWith('', dns.source, moved).edits] };
}

/** A fix that moves a cluster range (pod or service CIDR) to a free block of the same size. */
function moveRangeFix(model: NetworkModel, cluster: Cluster, range: Known<Cidr>, label: string): Fix[] {
  if (range.value.family !== 4) return [];
  const block = freeBlock(range.value.prefix, PRIVATE_SPACES, usedRanges(model, range.value));
  return block ? [rangeFix(cluster, range, block, `Move the ${label} to ${formatCidr(block)}, which nothing in the workspace uses`)] : [];
}

/** True when every subnet of the VNet has known prefixes: only then can "no subnet uses it yet" be said. */
function allSubnetsKnown(model: NetworkModel, vnet: VirtualNetwork): boolean {
  return subnetsOfVnet(model, vnet).every((subnet) => subnet.prefixes.length > 0 && subnet.prefixes.every((prefix) => prefix.known));
}

export const addressRangeOverlap: Rule = {
  id: 'address-range-overlap',
  title: "A cluster's pod, service, node and VNet ranges overlap",
  defaultSeverity: 'error',
  facts: [AKS_SERVICE_CIDR_NO_OVERLAP, AKS_POD_CIDR_NO_OVERLAP, AKS_DEFAULT_RANGES],
  check: (model) => model.clusters.flatMap((cluster) => [...clusterOverlaps(model, cluster), ...defaultRangeOverlaps(model, cluster)]),
};

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
  const dns = range.kind === 'service' ? ` and dnsServiceIP to ${formatIp({ family: 4, value: block.network + 10n })}` : '';
  return `Set ${field} to a range nothing else uses, for example ${formatCidr(block)}${dns}.`;
}

/**
 * Where a cluster leaves its service or pod CIDR out, AKS's default range must not collide with the cluster's subnets
 * (error: the deployment fails), its VNet's free space (warning, as for a written range) or its other range. The
 * finding sits on what is written: the subnet prefix, the address space entry, the other range.
 */
function defaultRangeOverlaps(model: NetworkModel, cluster: Cluster): Finding[] {
  const defaults = aksDefaultRanges(model, cluster);
  if (defaults.length === 0) return [];
  const findings: Finding[] = [];
  const report = (severity: Finding['severity'], message: string, at: Source, fixes: Fix[] = []) =>
    findings.push({ rule: 'address-range-overlap', severity, message, source: at, related: [{ message: `cluster ${cluster.name}`, source: cluster.source }], ...(fixes.length > 0 ? { fixes } : {}) });
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
    const others = range.kind === 'service' ? knownValues(cluster.podCidrs).map((r) => ({ label: 'Pod CIDR', r })) : knownValues(cluster.serviceCidrs).map((r) => ({ label: 'Service CIDR', r }));
    for (const { label, r } of others.filter(({ r }) => overlaps(r.value, range.range))) {
      report(
        'error',
        `${label} ${formatCidr(r.value)} overlaps ${defaultPhrase(cluster, range)}: a service IP and a pod IP could be the same address.`,
        r.source,
        moveRangeFix(model, cluster, r, inSentence(label)),
      );
    }
  }
  return findings;
}

function clusterOverlaps(model: NetworkModel, cluster: Cluster): Finding[] {
  const findings: Finding[] = [];
  const report = (severity: Finding['severity'], message: string, range: Known<Cidr>, other: Source, otherLabel: string, label: string) =>
    findings.push({
      rule: 'address-range-overlap',
      severity,
      message,
      source: range.source,
      related: [{ message: otherLabel, source: other }],
      fixes: moveRangeFix(model, cluster, range, label),
    });

  const services = knownValues(cluster.serviceCidrs);
  const pods = knownValues(cluster.podCidrs);
  for (const service of services) {
    for (const pod of pods.filter((p) => overlaps(p.value, service.value))) {
      report(
        'error',
        `Service CIDR ${formatCidr(service.value)} overlaps pod CIDR ${formatCidr(pod.value)} of cluster ${cluster.name}: a service IP and a pod IP could be the same address.`,
        service,
        pod.source,
        'pod CIDR',
        'service CIDR',
      );
    }
  }
  const vnets = vnetsOf(model, cluster);
  const subnets = subnetPrefixes(vnets.flatMap((vnet) => subnetsOfVnet(model, vnet)));
  for (const { label, range } of clusterRanges(cluster)) {
    const hitSubnets = subnets.filter(({ prefix }) => overlaps(prefix.value, range.value));
    for (const { subnet, prefix } of hitSubnets) {
      report(
        'error',
        `${label} ${formatCidr(range.value)} overlaps subnet ${subnet.name} (${formatCidr(prefix.value)}) in the virtual network of cluster ${cluster.name}: traffic to those addresses would be routed inside the cluster.`,
        range,
        prefix.source,
        `subnet ${subnet.name}`,
        inSentence(label),
      );
    }
    if (hitSubnets.length > 0) continue;
    for (const vnet of vnets.filter((v) => allSubnetsKnown(model, v))) {
      for (const space of knownValues(vnet.addressSpace).filter((s) => overlaps(s.value, range.value))) {
        report(
          'warning',
          `${label} ${formatCidr(range.value)} overlaps the address space of virtual network ${vnet.name} (${formatCidr(space.value)}) used by cluster ${cluster.name}. No subnet uses it yet, but a subnet added there later would collide; AKS advises a range outside the VNet.`,
          range,
          space.source,
          `address space of ${vnet.name}`,
          inSentence(label),
        );
      }
    }
  }
  return findings;
}

interface ForbiddenList {
  fact: Fact<readonly { cidr: string; why: string }[]>;
  ranges: { range: Cidr; why: string }[];
  owner: string;
}

const azureForbidden: ForbiddenList = {
  fact: AZURE_VNET_FORBIDDEN_RANGES,
  ranges: AZURE_VNET_FORBIDDEN_RANGES.value.map((r) => ({ range: cidr(r.cidr), why: r.why })),
  owner: 'Azure does not allow it in a virtual network',
};
const aksReserved: ForbiddenList = {
  fact: AKS_RESERVED_RANGES,
  ranges: AKS_RESERVED_RANGES.value.map((r) => ({ range: cidr(r.cidr), why: r.why })),
  owner: 'AKS does not allow it for pod, service or cluster VNet ranges',
};

export const reservedRange: Rule = {
  id: 'reserved-range',
  title: 'Range overlaps addresses that Azure or AKS reserve',
  defaultSeverity: 'error',
  facts: [AZURE_VNET_FORBIDDEN_RANGES, AKS_RESERVED_RANGES],
  check: (model) => {
    const findings = new Map<string, Finding>();
    const check = (label: string, range: Known<Cidr>, list: ForbiddenList, fixes: Fix[] = []) => {
      const hits = list.ranges.filter((f) => overlaps(f.range, range.value));
      // One finding per written range, even when it breaks both lists.
      const key = `${range.source.uri}:${range.source.start}`;
      if (hits.length === 0 || findings.has(key)) return;
      const relation =
        hits.length > 1 ? 'overlaps' : sameCidr(hits[0]!.range, range.value) ? 'is' : containsCidr(hits[0]!.range, range.value) ? 'lies inside' : 'overlaps';
      const named = hits.map((f) => `${formatCidr(f.range)} (${f.why})`).join(' and ');
      findings.set(key, {
        rule: 'reserved-range',
        severity: 'error',
        message: `${label} ${formatCidr(range.value)} ${relation} ${named}; ${list.owner}.`,
        source: range.source,
        ...(fixes.length > 0 ? { fixes } : {}),
      });
    };
    for (const vnet of model.vnets) {
      for (const space of knownValues(vnet.addressSpace)) check(`Address space of ${vnet.name}`, space, azureForbidden);
    }
    for (const { subnet, prefix } of subnetPrefixes(model.subnets.filter((s) => !vnetOf(model, s)))) {
      check(`Subnet ${subnet.name}`, prefix, azureForbidden);
    }
    for (const cluster of model.clusters) {
      for (const { label, range } of clusterRanges(cluster)) {
        if (aksReserved.ranges.some((f) => overlaps(f.range, range.value))) check(label, range, aksReserved, moveRangeFix(model, cluster, range, inSentence(label)));
      }
      for (const vnet of vnetsOf(model, cluster)) {
        for (const space of knownValues(vnet.addressSpace)) check(`Address space of ${vnet.name}`, space, aksReserved);
      }
    }
    return [...findings.values()];
  },
};

/** A /16 (IPv4) for a too-large service range: its own first /16 when that is free, else any free /16. */
function serviceCidrFix(model: NetworkModel, cluster: Cluster, range: Known<Cidr>): Fix[] {
  if (range.value.family !== 4) return [];
  const used = usedRanges(model, range.value);
  const own: Cidr = { family: 4, network: range.value.network, prefix: 16 };
  const block = used.some((u) => overlaps(u, own)) ? freeBlock(16, PRIVATE_SPACES, used) : own;
  return block ? [rangeFix(cluster, range, block, `Use ${formatCidr(block)} (65,536 service addresses)`)] : [];
}

export const serviceCidrTooLarge: Rule = {
  id: 'service-cidr-too-large',
  title: 'Service CIDR larger than AKS accepts',
  defaultSeverity: 'error',
  facts: [AKS_SERVICE_CIDR_MIN_PREFIX_V4, AKS_SERVICE_CIDR_MIN_PREFIX_V6],
  check: (model) =>
    model.clusters.flatMap((cluster) =>
      knownValues(cluster.serviceCidrs).flatMap((range): Finding[] => {
        const { family, prefix } = range.value;
        const text = formatCidr(range.value);
        const minimum = family === 4 ? AKS_SERVICE_CIDR_MIN_PREFIX_V4.value : AKS_SERVICE_CIDR_MIN_PREFIX_V6.value;
        if (family === 4 && prefix === minimum) {
          return [
            {
              rule: 'service-cidr-too-large',
              severity: 'warning',
              message: `Service CIDR ${text} is a /12: AKS documents that the service range must be smaller than a /12, and whether exactly /12 is accepted is not confirmed. Use /13 or smaller (for example /16).`,
              source: range.source,
              fixes: serviceCidrFix(model, cluster, range),
            },
          ];
        }
        if (prefix >= minimum) return [];
        return [
          {
            fixes: serviceCidrFix(model, cluster, range),
            rule: 'service-cidr-too-large',
            severity: 'error',
            message:
              family === 4
                ? `Service CIDR ${text} is too large: AKS requires the IPv4 service range to be smaller than a /12. Use /13 or smaller (for example /16).`
                : `IPv6 service CIDR ${text} is too large: AKS accepts at most a /${minimum}.`,
            source: range.source,
          },
        ];
      }),
    ),
};
