// The network map's data: each VNet's address space with its subnets, overlaps, free gaps and reserved
// parts, each cluster's pod and service ranges, the NetworkPolicy graph (policyGraph.ts) and the traffic
// paths in and out (trafficPaths.ts); every item
// with the source a click reveals.
// Pure: workspace in, JSON out (see networkMapData.ts); the webview only draws it.
import { freeGaps } from '../cidr/addressSpace';
import {
  azureUsableAddresses,
  type Cidr,
  cidr,
  compareCidrs,
  containsIp,
  formatCidr,
  formatCount,
  formatIp,
  lastAddress,
  overlaps,
  addressBits,
  totalAddresses,
} from '../cidr/cidr';
import { type SubnetDemand, subnetDemands } from '../capacity/ipDemand';
import { AKS_RESERVED_RANGES, AZURE_VNET_FORBIDDEN_RANGES } from '../facts';
import type { Cluster, NetworkModel, Subnet, VirtualNetwork } from '../model/network';
import { environmentName } from '../model/queries';
import { type Known, knownValues, type Source } from '../model/source';
import { poolsOf, push, subnetsByVnetKey, vnetsOf } from '../model/topology';
import type { Finding } from '../rules/rule';
import { rangeOf } from './diagnostics';
import type { Baseline } from './gitBaseline';
import { policyGraph } from './policyGraph';
import { trafficPaths } from './trafficPaths';
import {
  type MapCluster,
  type MapClusterRange,
  type MapDemand,
  type MapFinding,
  type MapGap,
  type MapInterval,
  type MapOverlap,
  type MapReserved,
  type MapSource,
  type MapSpace,
  type MapSubnet,
  type MapAddresses,
  type MapViewId,
  type MapVnet,
  NETWORK_MAP_VERSION,
  type NetworkMapData,
} from './networkMapData';
import type { Workspace } from './workspace';

/** Sizes above this are written as a power of two ("2^64 addresses"). */
const EXACT_SIZE_LIMIT = 1n << 32n;

function interval(block: Cidr): MapInterval {
  return { start: block.network.toString(), end: lastAddress(block).value.toString(), size: totalAddresses(block).toString() };
}

export function sizeLabel(block: Cidr): string {
  const size = totalAddresses(block);
  if (size < EXACT_SIZE_LIMIT || block.family === 4) return `${formatCount(size)} address${size === 1n ? '' : 'es'}`;
  return `2^${addressBits(block.family) - block.prefix} addresses`;
}

/** The addresses two overlapping CIDR blocks share: the smaller of the two (CIDR blocks nest). */
function intersection(a: Cidr, b: Cidr): Cidr {
  return a.prefix >= b.prefix ? a : b;
}

/** A finding anchor: an item's source span and where findings on it go. */
interface Anchor {
  readonly source: Source;
  readonly sink: MapFinding[];
}

function contains(outer: Source, inner: Source): boolean {
  return outer.uri === inner.uri && outer.start <= inner.start && inner.end <= outer.end;
}

/** Puts each finding on the smallest anchor whose span holds the finding's source (all of them on a tie). */
function attachFindings(findings: readonly Finding[], anchors: readonly Anchor[], toMap: (finding: Finding) => MapFinding): void {
  const byUri = new Map<string, Anchor[]>();
  for (const anchor of anchors) push(byUri, anchor.source.uri, anchor);
  for (const finding of findings) {
    const holders = (byUri.get(finding.source.uri) ?? []).filter((anchor) => contains(anchor.source, finding.source));
    if (holders.length === 0) continue;
    const smallest = Math.min(...holders.map((anchor) => anchor.source.end - anchor.source.start));
    const sinks = new Set(holders.filter((anchor) => anchor.source.end - anchor.source.start === smallest).map((anchor) => anchor.sink));
    const mapped = toMap(finding);
    for (const sink of sinks) sink.push(mapped);
  }
}

/** Free runs inside `space`: the aligned blocks of freeGaps joined where they touch, each with its largest block. */
function gapsIn(space: Cidr, used: readonly Cidr[]): MapGap[] {
  const runs: Cidr[][] = [];
  for (const block of freeGaps(space, used)) {
    const run = runs[runs.length - 1];
    const previous = run?.[run.length - 1];
    if (run && previous && lastAddress(previous).value + 1n === block.network) run.push(block);
    else runs.push([block]);
  }
  return runs.map((blocks) => {
    const first = blocks[0]!;
    const last = blocks[blocks.length - 1]!;
    const largest = blocks.reduce((a, b) => (b.prefix < a.prefix ? b : a));
    const start = first.network;
    const end = lastAddress(last).value;
    return {
      start: start.toString(),
      end: end.toString(),
      size: (end - start + 1n).toString(),
      largest: formatCidr(largest),
      blocks: blocks.map(formatCidr),
    };
  });
}

interface ForbiddenRange {
  readonly block: Cidr;
  readonly why: string;
}

const AZURE_FORBIDDEN: readonly ForbiddenRange[] = AZURE_VNET_FORBIDDEN_RANGES.value.map((r) => ({ block: cidr(r.cidr), why: r.why }));
const AKS_RESERVED: readonly ForbiddenRange[] = AKS_RESERVED_RANGES.value.map((r) => ({ block: cidr(r.cidr), why: r.why }));

/** The parts of `range` that the given lists forbid; one entry per block, reasons joined. */
function reservedIn(range: Cidr, lists: readonly (readonly ForbiddenRange[])[]): (MapReserved & { block: Cidr })[] {
  const found = new Map<string, { block: Cidr; why: string[] }>();
  for (const list of lists) {
    for (const forbidden of list) {
      if (!overlaps(range, forbidden.block)) continue;
      const block = intersection(range, forbidden.block);
      const key = formatCidr(block);
      const entry = found.get(key) ?? { block, why: [] };
      if (!entry.why.includes(forbidden.why)) entry.why.push(forbidden.why);
      found.set(key, entry);
    }
  }
  return [...found.values()]
    .sort((a, b) => compareCidrs(a.block, b.block))
    .map(({ block, why }) => ({ ...interval(block), cidr: formatCidr(block), why: why.join('; '), block }));
}

function demandOf(demand: SubnetDemand | undefined): MapDemand | undefined {
  if (!demand) return undefined;
  const consumers = demand.clusters.map((consumer) => {
    const pools = consumer.pools
      .map(({ nodes, perNode }) => `${nodes.pool.name}: (${nodes.nodes} + ${nodes.surge} surge) x ${perNode}`)
      .join(', ');
    return `${consumer.cluster.name} ${consumer.use}: ${pools} = ${formatCount(BigInt(consumer.addresses))}`;
  });
  if (demand.environment !== undefined) consumers.unshift(`environment ${environmentName(demand.environment)}`);
  if (demand.loadBalancerIps > 0) consumers.push(`${demand.loadBalancerIps} static load balancer IP${demand.loadBalancerIps === 1 ? '' : 's'}`);
  return { required: demand.required, usable: demand.usable.toString(), complete: demand.complete, consumers };
}

/** A model source as the LSP range a click reveals; undefined when the file is not in the workspace. */
function mapSourceOf(workspace: Workspace): (source: Source | undefined) => MapSource | undefined {
  return (source) => {
    if (!source) return undefined;
    const document = workspace.document(source.uri);
    return document ? { uri: source.uri, range: rangeOf(document, source) } : undefined;
  };
}

/**
 * The network map, or one view of it: the address space, the NetworkPolicy graph (when the workspace has workloads)
 * or the traffic paths; of one environment's world when `environment` is one of the workspace's environments, else of
 * them all. Only the views asked for are computed (the diagrams' layouts are the costly part). With a `baseline`
 * (another version's flows, or why there is none) the policy graph is coloured by change against it.
 */
export async function networkMap(
  workspace: Workspace,
  activeUri?: string,
  focus?: string,
  environment?: string,
  baseline?: Baseline,
  view?: MapViewId,
): Promise<NetworkMapData> {
  const environments = workspace.environmentFiles();
  const chosen = environment !== undefined && environments.includes(environment) ? environment : undefined;
  const shows = (id: MapViewId) => view === undefined || view === id;
  const model = workspace.analyze(chosen).model;
  const graph = shows('policies') ? await policyGraph(model, mapSourceOf(workspace), focus, baseline?.ok ? baseline.version : undefined) : undefined;
  const counts = graph?.changes ?? { added: 0, removed: 0, changed: 0 };
  const comparison =
    baseline && shows('policies')
      ? baseline.ok
        ? { revision: baseline.revision, commit: baseline.commit, ...counts }
        : { revision: baseline.revision, error: baseline.error, added: 0, removed: 0, changed: 0 }
      : undefined;
  const paths = shows('paths') ? await trafficPaths(model, mapSourceOf(workspace), { ...(focus ? { focus } : {}), ...(activeUri ? { activeUri } : {}) }) : undefined;
  return {
    version: NETWORK_MAP_VERSION,
    ...(view ? { view } : {}),
    ...(activeUri ? { activeUri } : {}),
    ...(focus ? { focus } : {}),
    ...(shows('addresses') ? { addresses: cidrMap(workspace, activeUri, focus, chosen) } : {}),
    ...(graph ? { policyGraph: graph } : {}),
    ...(paths ? { trafficPaths: paths } : {}),
    ...(environments.length > 1 ? { environments: environments.map((uri) => ({ uri, name: environmentName(uri) })) } : {}),
    ...(chosen !== undefined ? { environment: chosen } : {}),
    ...(comparison ? { comparison } : {}),
  };
}

/** VNets and clusters drawn at most: the active file's first, then by name; the rest are counted. */
export const MAX_DRAWN_VNETS = 40;
export const MAX_DRAWN_CLUSTERS = 40;

/** The address space of the workspace, or of one environment's world (a parameters file the workspace has as one); `activeUri`'s VNets and clusters come first. */
export function cidrMap(workspace: Workspace, activeUri?: string, focus?: string, environment?: string): MapAddresses {
  const { model, findings } = workspace.analyze(environment);
  return addressLayout({ model, findings, sourceOf: mapSourceOf(workspace), textOf: (uri) => workspace.document(uri)?.getText() }, activeUri, focus);
}

/** What the address layout is drawn from: a model, its findings, and where its sources are written. */
export interface LayoutInput {
  readonly model: NetworkModel;
  readonly findings: readonly Finding[];
  readonly sourceOf: (source: Source | undefined) => MapSource | undefined;
  readonly textOf: (uri: string) => string | undefined;
}

/** The VNets and clusters of a model laid out for the map (the workspace's, or a proposed plan's). */
export function addressLayout({ model, findings, sourceOf, textOf }: LayoutInput, activeUri?: string, focus?: string): MapAddresses {
  const anchors: Anchor[] = [];
  const anchor = (source: Source | undefined, sink: MapFinding[]) => {
    if (source) anchors.push({ source, sink });
  };

  // A subnet is sized per environment; drawn with every environment, it shows the largest demand, naming its environment.
  const demands = new Map<Subnet, SubnetDemand>();
  for (const demand of subnetDemands(model)) {
    const other = demands.get(demand.subnet);
    if (!other || demand.required > other.required) demands.set(demand.subnet, demand);
  }
  const clustersOfVnet = new Map<VirtualNetwork, Cluster[]>();
  for (const cluster of model.clusters) {
    for (const vnet of vnetsOf(model, cluster)) push(clustersOfVnet, vnet, cluster);
  }

  // Subnets grouped by the key of their VNet; subnets of VNets the model lacks get a VNet entry of their own.
  const subnetsByVnet = subnetsByVnetKey(model);
  const vnetsByKey = new Map<string, VirtualNetwork>();
  for (const vnet of model.vnets) if (!vnetsByKey.has(vnet.key)) vnetsByKey.set(vnet.key, vnet);

  // Which VNets and clusters are the active file's (cheap), so only those drawn are computed in full.
  const allVnetKeys = [...vnetsByKey.keys(), ...[...subnetsByVnet.keys()].filter((key) => !vnetsByKey.has(key))];
  const nameOfVnet = (key: string) => vnetsByKey.get(key)?.name ?? key;
  const activeVnetKeys = new Set<string>();
  for (const key of allVnetKeys) {
    const written = [vnetsByKey.get(key)?.source.uri, ...(subnetsByVnet.get(key) ?? []).map((subnet) => subnet.source.uri)];
    if (activeUri !== undefined && written.includes(activeUri)) activeVnetKeys.add(key);
  }
  const activeClusters = new Set<Cluster>();
  for (const cluster of model.clusters) {
    const written = [cluster.source.uri, ...poolsOf(model, cluster).map((pool) => pool.source.uri)];
    if (activeUri !== undefined && written.includes(activeUri)) {
      activeClusters.add(cluster);
      for (const vnet of vnetsOf(model, cluster)) activeVnetKeys.add(vnet.key);
    }
  }
  // A cluster whose VNet is active is active too.
  for (const cluster of model.clusters) if (vnetsOf(model, cluster).some((vnet) => activeVnetKeys.has(vnet.key))) activeClusters.add(cluster);
  const matches = (...names: string[]) => !focus || names.some((name) => name.toLowerCase().includes(focus.toLowerCase()));
  const shownVnetKeys = allVnetKeys.filter((key) => matches(nameOfVnet(key), ...(subnetsByVnet.get(key) ?? []).map((subnet) => subnet.name)));
  shownVnetKeys.sort((a, b) => Number(activeVnetKeys.has(b)) - Number(activeVnetKeys.has(a)) || nameOfVnet(a).localeCompare(nameOfVnet(b)));
  const vnetKeys = shownVnetKeys.slice(0, MAX_DRAWN_VNETS);
  const shownClusters = model.clusters.filter((cluster) => matches(cluster.name));
  shownClusters.sort((a, b) => Number(activeClusters.has(b)) - Number(activeClusters.has(a)) || a.name.localeCompare(b.name));
  const drawnClusters = shownClusters.slice(0, MAX_DRAWN_CLUSTERS);

  const vnets: (MapVnet & { findings: MapFinding[] })[] = [];
  const overlapFindings = findings.filter((finding) => finding.rule === 'subnet-overlap');
  for (const key of vnetKeys) {
    const vnet = vnetsByKey.get(key);
    const subnets = subnetsByVnet.get(key) ?? [];
    const vnetFindings: MapFinding[] = [];
    anchor(vnet?.source, vnetFindings);

    // One block per known prefix; findings on the subnet's resource go to each of its blocks.
    const blocks: { block: Cidr; data: MapSubnet & { findings: MapFinding[]; overlapsWith: string[] } }[] = [];
    const unplaced: MapVnet['unplaced'][number][] = [];
    for (const subnet of subnets) {
      const subnetFindings: MapFinding[] = [];
      anchor(subnet.source, subnetFindings);
      const demand = demandOf(demands.get(subnet));
      for (const prefix of subnet.prefixes) {
        if (!prefix.known) {
          unplaced.push({ name: subnet.name, reason: prefix.reason, ...optional('source', sourceOf(prefix.source ?? subnet.source)) });
          continue;
        }
        const block = prefix.value;
        const written = textOf(prefix.source.uri)?.slice(prefix.source.start, prefix.source.end).trim();
        const data = {
          id: `${prefix.source.uri}#${prefix.source.start}`,
          name: subnet.name,
          cidr: formatCidr(block),
          ...(written && written !== formatCidr(block) && /^[0-9a-fA-F.:]+\/\d+$/.test(written) ? { written } : {}),
          family: block.family,
          ...interval(block),
          usable: azureUsableAddresses(block).toString(),
          ...optional('demand', demand),
          findings: subnetFindings,
          overlapsWith: [] as string[],
          ...optional('source', sourceOf(prefix.source)),
        };
        blocks.push({ block, data });
        anchor(prefix.source, subnetFindings);
      }
      if (subnet.prefixes.length === 0) unplaced.push({ name: subnet.name, reason: 'no address prefix', ...optional('source', sourceOf(subnet.source)) });
    }
    blocks.sort((a, b) => compareCidrs(a.block, b.block));

    // Overlapping pairs of subnet blocks: the subnet-overlap rule's findings, each pairing the prefix it is reported on
    // with the one its related location names. One answer from one place: a subnet declared twice (in two files) is
    // one subnet, not an overlap; a finding turned off or suppressed is not drawn either.
    const order = new Map(blocks.map((b, index) => [b, index]));
    const blocksAt = new Map<string, (typeof blocks)[number][]>();
    for (const b of blocks) push(blocksAt, b.data.id, b);
    const pairs = new Map<string, [(typeof blocks)[number], (typeof blocks)[number]]>();
    for (const finding of overlapFindings) {
      const related = finding.related?.[0]?.source;
      if (!related) continue;
      for (const x of blocksAt.get(`${finding.source.uri}#${finding.source.start}`) ?? []) {
        for (const y of blocksAt.get(`${related.uri}#${related.start}`) ?? []) {
          const [a, b] = order.get(x)! < order.get(y)! ? [x, y] : [y, x];
          if (a !== b && overlaps(a.block, b.block)) pairs.set(`${order.get(a)}|${order.get(b)}`, [a, b]);
        }
      }
    }
    const overlapList: { shared: Cidr; data: MapOverlap }[] = [];
    const sortedPairs = [...pairs.values()].sort(([a1, b1], [a2, b2]) => order.get(a1)! - order.get(a2)! || order.get(b1)! - order.get(b2)!);
    for (const [a, b] of sortedPairs) {
      a.data.overlapsWith.push(b.data.id);
      b.data.overlapsWith.push(a.data.id);
      const shared = intersection(a.block, b.block);
      overlapList.push({
        shared,
        data: {
          a: a.data.id,
          b: b.data.id,
          aName: a.data.name,
          bName: b.data.name,
          cidr: formatCidr(shared),
          ...interval(shared),
          ...optional('source', b.data.source),
        },
      });
    }

    const knownSpaces = vnet ? knownValues(vnet.addressSpace) : [];
    const forbidden = vnet && clustersOfVnet.has(vnet) ? [AZURE_FORBIDDEN, AKS_RESERVED] : [AZURE_FORBIDDEN];
    const spaces: MapSpace[] = knownSpaces
      .slice()
      .sort((a, b) => compareCidrs(a.value, b.value))
      .map((space: Known<Cidr>) => {
        const spaceFindings: MapFinding[] = [];
        anchor(space.source, spaceFindings);
        const reserved = reservedIn(space.value, forbidden);
        // Reserved parts are not free, even where no subnet uses them.
        const used = [...blocks.map((b) => b.block), ...reserved.map((r) => r.block)].filter((block) => block.family === space.value.family);
        return {
          cidr: formatCidr(space.value),
          family: space.value.family,
          ...interval(space.value),
          sizeLabel: sizeLabel(space.value),
          ...optional('source', sourceOf(space.source)),
          findings: spaceFindings,
          subnets: blocks.filter((b) => overlaps(space.value, b.block)).map((b) => b.data),
          overlaps: overlapList.filter((o) => overlaps(space.value, o.shared)).map((o) => o.data),
          gaps: gapsIn(space.value, used),
          reserved: reserved.map(({ block: _, ...data }) => data),
        };
      });
    const outside = blocks.filter((b) => !knownSpaces.some((space) => overlaps(space.value, b.block))).map((b) => b.data);
    const unknownSpaces = vnet
      ? vnet.addressSpace.flatMap((entry) => (entry.known ? [] : [entry.reason]))
      : ['the virtual network is not in the workspace'];

    vnets.push({
      key,
      name: vnet?.name ?? key,
      ...optional('source', sourceOf(vnet?.source)),
      active: false,
      findings: vnetFindings,
      spaces,
      unknownSpaces,
      outside,
      unplaced,
    });
  }

  const clusters: (MapCluster & { findings: MapFinding[]; active: boolean })[] = [];
  for (const cluster of drawnClusters) {
    const clusterFindings: MapFinding[] = [];
    anchor(cluster.source, clusterFindings);
    const clusterVnets = vnetsOf(model, cluster);
    const neighbours = [
      ...clusterVnets.flatMap((vnet) => knownValues(vnet.addressSpace).map((range) => ({ label: `virtual network ${vnet.name}`, range }))),
      ...model.subnets
        .filter((subnet) => clusterVnets.some((vnet) => vnet.key === subnet.vnetKey))
        .flatMap((subnet) => knownValues(subnet.prefixes).map((range) => ({ label: `subnet ${subnet.name}`, range }))),
    ];
    const ownRanges = [
      ...knownValues(cluster.podCidrs).map((range) => ({ kind: 'pods' as const, range })),
      ...knownValues(cluster.serviceCidrs).map((range) => ({ kind: 'services' as const, range })),
    ];
    const ranges: MapClusterRange[] = ownRanges.map(({ kind, range }) => {
      const rangeFindings: MapFinding[] = [];
      anchor(range.source, rangeFindings);
      const others = [
        ...neighbours,
        ...ownRanges.filter((other) => other.range !== range).map((other) => ({ label: `${other.kind === 'pods' ? 'pod' : 'service'} CIDR`, range: other.range })),
      ];
      const dns = kind === 'services' && cluster.dnsServiceIp.known ? cluster.dnsServiceIp : undefined;
      if (dns) anchor(dns.source, rangeFindings);
      return {
        kind,
        cidr: formatCidr(range.value),
        family: range.value.family,
        ...interval(range.value),
        sizeLabel: sizeLabel(range.value),
        ...optional('source', sourceOf(range.source)),
        findings: rangeFindings,
        reserved: reservedIn(range.value, [AKS_RESERVED]).map(({ block: _, ...data }) => data),
        overlapsWith: others.filter((other) => overlaps(other.range.value, range.value)).map((other) => `${other.label} ${formatCidr(other.range.value)}`),
        ...(dns && containsIp(range.value, dns.value) ? { dnsServiceIp: formatIp(dns.value) } : {}),
      };
    });
    clusters.push({
      name: cluster.name,
      ...optional('source', sourceOf(cluster.source)),
      active: activeClusters.has(cluster),
      findings: clusterFindings,
      ranges,
      vnets: clusterVnets.map((vnet) => vnet.name),
      ...optional('environment', cluster.environment === undefined ? undefined : environmentName(cluster.environment)),
    });
  }

  attachFindings(findings, anchors, (finding) => ({
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    ...optional('source', sourceOf(finding.source)),
  }));

  const omitted = { vnets: shownVnetKeys.length - vnetKeys.length, clusters: shownClusters.length - drawnClusters.length };
  return {
    vnets: vnets.map((vnet) => ({ ...vnet, active: activeVnetKeys.has(vnet.key) })),
    clusters,
    ...(omitted.vnets > 0 || omitted.clusters > 0 ? { omitted } : {}),
  };
}

/** `{ [key]: value }` when the value is set, else nothing: keeps undefined out of the JSON. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
