// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2), L3/L4 as written. Plain data: which fields are
// set and whether they make sense is for the flow engine to judge (flows/cilium.ts).
import type { Cidr } from '../cidr/cidr';
import type { LabelSelector } from './network';
import type { Source, Value } from './source';

export interface CiliumPolicy {
  readonly kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  /** metadata.name; undefined when it cannot be evaluated. */
  readonly name: string | undefined;
  /** metadata.namespace of a CiliumNetworkPolicy (undefined: `default`); always undefined for a clusterwide one. */
  readonly namespace: string | undefined;
  /** True when metadata.namespace is written but cannot be evaluated. */
  readonly namespaceUnknown: boolean;
  readonly source: Source;
  /** The `kind` line: where findings about the whole policy point. */
  readonly kindSource: Source;
  /** `spec` and every item of `specs`, in that order. */
  readonly rules: readonly CiliumRule[];
}

/** One rule (a `spec` or an item of `specs`). A section is undefined when absent or null; [] when written empty. */
export interface CiliumRule {
  readonly source: Source;
  /** undefined when the field is absent. */
  readonly endpointSelector: Value<LabelSelector> | undefined;
  /** Where nodeSelector is written (host policies: not evaluated), or undefined. */
  readonly nodeSelector: Source | undefined;
  readonly ingress: readonly CiliumPeerRule[] | undefined;
  readonly ingressDeny: readonly CiliumPeerRule[] | undefined;
  readonly egress: readonly CiliumPeerRule[] | undefined;
  readonly egressDeny: readonly CiliumPeerRule[] | undefined;
  /** enableDefaultDeny.ingress and .egress: not set when absent. */
  readonly enableDefaultDeny: { readonly ingress: Value<boolean>; readonly egress: Value<boolean> };
}

/** A CIDR with the blocks cut out of it (toCIDRSet/fromCIDRSet; toCIDR/fromCIDR entries have no except). */
export interface CiliumCidr {
  readonly cidr: Value<Cidr>;
  readonly except: readonly Value<Cidr>[];
  /** cidrGroupRef or cidrGroupSelector instead of a cidr: not evaluated. */
  readonly groupRef: Source | undefined;
}

/**
 * One ingress/egress (or deny) rule; `from*` fields for ingress and `to*` for egress land in the same places. Each list
 * is undefined when the field is absent or null, and [] when written as an empty list.
 */
export interface CiliumPeerRule {
  readonly source: Source;
  readonly endpoints: readonly Value<LabelSelector>[] | undefined;
  readonly requires: readonly Value<LabelSelector>[] | undefined;
  readonly cidrs: readonly CiliumCidr[] | undefined;
  readonly entities: readonly Value<string>[] | undefined;
  /** toFQDNs: matchName or matchPattern, as written. */
  readonly fqdns: readonly Value<string>[] | undefined;
  /** toServices: `namespace/name` for k8sService, the selector's text for k8sServiceSelector. */
  readonly services: readonly Value<string>[] | undefined;
  /** fromNodes/toNodes, fromGroups/toGroups and other peers the flows do not evaluate: where they are written. */
  readonly unsupportedPeers: readonly { readonly field: string; readonly source: Source }[];
  /** toPorts; undefined when absent. */
  readonly toPorts: readonly CiliumPortRule[] | undefined;
  /** Where `icmps` is written (ICMP is not a connection the flows list). */
  readonly icmps: Source | undefined;
}

export interface CiliumPortRule {
  readonly source: Source;
  /** `ports`; undefined when absent. */
  readonly ports: readonly CiliumPort[] | undefined;
  /** The L7 kinds of `rules` (`HTTP`, `DNS`, `Kafka`, ...) and `serverNames` (`TLS SNI`), as shown in the flows. */
  readonly l7: readonly string[];
}

export interface CiliumPort {
  readonly source: Source;
  /** A number, a named port, or "0" (every port). */
  readonly port: Value<number | string>;
  readonly endPort: Value<number>;
  /** TCP, UDP, SCTP or ANY; not set means ANY. */
  readonly protocol: Value<string>;
}
