// An Application Gateway's subnet that holds something else: an AKS node or pod subnet, the API server's subnet, a
// private endpoint, an Application Gateway for Containers association, a firewall, an internal load balancer's frontend
// (a Service's azure-load-balancer-internal-subnet), or an Application Gateway of the other generation (v1 beside v2).
// Azure refuses to put any other resource in an Application Gateway subnet. Judged only for references that resolve to
// one subnet of the workspace; a SKU that is not known is no generation.
import { APPLICATION_GATEWAY_DEDICATED_SUBNET } from '../facts';
import type { ApplicationGateway, NetworkModel, Subnet, SubnetReference } from '../model/network';
import { ANNOTATIONS, annotation, isInternal, isLoadBalancer, loadBalancerSubnet, theCluster } from '../model/queries';
import type { Source } from '../model/source';
import { resolveSubnet } from '../model/topology';
import { defineRule, type Reported } from './rule';

const DEDICATED = APPLICATION_GATEWAY_DEDICATED_SUBNET.value;

/** v1 or v2 from the SKU name; undefined when the name is not known or not one the fact lists. */
function generation(gateway: ApplicationGateway): 'v1' | 'v2' | undefined {
  if (!gateway.skuName.known) return undefined;
  const name = gateway.skuName.value.toLowerCase();
  if (DEDICATED.v1Skus.some((sku) => sku.toLowerCase() === name)) return 'v1';
  if (DEDICATED.v2Skus.some((sku) => sku.toLowerCase() === name)) return 'v2';
  return undefined;
}

/** Something else in a subnet: what it is, and where the file puts it there. */
interface Occupant {
  readonly what: string;
  readonly at: Source;
  /** Where the occupant is declared (Terraform's references point at the subnet they name, not at the occupant). */
  readonly declared: Source;
  readonly subnet: Subnet;
}

/** Every resource of the workspace whose subnet reference resolves: node and pod subnets, API server, endpoints, AGC, firewalls, ILBs. */
function occupants(model: NetworkModel): Occupant[] {
  const found: Occupant[] = [];
  const add = (what: string, reference: SubnetReference | undefined, declared: Source) => {
    const subnet = reference && resolveSubnet(model, reference);
    if (subnet) found.push({ what, at: reference!.source, declared, subnet });
  };
  for (const pool of model.nodePools) {
    const owner = pool.clusterName ? ` of cluster ${pool.clusterName}` : '';
    add(`the nodes of pool ${pool.name}${owner}`, pool.nodeSubnet, pool.source);
    add(`the pods of pool ${pool.name}${owner}`, pool.podSubnet, pool.source);
  }
  for (const cluster of model.clusters) {
    add(`the nodes of cluster ${cluster.name}`, cluster.defaultNodeSubnet, cluster.source);
    add(`the API server of cluster ${cluster.name} (VNet integration)`, cluster.apiServerAccess?.subnet, cluster.source);
  }
  for (const endpoint of model.privateEndpoints) add(`private endpoint ${endpoint.name}`, endpoint.subnet, endpoint.source);
  for (const service of model.privateLinkServices) for (const reference of service.subnets) add(`the NAT IPs of Private Link service ${service.name}`, reference, service.source);
  for (const association of model.trafficControllerAssociations) add(`Application Gateway for Containers ${association.controller}`, association.subnet, association.source);
  for (const firewall of model.firewalls) for (const reference of firewall.subnets) add(`firewall ${firewall.name}`, reference, firewall.source);
  for (const cluster of theCluster(model)) {
    for (const service of model.services) {
      const named = annotation(service, ANNOTATIONS.internalSubnet);
      if (!named || !isLoadBalancer(service) || !isInternal(service)) continue;
      const subnet = loadBalancerSubnet(model, cluster, service);
      if (subnet) found.push({ what: `the internal load balancer frontend of Service ${service.name}`, at: named.source, declared: service.source, subnet });
    }
  }
  return found;
}

function check(model: NetworkModel): Reported[] {
  if (model.applicationGateways.length === 0) return [];
  // The gateways of each subnet, with where each puts itself there.
  const gateways = new Map<Subnet, { gateway: ApplicationGateway; at: Source }[]>();
  for (const gateway of model.applicationGateways) {
    for (const reference of gateway.subnets) {
      const subnet = resolveSubnet(model, reference);
      if (!subnet) continue;
      const list = gateways.get(subnet) ?? [];
      if (!list.some((entry) => entry.gateway === gateway)) list.push({ gateway, at: reference.source });
      gateways.set(subnet, list);
    }
  }
  const findings: Reported[] = [];
  const seen = new Set<string>();
  const report = (subnet: Subnet, what: string, at: Source, declared: Source, against: { gateway: ApplicationGateway; at: Source }[], why: string) => {
    const key = `${at.uri}#${at.start}:${at.end}|${what}`;
    if (seen.has(key)) return;
    seen.add(key);
    const names = against.map((entry) => entry.gateway.name).join(', ');
    findings.push({
      message: `Subnet ${subnet.name} holds Application Gateway ${names}${why}, and also ${what}: an Application Gateway needs a subnet of its own (only other Application Gateways of the same generation may share it). Move one of them to another subnet.`,
      source: at,
      related: [...against.map((entry) => ({ message: `Application Gateway ${entry.gateway.name}`, source: entry.at })), { message: what, source: declared }],
    });
  };
  for (const occupant of occupants(model)) {
    const against = gateways.get(occupant.subnet);
    if (against) report(occupant.subnet, occupant.what, occupant.at, occupant.declared, against, '');
  }
  // v1 beside v2: the later gateway of a generation the first ones do not share is reported.
  for (const [subnet, entries] of gateways) {
    for (const [index, entry] of entries.entries()) {
      const mine = generation(entry.gateway);
      const others = entries.slice(0, index).filter((other) => {
        const theirs = generation(other.gateway);
        return mine !== undefined && theirs !== undefined && theirs !== mine;
      });
      if (others.length > 0) report(subnet, `Application Gateway ${entry.gateway.name} (${mine})`, entry.at, entry.gateway.source, others, ` (${mine === 'v1' ? 'v2' : 'v1'})`);
    }
  }
  return findings;
}

export const appgwSubnetShared = defineRule({
  id: 'appgw-subnet-shared',
  title: 'Application Gateway subnet shared with other resources',
  defaultSeverity: 'error',
  facts: [APPLICATION_GATEWAY_DEDICATED_SUBNET],
  check,
});
