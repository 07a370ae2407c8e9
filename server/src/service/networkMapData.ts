// The network map's protocol, imported by the server, the client and the webview alike (never copied): the
// `aksNetworkLens/networkMap` request, its parameters and its data, the map's views, and the messages between the
// webview and the extension. Plain JSON, no imports: the server builds the data (networkMap.ts), the client passes it
// on, the webview (client/webview/) draws it. Addresses are decimal strings because JSON has no bigint.

export const NETWORK_MAP_REQUEST = 'aksNetworkLens/networkMap';
/** Raised when the data's shape changes: a webview drops a saved state of another version. */
export const NETWORK_MAP_VERSION = 2;

/**
 * The map's views, in the order the webview offers them. Only the view shown is asked for: its data (and the layout
 * of its diagrams) is computed when it is shown, not for the views behind it.
 */
export const MAP_VIEWS = [
  { id: 'addresses', title: 'Address space' },
  { id: 'policies', title: 'Policy graph' },
  { id: 'paths', title: 'Traffic paths' },
] as const;
export type MapViewId = (typeof MAP_VIEWS)[number]['id'];
export const DEFAULT_MAP_VIEW: MapViewId = 'addresses';

export function isMapViewId(value: unknown): value is MapViewId {
  return MAP_VIEWS.some((view) => view.id === value);
}

/** The request's parameters: the active editor's file, whose items are drawn first. */
export interface NetworkMapParams {
  /** The view to compute; left out, every view (the whole map, as tests and exports ask). */
  readonly view?: MapViewId;
  readonly uri?: string;
  /** Draw only the VNets, clusters, Services and workloads whose name contains this text. */
  readonly focus?: string;
  /**
   * Draw one environment's world (the URI of a parameters file that feeds a template): its clusters, subnets and
   * demand, with what no environment owns. Left out, or not one of the workspace's environments: every environment.
   */
  readonly environment?: string;
  /**
   * Colour the policy graph by change against this git revision of the workspace folders (Compare Policies with
   * HEAD). The server then runs git, read-only; the client asks only in a trusted workspace.
   */
  readonly compareWith?: 'HEAD';
}

/** How a flow of the policy graph differs from the compared revision: netpol-analyzer's diff types. */
export type MapFlowChange = 'added' | 'removed' | 'changed';

/** The policy graph compared with a git revision: what it was compared with, or why it could not be. */
export interface MapPolicyComparison {
  /** The revision as asked for ("HEAD"). */
  readonly revision: string;
  /** The commit it named, abbreviated; absent when the comparison failed. */
  readonly commit?: string;
  /** Why there is no comparison: no git, not a git repository, no commit yet. */
  readonly error?: string;
  /** Flows (pairs of peers) added, removed and changed from the revision to the working tree (with unsaved edits). */
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

/** An environment the map can be drawn for: a parameters file that feeds a template. */
export interface MapEnvironment {
  readonly uri: string;
  /** Its file name ("dev.bicepparam"), as messages name it. */
  readonly name: string;
}

export interface MapPosition {
  readonly line: number;
  readonly character: number;
}

/** Where an item is written: the file and the LSP range a click reveals. */
export interface MapSource {
  readonly uri: string;
  readonly range: { readonly start: MapPosition; readonly end: MapPosition };
}

export interface MapFinding {
  readonly rule: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly source?: MapSource;
}

/** An address interval: first and last address (inclusive) and size, as decimal strings. */
export interface MapInterval {
  readonly start: string;
  readonly end: string;
  readonly size: string;
}

/** A subnet's demand, from the capacity formulas: what its clusters' nodes and pods need. */
export interface MapDemand {
  /** Addresses the subnet must hold at full scale (nodes, surge, pods, static load balancer IPs). */
  readonly required: number;
  /** Usable addresses of the whole subnet (all its IPv4 prefixes, 5 reserved by Azure in each). */
  readonly usable: string;
  /** False when some consumer's size is unknown: `required` is then a lower bound. */
  readonly complete: boolean;
  /** One line per consumer ("aks-staging nodes: 3 nodes + 1 surge x 1"). */
  readonly consumers: readonly string[];
}

/** One prefix of a subnet, drawn as a block. */
export interface MapSubnet extends MapInterval {
  /** Unique in the map; overlaps refer to it. */
  readonly id: string;
  readonly name: string;
  readonly cidr: string;
  /** The CIDR as written, when it differs (host bits set). */
  readonly written?: string;
  readonly family: 4 | 6;
  /** Addresses Azure leaves for resources in this prefix (size - 5). */
  readonly usable: string;
  readonly demand?: MapDemand;
  readonly findings: readonly MapFinding[];
  /** Ids of the subnets of the same VNet it overlaps. */
  readonly overlapsWith: readonly string[];
  /** The prefix literal. */
  readonly source?: MapSource;
}

/** Two subnets of one VNet sharing addresses; the shared part is the smaller block. */
export interface MapOverlap extends MapInterval {
  readonly a: string;
  readonly b: string;
  readonly aName: string;
  readonly bName: string;
  readonly cidr: string;
  readonly source?: MapSource;
}

/** A run of free addresses between subnets, with the largest aligned block it holds. */
export interface MapGap extends MapInterval {
  /** The largest aligned CIDR block inside the gap ("10.240.8.0/21"). */
  readonly largest: string;
  /** The fewest aligned blocks that cover the gap exactly, in address order. */
  readonly blocks: readonly string[];
}

/** Part of a range that Azure or AKS does not allow. */
export interface MapReserved extends MapInterval {
  readonly cidr: string;
  readonly why: string;
}

/** One range of a VNet's address space with what lies inside it. */
export interface MapSpace extends MapInterval {
  readonly cidr: string;
  readonly family: 4 | 6;
  readonly sizeLabel: string;
  readonly source?: MapSource;
  readonly findings: readonly MapFinding[];
  /** Subnet prefixes that lie in this range (wholly or partly), in address order. */
  readonly subnets: readonly MapSubnet[];
  readonly overlaps: readonly MapOverlap[];
  readonly gaps: readonly MapGap[];
  readonly reserved: readonly MapReserved[];
}

/** A subnet whose prefix is not known (a template placeholder, an invalid literal). */
export interface MapUnplaced {
  readonly name: string;
  readonly reason: string;
  readonly source?: MapSource;
}

export interface MapVnet {
  readonly key: string;
  readonly name: string;
  readonly source?: MapSource;
  /** Some item of the VNet is written in the active file. */
  readonly active: boolean;
  readonly findings: readonly MapFinding[];
  readonly spaces: readonly MapSpace[];
  /** Why entries of the address space are unknown. */
  readonly unknownSpaces: readonly string[];
  /** Subnet prefixes outside every known range of the address space. */
  readonly outside: readonly MapSubnet[];
  readonly unplaced: readonly MapUnplaced[];
}

/** A cluster's pod or service range: outside the VNet, drawn on its own. */
export interface MapClusterRange extends MapInterval {
  readonly kind: 'pods' | 'services';
  readonly cidr: string;
  readonly family: 4 | 6;
  readonly sizeLabel: string;
  readonly source?: MapSource;
  readonly findings: readonly MapFinding[];
  readonly reserved: readonly MapReserved[];
  /** Other ranges of the workspace it shares addresses with ("virtual network staging-vnet 10.10.0.0/16"). */
  readonly overlapsWith: readonly string[];
  /** The DNS service IP, on the service range that holds it. */
  readonly dnsServiceIp?: string;
}

export interface MapCluster {
  readonly name: string;
  readonly source?: MapSource;
  readonly active: boolean;
  readonly findings: readonly MapFinding[];
  readonly ranges: readonly MapClusterRange[];
  /** Names of the VNets its node subnets are in. */
  readonly vnets: readonly string[];
  /** The environment (parameters file name) this deployment of the cluster is evaluated with, when it has one. */
  readonly environment?: string;
}

/** Where a laid-out node or group sits in its diagram. */
export interface MapBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A laid-out edge between two nodes of a diagram: its route and its label's box. */
export interface MapRoute {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** The route from the source's border to the destination's. */
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly label?: MapBox;
}

/** A workload (or an owner's pods), the outside IPv4 space cut at the policies' ipBlocks, or the ingress controller. */
export interface MapGraphNode extends MapBox {
  readonly id: string;
  readonly kind: 'workload' | 'external' | 'ingress-controller' | 'namespace';
  /** The peer as the flow engine names it ("shop/web[Deployment]", "0.0.0.0-9.255.255.255[External]"). */
  readonly peer: string;
  readonly label: string;
  readonly namespace?: string;
  /** Some NetworkPolicy selects it for ingress (egress): only what the policies allow gets in (out). */
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  /** Names of the policies that select it. */
  readonly policies: readonly string[];
  readonly source?: MapSource;
  /** When compared with a revision: a workload only the working tree has (added) or only the revision had (removed). */
  readonly change?: 'added' | 'removed';
}

/** An allowed connection between two nodes, with its ports ("TCP 80", "All Connections"). */
export interface MapGraphEdge extends MapRoute {
  /** The connections allowed now; for a removed flow, those the revision allowed. */
  readonly ports: string;
  /** When compared with a revision: how this flow differs from it (absent: unchanged). */
  readonly change?: MapFlowChange;
  /** For a changed flow, the connections the revision allowed. */
  readonly before?: string;
  /** The rules that allow it now, ingress rules first (absent for a removed flow, and for edges merging several flows). */
  readonly allowedBy?: readonly MapAllowingRule[];
  /** A policy that lets it in at the destination (or out at the source), when one does. */
  readonly source?: MapSource;
}

/** A policy rule that allows a flow, named as `netlens flows --explain` names it, with where it is written. */
export interface MapAllowingRule {
  /** The direction it allows: ingress at the destination, egress at the source. */
  readonly direction: 'ingress' | 'egress';
  /** "[NP] shop/db-from-api // Ingress rule #1". */
  readonly text: string;
  readonly source?: MapSource;
}

export interface MapGraphGroup extends MapBox {
  readonly namespace: string;
}

/** The NetworkPolicy graph: the flow engine's allowed flows, laid out by ELK's layered algorithm. */
export interface MapPolicyGraph {
  readonly width: number;
  readonly height: number;
  readonly groups: readonly MapGraphGroup[];
  readonly nodes: readonly MapGraphNode[];
  readonly edges: readonly MapGraphEdge[];
  readonly policies: number;
  /** What the flow engine could not evaluate. */
  readonly warnings: readonly string[];
  /** Why no graph is drawn although there are flows (too many to draw legibly). */
  readonly omitted?: string;
  /** What the drawing left out or merged: a filter, or namespaces collapsed into one node each. */
  readonly note?: string;
  /** The filter the graph is drawn with. */
  readonly focus?: string;
  /** When compared with a revision: the pairs whose connections were added, removed or changed since it. */
  readonly changes?: { readonly added: number; readonly removed: number; readonly changed: number };
}

/** A stop on a traffic path: where traffic comes from, what it passes, where it lands. */
export interface MapPathNode extends MapBox {
  readonly id: string;
  readonly kind: 'internet' | 'vnet-clients' | 'load-balancer' | 'node-port' | 'ingress-controller' | 'ingress' | 'service' | 'workload' | 'nodes' | 'nat-gateway' | 'route-table' | 'appliance' | 'no-egress';
  readonly label: string;
  /** One line of detail: an IP, a subnet, a port count ("static IP 10.240.4.10 in subnet aks-ilb"). */
  readonly detail: string;
  readonly source?: MapSource;
}

/** A hop between two stops, with what it carries ("TCP 443", "0.0.0.0/0"). */
export interface MapPathEdge extends MapRoute {
  readonly text: string;
  /** Dashed: the hop is assumed, not declared in the workspace (e.g. the ingress controller's own load balancer). */
  readonly assumed?: boolean;
  /** What decides whether traffic passes this hop (a firewall's policy), with where that is written. */
  readonly verdict?: MapVerdict;
}

/** A hop's decision: drawn in the error colour when denied; a click reveals what decides it. */
export interface MapVerdict {
  readonly decision: 'allowed' | 'denied' | 'unknown';
  readonly reason: string;
  readonly source?: MapSource;
}

/** One traffic diagram, laid out left to right by ELK's layered algorithm. */
export interface MapPathGraph {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly MapPathNode[];
  readonly edges: readonly MapPathEdge[];
  /** What the diagram could not tell (unknown values, objects outside the workspace). */
  readonly notes: readonly string[];
}

/** How traffic enters the workloads (Services, Ingresses) and leaves each cluster (its outbound type). */
export interface MapTrafficPaths {
  readonly ingress?: MapPathGraph;
  readonly egress: readonly MapPathGraph[];
  /** Clusters whose egress is not drawn (there are many; the active file's come first). */
  readonly omittedEgress?: number;
}

/** One line of a proposed plan: what the range is, its CIDR, its numbers, and why that size. */
export interface MapPlanRow {
  readonly what: string;
  readonly cidr: string;
  readonly numbers: string;
  readonly why: string;
}

/** A proposed IP plan (Plan IPs), drawn above the workspace until it is applied or dismissed. */
export interface MapPlan {
  readonly title: string;
  readonly vnets: readonly MapVnet[];
  readonly clusters: readonly MapCluster[];
  readonly rows: readonly MapPlanRow[];
}

/** The address space view: each VNet's ranges and subnets, each cluster's pod and service ranges. */
export interface MapAddresses {
  /** Active VNets first, then by name. */
  readonly vnets: readonly MapVnet[];
  readonly clusters: readonly MapCluster[];
  /** VNets and clusters not drawn: more than the map draws legibly (the active file's come first). */
  readonly omitted?: { readonly vnets: number; readonly clusters: number };
}

export interface NetworkMapData {
  readonly version: typeof NETWORK_MAP_VERSION;
  /** The view this data is for; absent when every view was asked for. A view's part is present when it is asked for. */
  readonly view?: MapViewId;
  readonly activeUri?: string;
  /** The name filter the map is drawn with: VNets (or a subnet of theirs), clusters, Services and workloads containing it. */
  readonly focus?: string;
  readonly addresses?: MapAddresses;
  /** With the policies view, when the workspace has workloads. */
  readonly policyGraph?: MapPolicyGraph;
  /** With the paths view, when the workspace exposes Services or has clusters. */
  readonly trafficPaths?: MapTrafficPaths;
  /** A proposed plan the client adds while Plan IPs shows it (drawn on the address space view). */
  readonly plan?: MapPlan;
  /** The workspace's environments, when it has more than one: the webview's environment picker offers them. */
  readonly environments?: readonly MapEnvironment[];
  /** The environment the map is drawn for (a URI of `environments`); absent: every environment at once. */
  readonly environment?: string;
  /** Present when the map was asked to compare with a revision (`compareWith`). */
  readonly comparison?: MapPolicyComparison;
}

/** What the extension posts to the webview. */
export type MapToWebview =
  | { readonly type: 'update'; readonly data: NetworkMapData }
  | { readonly type: 'status'; readonly text: string }
  /** The extension shows a view of its own accord (Plan IPs the address space, Compare Policies with HEAD the graph); the webview answers with 'view'. */
  | { readonly type: 'showView'; readonly view: MapViewId };

/** What the webview may ask the extension (the client checks every field: `parseWebviewMessage`); anything else is dropped. */
export type WebviewMessage =
  /** A new webview document, with the view it shows (its saved one, after being hidden or a reload). */
  | { readonly type: 'ready'; readonly view: MapViewId }
  | { readonly type: 'reveal'; readonly uri: string; readonly range: MapSource['range'] }
  | { readonly type: 'exportSvg'; readonly svg: string }
  | { readonly type: 'exportPng'; readonly base64: string }
  | { readonly type: 'filter'; readonly text: string }
  /** Show another view: the extension asks for its data. */
  | { readonly type: 'view'; readonly view: MapViewId }
  /** The environment picker: a parameters file's URI, or '' for every environment. */
  | { readonly type: 'environment'; readonly environment: string }
  /** Compare the policy graph with a git revision ('HEAD'), or stop comparing (''). */
  | { readonly type: 'compare'; readonly revision: 'HEAD' | '' }
  | { readonly type: 'dismissPlan' };
