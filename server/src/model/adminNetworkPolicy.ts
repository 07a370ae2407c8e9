// AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1): cluster-wide policies
// that administrators write, evaluated before (ANP) and after (BANP) the namespaces' NetworkPolicies.
// Plain data, as written: which field is set, and whether the values make sense, is for the flow engine to judge.
import type { Cidr } from '../cidr/cidr';
import type { LabelSelector } from './network';
import type { Source, Value } from './source';

/** One AdminNetworkPolicy or the BaselineAdminNetworkPolicy (a cluster singleton named `default`). */
export interface AdminNetworkPolicy {
  readonly kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  /** metadata.name; undefined when it cannot be evaluated (a placeholder). */
  readonly name: string | undefined;
  readonly source: Source;
  /** spec.priority (ANP only: 0-1000, lower numbers first); not set for a BANP. */
  readonly priority: Value<number>;
  readonly subject: AdminPolicySubject;
  readonly ingress: readonly AdminPolicyRule[];
  readonly egress: readonly AdminPolicyRule[];
}

/** A set of pods: every pod of the namespaces a selector selects, or the pods a pod selector selects in them. */
export interface AdminPolicyPods {
  readonly source: Source;
  /** `namespaces`: undefined when the field is absent. */
  readonly namespaces: Value<LabelSelector> | undefined;
  /** `pods`: both selectors (an absent one selects everything). */
  readonly pods: { readonly namespaceSelector: Value<LabelSelector>; readonly podSelector: Value<LabelSelector> } | undefined;
}

/** spec.subject: exactly one of `namespaces` and `pods` is valid; spec.subject absent leaves both undefined. */
export type AdminPolicySubject = AdminPolicyPods;

/** One ingress (`from`) or egress (`to`) entry. */
export interface AdminPolicyPeer extends AdminPolicyPods {
  /** Egress only: `networks`, CIDRs outside (or inside) the cluster; undefined when absent. */
  readonly networks: readonly Value<Cidr>[] | undefined;
  /** Egress only: `nodes`, a node selector; true when the field is written. */
  readonly nodes: boolean;
}

export interface AdminPolicyRule {
  readonly source: Source;
  readonly name: string | undefined;
  /** Allow, Deny or Pass (Pass: ANP only). */
  readonly action: Value<string>;
  readonly peers: readonly AdminPolicyPeer[];
  /** undefined when `ports` is absent (every port of every protocol); an empty list matches nothing. */
  readonly ports: readonly AdminPolicyPort[] | undefined;
}

/** One `ports` entry: exactly one of its three forms is valid. */
export interface AdminPolicyPort {
  readonly source: Source;
  /** `portNumber: {protocol, port}`. */
  readonly portNumber: { readonly protocol: Value<string>; readonly port: Value<number> } | undefined;
  /** `namedPort: <name>`: a container port of the destination pod, with that port's protocol. */
  readonly namedPort: Value<string> | undefined;
  /** `portRange: {protocol, start, end}`, inclusive. */
  readonly portRange: { readonly protocol: Value<string>; readonly start: Value<number>; readonly end: Value<number> } | undefined;
}
