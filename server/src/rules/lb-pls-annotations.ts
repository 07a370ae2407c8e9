// The annotations of a LoadBalancer Service that creates a Private Link Service (`azure-pls-create: "true"`), against
// what AKS documents: the Service must be internal; `azure-pls-ip-configuration-ip-address-count` is an integer from 1
// to 8; `azure-pls-ip-configuration-ip-address` lists IPv4 addresses, no more than the count (1 when left out), inside
// the PLS subnet where its prefix is known; with `externalTrafficPolicy: Local` the PLS subnet is not the pod subnet.
// Those are errors. `azure-pls-auto-approval` subscriptions not in `azure-pls-visibility` (unless it is `*`) are a
// warning: the docs require a subset, users report auto-approval working only with `*`. What depends on the cluster
// (the PLS subnet, the pod subnets) is judged only for the workspace's one cluster; a value not known is never judged.
import { containsIp, formatCidr, parseIp } from '../cidr/cidr';
import { networkModeOf } from '../capacity/networkMode';
import { PRIVATE_LINK_SERVICE_ANNOTATIONS, PRIVATE_LINK_SERVICE_AUTO_APPROVAL, PRIVATE_LINK_SERVICE_SUBNET } from '../facts';
import type { Cluster, KubernetesService, NetworkModel, Subnet } from '../model/network';
import { ANNOTATIONS, annotation, isLoadBalancer, privateLinkServiceSubnet, theCluster } from '../model/queries';
import type { Known } from '../model/source';
import { poolsOf, resolveSubnet } from '../model/topology';
import { onlyPrefix } from './networkAround';
import { defineRule, type Reported } from './rule';

const PLS = PRIVATE_LINK_SERVICE_ANNOTATIONS.value;
const CREATE = PRIVATE_LINK_SERVICE_SUBNET.value.create;

/** A space-separated annotation's entries. */
const entries = (value: Known<string>) => value.value.split(/\s+/).filter((entry) => entry !== '');

/** The count of NAT IPs: the annotation when it is a valid count, the default when it is left out; else undefined. */
function ipCount(service: KubernetesService, findings: Reported[]): number | undefined {
  const written = service.annotations.get(PLS.ipAddressCount);
  if (!written) return PLS.count.default;
  if (!written.known) return undefined;
  const text = written.value.trim();
  const count = /^\d+$/.test(text) ? Number(text) : undefined;
  if (count !== undefined && count >= PLS.count.min && count <= PLS.count.max) return count;
  findings.push({
    message: `${PLS.ipAddressCount} is "${written.value}", but a Private Link Service takes ${PLS.count.min} to ${PLS.count.max} NAT IPs: write an integer from ${PLS.count.min} to ${PLS.count.max}.`,
    source: written.source,
  });
  return undefined;
}

/** The IPv4 NAT addresses written, after reporting entries that are not IPv4 and more entries than the count. */
function ipAddresses(service: KubernetesService, count: number | undefined, findings: Reported[]) {
  const written = annotation(service, PLS.ipAddresses);
  if (!written) return undefined;
  const parsed = entries(written).map((text) => ({ text, parse: parseIp(text) }));
  const notIpv4 = parsed.filter(({ parse }) => !parse.ok || parse.ip.family !== 4).map(({ text }) => text);
  if (notIpv4.length > 0) {
    findings.push({
      message: `${PLS.ipAddresses} lists ${notIpv4.map((t) => `"${t}"`).join(', ')}, which ${notIpv4.length === 1 ? 'is not an IPv4 address' : 'are not IPv4 addresses'}: a Private Link Service takes IPv4 NAT addresses only, separated by spaces.`,
      source: written.source,
    });
  }
  if (count !== undefined && parsed.length > count) {
    findings.push({
      message: `${PLS.ipAddresses} lists ${parsed.length} addresses, more than the ${count} NAT IP${count === 1 ? '' : 's'} ${service.annotations.has(PLS.ipAddressCount) ? `${PLS.ipAddressCount} asks for` : `of the default (${PLS.ipAddressCount} left out)`}: raise the count or list fewer addresses.`,
      source: written.source,
    });
  }
  return { written, ips: parsed.flatMap(({ text, parse }) => (parse.ok && parse.ip.family === 4 ? [{ text, ip: parse.ip }] : [])) };
}

/** Auto-approved subscriptions that the visibility list leaves out (none when visibility is `*` or not known). */
function autoApprovalOutsideVisibility(service: KubernetesService): Reported | undefined {
  const approval = annotation(service, PLS.autoApproval);
  const visibility = service.annotations.get(PLS.visibility);
  if (!approval || (visibility && !visibility.known)) return undefined;
  const visible = visibility?.known ? entries(visibility).map((e) => e.toLowerCase()) : [];
  if (visible.includes(PLS.anyone)) return undefined;
  const outside = entries(approval).filter((entry) => !visible.includes(entry.toLowerCase()));
  if (outside.length === 0) return undefined;
  return {
    message:
      `${PLS.autoApproval} lists ${outside.join(', ')}, not in ${PLS.visibility} (${visibility ? `"${visibility.value}"` : 'left out'}): the AKS docs say the auto-approval list must be a subset of the visibility list, ` +
      `and users report (cloud-provider-azure #1859) auto-approval taking effect only with visibility "${PLS.anyone}". Add the subscriptions to the visibility list.`,
    source: approval.source,
    severity: 'warning',
  };
}

/** The pod subnets of a cluster whose pods take their IPs from a subnet of their own (Azure CNI with a pod subnet). */
function podSubnetsOf(model: NetworkModel, cluster: Cluster): Subnet[] {
  if (networkModeOf(model, cluster) !== 'azure-cni-pod-subnet') return [];
  return poolsOf(model, cluster).flatMap((pool) => (pool.podSubnet ? [resolveSubnet(model, pool.podSubnet)] : [])).filter((s): s is Subnet => s !== undefined);
}

/** What depends on the cluster: NAT IPs outside the PLS subnet, and the PLS subnet being the pod subnet under Local. */
function againstCluster(model: NetworkModel, cluster: Cluster, service: KubernetesService, addresses: ReturnType<typeof ipAddresses>): Reported[] {
  const subnet = privateLinkServiceSubnet(model, cluster, service);
  if (!subnet) return [];
  const findings: Reported[] = [];
  const prefix = onlyPrefix(subnet);
  const outside = prefix && addresses ? addresses.ips.filter(({ ip }) => !containsIp(prefix.value, ip)) : [];
  if (prefix && addresses && outside.length > 0) {
    findings.push({
      message: `${PLS.ipAddresses} lists ${outside.map((o) => o.text).join(', ')}, outside the Private Link Service's subnet ${subnet.name} (${formatCidr(prefix.value)}), where its NAT IPs are allocated.`,
      source: addresses.written.source,
      related: [{ message: `subnet ${subnet.name}`, source: prefix.source }],
    });
  }
  const policy = service.externalTrafficPolicy;
  if (policy.known && policy.value === PLS.localTrafficPolicy && podSubnetsOf(model, cluster).includes(subnet)) {
    findings.push({
      message: `Service ${service.name} has externalTrafficPolicy ${PLS.localTrafficPolicy}, and its Private Link Service takes its NAT IPs from subnet ${subnet.name}, which is the cluster's pod subnet: with ${PLS.localTrafficPolicy}, the Private Link Service subnet must be another subnet (${PRIVATE_LINK_SERVICE_SUBNET.value.subnet}).`,
      source: policy.source,
      related: [{ message: `pod subnet ${subnet.name}`, source: subnet.source }],
    });
  }
  return findings;
}

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const clusters = theCluster(model);
  for (const service of model.services) {
    const create = annotation(service, CREATE);
    if (!isLoadBalancer(service) || create?.value.toLowerCase() !== 'true') continue;
    const internal = service.annotations.get(ANNOTATIONS.internal);
    if (!internal || (internal.known && internal.value.toLowerCase() !== 'true')) {
      findings.push({
        message: `Service ${service.name} creates a Private Link Service, which needs an internal load balancer, but it asks for a public one: add ${ANNOTATIONS.internal}: "true".`,
        source: create.source,
      });
    }
    const count = ipCount(service, findings);
    const addresses = ipAddresses(service, count, findings);
    const approval = autoApprovalOutsideVisibility(service);
    if (approval) findings.push(approval);
    const seen = new Set<string>();
    for (const cluster of clusters) {
      for (const finding of againstCluster(model, cluster, service, addresses)) {
        const key = `${finding.source.start}|${finding.message}`;
        if (!seen.has(key)) findings.push(finding);
        seen.add(key);
      }
    }
  }
  return findings;
}

export const lbPlsAnnotations = defineRule({
  id: 'lb-pls-annotations',
  title: 'Private Link Service annotation values',
  defaultSeverity: 'error',
  facts: [PRIVATE_LINK_SERVICE_ANNOTATIONS, PRIVATE_LINK_SERVICE_AUTO_APPROVAL],
  check,
});
