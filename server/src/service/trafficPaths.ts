// The network map's traffic paths: how traffic reaches the workloads (public and internal load balancers,
// node ports, Ingresses through the ingress controller, Services, the workloads they select) and how it
// leaves each cluster by its outbound type (load balancer SNAT, NAT gateway, or a route table's default
// route to an appliance). Laid out left to right with ELK; every stop reveals where it is written.
import { formatCidr, formatCount, formatIp } from '../cidr/cidr';
import { automaticPortsPerNode, egressThroughLoadBalancer } from '../capacity/snatPorts';
import { clusterNodes, totals } from '../capacity/ipDemand';
import { AKS_INGRESS_CLASSES, AZURE_LOAD_BALANCER_PROBE_SOURCE, LOAD_BALANCER_SNAT, NAT_GATEWAY_SNAT } from '../facts';
import { labelSet, mapSelectorMatches } from '../flows/labels';
import { peerName } from '../flows/topology';
import type { Cluster, Firewall, KubernetesService, NetworkModel, Route } from '../model/network';
import { isNotSet, knownValues, type Source, type Value } from '../model/source';
import { nodeSubnetsOf, routeTablesOf } from '../model/topology';
import { ANNOTATIONS, annotation, isInternal, isLoadBalancer, loadBalancerSubnet, namespaceOf, onlyCluster } from '../model/queries';
import { edgeGeometry, labelWidth, layoutLeftToRight } from './elkLayout';
import type { MapPathEdge, MapPathGraph, MapPathNode, MapSource, MapTrafficPaths } from './networkMapData';
import { aksEgressJudgements } from '../rules/firewall-missing-aks-egress';
import { egressFirewallsOf } from '../rules/networkAround';
import { type HopVerdict, nodeEgressVerdict, probeVerdict, routeVerdict, serviceReaches, serviceVerdict } from './hopVerdicts';
import { AKS_EGRESS_REQUIREMENTS } from '../facts';

const optionalSource = (source: MapSource | undefined) => (source ? { source } : {});

const NODE_HEIGHT = 46;
const CHAR_WIDTH = 7;

export type Stop = Omit<MapPathNode, 'x' | 'y' | 'width' | 'height' | 'source'> & { readonly at?: Source };
export type { HopVerdict };
export type Hop = { readonly from: string; readonly to: string; readonly text: string; readonly assumed?: boolean; readonly verdict?: HopVerdict };

/** A diagram under construction: stops keyed by id (added once), hops between them. */
class Diagram {
  readonly stops = new Map<string, Stop>();
  readonly hops: Hop[] = [];
  readonly notes: string[] = [];
  private readonly hopKeys = new Set<string>();
  stop(stop: Stop): string {
    if (!this.stops.has(stop.id)) this.stops.set(stop.id, stop);
    return stop.id;
  }
  hop(from: string, to: string, text: string, assumed = false, verdict?: HopVerdict): void {
    const key = `${from}\u0000${to}\u0000${text}`;
    if (this.hopKeys.has(key)) return;
    this.hopKeys.add(key);
    this.hops.push({ from, to, text, ...(assumed ? { assumed } : {}), ...(verdict ? { verdict } : {}) });
  }
  /** A smaller diagram: stops mapped to groups (same id, one stop), hops between groups merged. */
  merged(groupOf: (stop: Stop) => Stop, note: string): Diagram {
    const result = new Diagram();
    const group = new Map<string, { stop: Stop; count: number }>();
    const mapped = new Map<string, string>();
    for (const stop of this.stops.values()) {
      const target = groupOf(stop);
      const entry = group.get(target.id) ?? { stop: target, count: 0 };
      entry.count += 1;
      group.set(target.id, entry);
      mapped.set(stop.id, target.id);
    }
    for (const { stop, count } of group.values()) {
      const { at, ...rest } = stop;
      result.stop(count === 1 && at ? stop : { ...rest, detail: count === 1 ? stop.detail : `${count} ${stop.detail}` });
    }
    // Hops between the same two groups become one, labelled with their text when they all carry the same.
    const merged = new Map<string, { from: string; to: string; text: string; assumed?: boolean; verdict?: HopVerdict; texts: Set<string> }>();
    for (const hop of this.hops) {
      const from = mapped.get(hop.from)!;
      const to = mapped.get(hop.to)!;
      if (from === to) continue;
      const key = `${from}\u0000${to}`;
      const entry = merged.get(key) ?? { from, to, text: hop.text, ...(hop.assumed ? { assumed: true } : {}), texts: new Set<string>() };
      entry.texts.add(hop.text);
      // A denied hop keeps the group's hop denied; otherwise the first verdict stands for the group.
      if (hop.verdict && (!entry.verdict || (hop.verdict.decision === 'denied' && entry.verdict.decision !== 'denied'))) entry.verdict = hop.verdict;
      merged.set(key, entry);
    }
    for (const { texts, ...hop } of merged.values()) result.hop(hop.from, hop.to, texts.size > 1 ? `${texts.size} port sets` : hop.text, hop.assumed, hop.verdict);
    result.notes.push(...this.notes.slice(0, 5), note);
    return result;
  }

  async layout(title: string, sourceOf: (source: Source | undefined) => MapSource | undefined): Promise<MapPathGraph> {
    const stops = [...this.stops.values()];
    const width = (stop: Stop) => Math.max(150, Math.max(stop.label.length, stop.detail.length * 0.86) * CHAR_WIDTH + 28);
    const laid = await layoutLeftToRight(
      stops.map((stop) => ({ id: stop.id, width: width(stop), height: NODE_HEIGHT })),
      this.hops.map((hop, i) => ({ id: `h${i}`, sources: [hop.from], targets: [hop.to], ...(hop.text ? { labels: [{ text: hop.text, width: labelWidth(hop.text), height: 16 }] } : {}) })),
    );
    const placed = new Map((laid.children ?? []).map((child) => [child.id, child]));
    const nodes: MapPathNode[] = stops.map(({ at, ...stop }) => {
      const where = placed.get(stop.id);
      const source = sourceOf(at);
      return { ...stop, x: where?.x ?? 0, y: where?.y ?? 0, width: width({ ...stop }), height: NODE_HEIGHT, ...(source ? { source } : {}) };
    });
    const edges: MapPathEdge[] = this.hops.map((hop, i) => {
      const { points, label } = edgeGeometry((laid.edges ?? [])[i]);
      const verdict = hop.verdict && { decision: hop.verdict.decision, reason: hop.verdict.reason, ...optionalSource(sourceOf(hop.verdict.at)) };
      return { id: `h${i}`, from: hop.from, to: hop.to, text: hop.text, points, ...(label ? { label } : {}), ...(hop.assumed ? { assumed: true } : {}), ...(verdict ? { verdict } : {}) };
    });
    return { title, width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges, notes: this.notes };
  }
}

/** "TCP 80, 443" from a Service's ports; "" when it has none written. */
function servicePorts(service: KubernetesService): string {
  const byProtocol = new Map<string, string[]>();
  for (const port of service.ports) {
    const protocol = port.protocol.known ? port.protocol.value.toUpperCase() : 'TCP';
    byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), port.port.known ? String(port.port.value) : '?']);
  }
  return [...byProtocol].map(([protocol, ports]) => `${protocol} ${ports.join(', ')}`).join('; ');
}

/** Services to the workloads of the workspace their selector picks, in the Service's namespace. */
function serviceToWorkloads(model: NetworkModel, diagram: Diagram, service: KubernetesService, serviceId: string): void {
  const selector = service.selector;
  if (!selector.known || service.namespaceUnknown) return;
  const namespace = namespaceOf(service);
  const targets = model.workloads.filter(
    (w) => !w.namespaceUnknown && namespaceOf(w) === namespace && mapSelectorMatches(selector.value, labelSet(w.labels)) === true,
  );
  if (targets.length === 0) diagram.notes.push(`Service ${namespace}/${service.name}: no workload of the workspace matches its selector (its pods may be deployed elsewhere).`);
  const targetPorts = [...new Set(service.ports.map((p) => (p.targetPort.known ? String(p.targetPort.value) : p.port.known ? String(p.port.value) : '?')))].join(', ');
  for (const workload of targets) {
    const peer = peerName(workload, namespace);
    const id = diagram.stop({ id: `w:${peer}`, kind: 'workload', label: peer.replace(/\[(.*)\]$/, ' [$1]'), detail: 'pods selected by the Service', at: workload.source });
    diagram.hop(serviceId, id, targetPorts ? `port ${targetPorts}` : '');
  }
}

function serviceStop(diagram: Diagram, service: KubernetesService): string {
  const type = service.type.known ? service.type.value : 'ClusterIP';
  return diagram.stop({ id: `s:${namespaceOf(service)}/${service.name}`, kind: 'service', label: `Service ${namespaceOf(service)}/${service.name}`, detail: type, at: service.source });
}

/** More stops than this are drawn per namespace instead: one stop for its Services, one for its workloads. */
export const MAX_PATH_STOPS = 120;
/** Egress diagrams drawn at most: one per cluster, the active file's first. */
export const MAX_EGRESS_DIAGRAMS = 12;

/** The group a stop is drawn in when a diagram has too many: by namespace and kind. */
function namespaceGroup(stop: Stop): Stop {
  const namespace = /^(?:s|w|i|lb:s|np:s):([^/]+)\//.exec(stop.id)?.[1];
  if (stop.kind === 'service' && namespace) return { id: `g:s:${namespace}`, kind: 'service', label: `Services of namespace ${namespace}`, detail: 'Services' };
  if (stop.kind === 'workload' && namespace) return { id: `g:w:${namespace}`, kind: 'workload', label: `workloads of namespace ${namespace}`, detail: 'workloads' };
  if (stop.kind === 'ingress' && namespace) return { id: `g:i:${namespace}`, kind: 'ingress', label: `Ingresses of namespace ${namespace}`, detail: 'Ingresses' };
  if (stop.kind === 'load-balancer') return { id: `g:lb:${stop.label}`, kind: 'load-balancer', label: `${stop.label}s`, detail: 'frontends' };
  if (stop.kind === 'node-port') return { id: 'g:np', kind: 'node-port', label: 'node ports on every node', detail: 'Services' };
  return stop;
}

/** Whether a Service or Ingress is kept by the map's filter: its namespace/name contains the text. */
const kept = (focus: string | undefined, namespace: string, name: string) => !focus || `${namespace}/${name}`.toLowerCase().includes(focus.toLowerCase());

/** Internet and VNet clients to load balancers and node ports, Ingresses through the controller, Services, workloads. */
function ingressDiagram(model: NetworkModel, focus?: string): Diagram | undefined {
  const diagram = new Diagram();
  const cluster = onlyCluster(model);
  const reaches = serviceReaches(model);
  const probes = cluster && probeVerdict(model, cluster);
  for (const service of model.services) {
    const type = service.type.known ? service.type.value : undefined;
    if (type !== 'LoadBalancer' && type !== 'NodePort') continue;
    if (!kept(focus, namespaceOf(service), service.name)) continue;
    const serviceId = serviceStop(diagram, service);
    const ports = servicePorts(service);
    if (isLoadBalancer(service)) {
      const internal = isInternal(service);
      const client = internal
        ? diagram.stop({ id: 'vnet-clients', kind: 'vnet-clients', label: 'VNet clients', detail: 'the VNet, peered and on-premises networks' })
        : diagram.stop({ id: 'internet', kind: 'internet', label: 'Internet', detail: 'public clients' });
      const ip = service.loadBalancerIp.known ? `static IP ${formatIp(service.loadBalancerIp.value)}` : 'IP assigned by Azure';
      const named = annotation(service, ANNOTATIONS.internalSubnet);
      const subnet = internal ? (named?.value ?? (cluster ? loadBalancerSubnet(model, cluster, service)?.name : undefined)) : undefined;
      const lb = diagram.stop({
        id: `lb:${serviceId}`,
        kind: 'load-balancer',
        label: internal ? 'internal load balancer' : 'public load balancer',
        detail: subnet ? `${ip} in subnet ${subnet}` : ip,
        at: service.source,
      });
      diagram.hop(client, lb, ports);
      // The node subnets' NSGs decide the hop into the nodes: the clients' flows, and the load balancer's probes.
      diagram.hop(lb, serviceId, ports, false, internal ? undefined : serviceVerdict(reaches.get(service) ?? []));
      if (probes) {
        const probe = diagram.stop({ id: 'lb-probes', kind: 'vnet-clients', label: 'Azure Load Balancer health probes', detail: `${AZURE_LOAD_BALANCER_PROBE_SOURCE.value.address} (${AZURE_LOAD_BALANCER_PROBE_SOURCE.value.serviceTag})` });
        diagram.hop(probe, serviceId, 'health probes', false, probes);
      }
    } else {
      const client = diagram.stop({ id: 'vnet-clients', kind: 'vnet-clients', label: 'VNet clients', detail: 'the VNet, peered and on-premises networks' });
      const nodePorts = knownValues(service.nodePorts).map((p) => p.value);
      const port = diagram.stop({
        id: `np:${serviceId}`,
        kind: 'node-port',
        label: 'node port on every node',
        detail: nodePorts.length > 0 ? `port ${nodePorts.join(', ')}` : 'port assigned from 30000-32767',
        at: service.source,
      });
      diagram.hop(client, port, nodePorts.join(', '));
      diagram.hop(port, serviceId, ports);
    }
    serviceToWorkloads(model, diagram, service, serviceId);
  }
  const backends = model.ingressBackends.filter(
    (b) => b.kind === 'Ingress' && !b.namespaceUnknown && (kept(focus, namespaceOf(b), b.name) || (b.serviceName.known && kept(focus, namespaceOf(b), b.serviceName.value))),
  );
  if (backends.length > 0) {
    const internet = diagram.stop({ id: 'internet', kind: 'internet', label: 'Internet', detail: 'public clients' });
    for (const backend of backends) {
      const namespace = namespaceOf(backend);
      const declared = model.ingresses.find((i) => i.name === backend.name && i.source.uri === backend.source.uri && !i.namespaceUnknown && namespaceOf(i) === namespace);
      const controllerOf = ingressController(declared?.ingressClass);
      const controller = diagram.stop({ id: `ic:${controllerOf.label}`, kind: 'ingress-controller', ...controllerOf });
      diagram.hop(internet, controller, 'HTTP(S)', true);
      const ingress = diagram.stop({ id: `i:${namespace}/${backend.name}`, kind: 'ingress', label: `Ingress ${namespace}/${backend.name}`, detail: 'host and path rules', at: declared?.source ?? backend.source });
      diagram.hop(controller, ingress, '');
      const serviceName = backend.serviceName;
      if (!serviceName.known) continue;
      const service = model.services.find((s) => s.name === serviceName.value && !s.namespaceUnknown && namespaceOf(s) === namespace);
      const port = backend.servicePort.known ? `port ${backend.servicePort.value}` : '';
      if (!service) {
        const id = diagram.stop({ id: `s:${namespace}/${serviceName.value}`, kind: 'service', label: `Service ${namespace}/${serviceName.value}`, detail: 'not in the workspace' });
        diagram.hop(ingress, id, port);
        continue;
      }
      const serviceId = serviceStop(diagram, service);
      diagram.hop(ingress, serviceId, port);
      serviceToWorkloads(model, diagram, service, serviceId);
    }
  }
  if (diagram.stops.size === 0) return undefined;
  if (focus) diagram.notes.unshift(`Filtered to the Services and Ingresses whose namespace/name contains "${focus}".`);
  if (diagram.stops.size <= MAX_PATH_STOPS) return diagram;
  const services = [...diagram.stops.values()].filter((stop) => stop.kind === 'service').length;
  return diagram.merged(namespaceGroup, `${services} exposed Services: drawn per namespace. Filter by a name to see each one.`);
}

/** The controller an Ingress class names: AKS's add-ons by their documented class names, else the class itself. */
function ingressController(ingressClass: Value<string> | undefined): { label: string; detail: string } {
  if (!ingressClass?.known) return { label: 'ingress controller', detail: 'its class is not written' };
  const name = ingressClass.value;
  if (AKS_INGRESS_CLASSES.value.applicationGateway.includes(name)) return { label: 'Application Gateway (AGIC)', detail: `class ${name}` };
  if (name === AKS_INGRESS_CLASSES.value.applicationRouting) return { label: 'application routing (NGINX)', detail: `class ${name}` };
  return { label: `ingress controller ${name}`, detail: 'behind its own load balancer' };
}

const isDefaultRoute = (route: Route) => route.addressPrefix.known && route.addressPrefix.value === '0.0.0.0/0';

/** One cluster's nodes to the Internet through its outbound type. */
function egressDiagram(model: NetworkModel, cluster: Cluster): Diagram {
  const diagram = new Diagram();
  const subnets = nodeSubnetsOf(model, cluster);
  const where = subnets.length > 0
    ? subnets.map((s) => `${s.name}${s.prefixes[0]?.known ? ` ${formatCidr(s.prefixes[0].value)}` : ''}`).join(', ')
    : 'the AKS-managed VNet';
  const pools = clusterNodes(model, cluster);
  const size = pools && totals(pools);
  const nodes = diagram.stop({
    id: 'nodes',
    kind: 'nodes',
    label: `nodes of ${cluster.name}`,
    detail: `${size ? `${formatCount(size.nodes + size.surge)} at most, ` : ''}in ${where}`,
    at: cluster.source,
  });
  const internet = () => diagram.stop({ id: 'internet', kind: 'internet', label: 'Internet', detail: 'public destinations' });
  const outbound = cluster.outboundType;
  const type = outbound.known ? outbound.value : isNotSet(outbound) ? 'loadBalancer' : undefined;
  const at = outbound.known ? outbound.source : cluster.source;
  if (type === undefined) {
    diagram.notes.push(`The outbound type of ${cluster.name} cannot be evaluated (${outbound.known ? '' : outbound.reason}).`);
  } else if (type === 'loadBalancer' && egressThroughLoadBalancer(cluster)) {
    const { allocatedOutboundPorts: ports, loadBalancerIps } = cluster.outboundIps;
    const ips = loadBalancerIps.known ? loadBalancerIps.value : isNotSet(loadBalancerIps) ? LOAD_BALANCER_SNAT.value.managedIps.default : undefined;
    const perNode = ports.known && ports.value > 0 ? ports.value : size ? automaticPortsPerNode(size.nodes + size.surge) : undefined;
    const detail = [
      ips !== undefined ? `${ips} outbound IP${ips === 1 ? '' : 's'} x ${formatCount(LOAD_BALANCER_SNAT.value.portsPerIp)} ports` : 'outbound IPs not known',
      perNode !== undefined ? `${formatCount(perNode)} per node${ports.known && ports.value > 0 ? '' : ' (automatic)'}` : '',
    ].filter(Boolean).join(', ');
    const lb = diagram.stop({ id: 'lb', kind: 'load-balancer', label: 'load balancer SNAT', detail, at });
    diagram.hop(nodes, lb, '', false, nodeEgressVerdict(model, subnets));
    diagram.hop(lb, internet(), 'SNAT');
  } else if (type === 'managedNATGateway' || type === 'userAssignedNATGateway') {
    const managed = type === 'managedNATGateway';
    const names = [...new Set(subnets.flatMap((s) => (s.natGateway.known ? [s.natGateway.value] : [])))];
    const count = cluster.outboundIps.natGatewayManagedIps;
    const ips = count.known ? count.value : NAT_GATEWAY_SNAT.value.managedIps.default;
    const detail = managed ? `${ips} managed IP${ips === 1 ? '' : 's'} x ${formatCount(NAT_GATEWAY_SNAT.value.portsPerIp)} ports` : names.length > 0 ? `on the node subnet` : 'not attached to the node subnet';
    const nat = diagram.stop({ id: 'nat', kind: 'nat-gateway', label: managed ? 'managed NAT gateway' : `NAT gateway ${names.join(', ') || ''}`.trim(), detail, at });
    diagram.hop(nodes, nat, '', false, nodeEgressVerdict(model, subnets));
    diagram.hop(nat, internet(), 'SNAT');
  } else if (type === 'userDefinedRouting') {
    const firewalls = egressFirewallsOf(model, cluster);
    for (const subnet of subnets) {
      if (!subnet.routeTable.known) {
        diagram.notes.push(`Node subnet ${subnet.name}: ${isNotSet(subnet.routeTable) ? 'no route table, so no default route' : 'its route table cannot be evaluated'}.`);
        continue;
      }
      const tableName = subnet.routeTable.value;
      const tables = routeTablesOf(model, subnet);
      const routes = tables.flatMap((t) => t.routes).filter(isDefaultRoute);
      const table = diagram.stop({ id: `rt:${tableName}`, kind: 'route-table', label: `route table ${tableName}`, detail: tables.length ? `${tables.flatMap((t) => t.routes).length} route(s)` : 'not in the workspace', ...(tables[0] ? { at: tables[0].source } : {}) });
      diagram.hop(nodes, table, subnet.name, false, nodeEgressVerdict(model, [subnet]));
      if (tables.length > 0 && routes.length === 0) diagram.notes.push(`Route table ${tableName} has no 0.0.0.0/0 route: the nodes have no way out.`);
      for (const route of routes) {
        const hop = route.nextHopType.known ? route.nextHopType.value : 'next hop not known';
        const firewall = hop === 'VirtualAppliance' ? firewallOfRoute(route, firewalls) : undefined;
        // The hop that follows the default route says which route it is and whether AKS accepts where it leads.
        const taken = routeVerdict(model, route, firewall);
        if (hop === 'Internet') {
          diagram.hop(table, internet(), '0.0.0.0/0', false, taken);
          continue;
        }
        if (firewall) {
          const stop = diagram.stop({ id: `fw:${firewall.name}`, kind: 'appliance', label: `firewall ${firewall.name}`, detail: `route ${route.name}`, at: firewall.source });
          diagram.hop(table, stop, '0.0.0.0/0', false, taken);
          const verdict = firewallVerdict(model, cluster, firewall);
          diagram.hop(stop, internet(), verdict.decision === 'unknown' ? 'AKS egress' : `AKS egress ${verdict.decision}`, false, verdict);
          continue;
        }
        const appliance = diagram.stop({ id: `hop:${tableName}:${route.name}`, kind: 'appliance', label: hop === 'VirtualAppliance' ? 'firewall or appliance' : hop, detail: `route ${route.name}`, at: route.source });
        diagram.hop(table, appliance, '0.0.0.0/0', false, taken);
        diagram.hop(appliance, internet(), '', true);
      }
    }
  } else if (type === 'none' || type === 'block') {
    diagram.hop(nodes, diagram.stop({ id: 'none', kind: 'no-egress', label: 'no outbound path', detail: `outboundType ${outbound.known ? outbound.value : type}`, at }), '');
  } else {
    diagram.notes.push(`Outbound type ${outbound.known ? outbound.value : type} is not one the map knows.`);
  }
  return diagram;
}

/** A diagram before layout: its stops and hops as built, for `netlens paths`. */
export interface TrafficDiagram {
  readonly title: string;
  readonly stops: ReadonlyMap<string, Stop>;
  readonly hops: readonly Hop[];
  readonly notes: readonly string[];
}

/** Every diagram, not laid out: the ingress one (when the workspace exposes something), then each cluster's egress. */
export function trafficDiagrams(model: NetworkModel): TrafficDiagram[] {
  const ingress = ingressDiagram(model);
  const plain = (title: string, diagram: Diagram): TrafficDiagram => ({ title, stops: diagram.stops, hops: diagram.hops, notes: diagram.notes });
  return [
    ...(ingress ? [plain('Ingress: how traffic reaches the workloads', ingress)] : []),
    ...model.clusters.map((cluster) => plain(`Egress of cluster ${cluster.name}`, egressDiagram(model, cluster))),
  ];
}

/**
 * The traffic diagrams of the workspace, or undefined when it exposes nothing and has no cluster. `focus` keeps
 * the Services and Ingresses whose namespace/name contains it; the active file's clusters are drawn first.
 */
export async function trafficPaths(
  model: NetworkModel,
  sourceOf: (source: Source | undefined) => MapSource | undefined,
  options: { focus?: string; activeUri?: string } = {},
): Promise<MapTrafficPaths | undefined> {
  const ingress = ingressDiagram(model, options.focus);
  const clusters = [...model.clusters].sort((a, b) => Number(b.source.uri === options.activeUri) - Number(a.source.uri === options.activeUri));
  const drawn = clusters.slice(0, MAX_EGRESS_DIAGRAMS);
  const egress = await Promise.all(drawn.map((cluster) => egressDiagram(model, cluster).layout(`Egress of cluster ${cluster.name}`, sourceOf)));
  if (!ingress && egress.length === 0) return undefined;
  return {
    ...(ingress ? { ingress: await ingress.layout('Ingress: how traffic reaches the workloads', sourceOf) } : {}),
    egress,
    ...(clusters.length > drawn.length ? { omittedEgress: clusters.length - drawn.length } : {}),
  };
}

/** The egress firewall a default route goes to: the one at its written next hop IP, else the workspace's only one. */
function firewallOfRoute(route: Route, firewalls: ReturnType<typeof egressFirewallsOf>): Firewall | undefined {
  const hop = route.nextHopIpAddress;
  const byIp = firewalls.find(({ firewall, join }) => join === 'route' && hop?.known && knownValues(firewall.privateIps).some((ip) => ip.value.value === hop.value.value));
  return (byIp ?? firewalls.find(({ join }) => join === 'only-firewall'))?.firewall;
}

/** Whether the firewall's policy lets the cluster's nodes out to what AKS needs (firewall-missing-aks-egress's judgement). */
function firewallVerdict(model: NetworkModel, cluster: Cluster, firewall: Firewall): HopVerdict {
  const judged = aksEgressJudgements(model).find((j) => j.firewall === firewall && j.clusters.includes(cluster));
  if (!judged) {
    const policy = firewall.firewallPolicy;
    const reason = policy.known ? `firewall policy ${policy.value} is not in the files read in full, so its rules are unknown` : `the policy of firewall ${firewall.name} ${policy.reason}`;
    return { decision: 'unknown', reason, at: policy.source ?? firewall.source };
  }
  const name = judged.policy.policies[0]!.name;
  const missing = judged.missingFqdns ?? [];
  if (missing.length > 0) {
    const reason = `firewall policy ${name} allows neither the ${AKS_EGRESS_REQUIREMENTS.value.fqdnTag} FQDN tag nor HTTPS to ${missing.join(', ')}: nodes cannot pull images or register`;
    return { decision: 'denied', reason, at: judged.at };
  }
  return { decision: 'allowed', reason: `firewall policy ${name} allows (or may allow) the nodes the AKS egress`, at: judged.at };
}
