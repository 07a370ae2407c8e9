// AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1), read as written.
import { isMap, isSeq, type Node } from 'yaml';
import type { AdminPolicyPeer, AdminPolicyPods, AdminPolicyPort, AdminPolicyRule } from '../../model/adminNetworkPolicy';
import type { LabelSelector } from '../../model/network';
import { known, type Value } from '../../model/source';
import { labelSelectorValue } from './kubernetesNetworking';
import { cidrValue, itemsAt, nameAt, nodeAt, numberValue, type ReadContext, sourceOf, stringValue } from './yamlTree';

export const ADMIN_POLICY_GROUP = 'policy.networking.k8s.io';

/** A selector field; an absent one selects everything (as the API's zero value does). */
function selectorOrAll(ctx: ReadContext, parent: Node, field: string): Value<LabelSelector> {
  const node = nodeAt(ctx, parent, field);
  if (node === undefined) return known({ matchLabels: new Map(), matchExpressions: [] }, sourceOf(ctx, parent));
  return labelSelectorValue(ctx, node);
}

function readPods(ctx: ReadContext, node: Node): AdminPolicyPods {
  const namespaces = nodeAt(ctx, node, 'namespaces');
  const pods = nodeAt(ctx, node, 'pods');
  return {
    source: sourceOf(ctx, node),
    namespaces: namespaces === undefined ? undefined : labelSelectorValue(ctx, namespaces),
    pods: pods === undefined ? undefined : { namespaceSelector: selectorOrAll(ctx, pods, 'namespaceSelector'), podSelector: selectorOrAll(ctx, pods, 'podSelector') },
  };
}

function readPeer(ctx: ReadContext, node: Node): AdminPolicyPeer {
  const networks = nodeAt(ctx, node, 'networks');
  return {
    ...readPods(ctx, node),
    networks: networks === undefined ? undefined : isSeq(networks) ? itemsAt(ctx, networks).map((item) => cidrValue(ctx, item, 'network-policy-ip-block')) : [cidrValue(ctx, networks, 'network-policy-ip-block')],
    nodes: nodeAt(ctx, node, 'nodes') !== undefined,
  };
}

function readPort(ctx: ReadContext, node: Node): AdminPolicyPort {
  const portNumber = nodeAt(ctx, node, 'portNumber');
  const namedPort = nodeAt(ctx, node, 'namedPort');
  const portRange = nodeAt(ctx, node, 'portRange');
  const protocol = (parent: Node) => stringValue(ctx, nodeAt(ctx, parent, 'protocol'));
  return {
    source: sourceOf(ctx, node),
    portNumber: portNumber === undefined ? undefined : { protocol: protocol(portNumber), port: numberValue(ctx, nodeAt(ctx, portNumber, 'port')) },
    namedPort: namedPort === undefined ? undefined : stringValue(ctx, namedPort),
    portRange:
      portRange === undefined
        ? undefined
        : { protocol: protocol(portRange), start: numberValue(ctx, nodeAt(ctx, portRange, 'start')), end: numberValue(ctx, nodeAt(ctx, portRange, 'end')) },
  };
}

function readRules(ctx: ReadContext, spec: Node | undefined, direction: 'ingress' | 'egress'): AdminPolicyRule[] {
  const peersField = direction === 'ingress' ? 'from' : 'to';
  return itemsAt(ctx, spec, direction).map((rule) => {
    const ports = nodeAt(ctx, rule, 'ports');
    return {
      source: sourceOf(ctx, rule),
      name: nameAt(ctx, rule, 'name'),
      action: stringValue(ctx, nodeAt(ctx, rule, 'action')),
      peers: itemsAt(ctx, rule, peersField).map((peer) => readPeer(ctx, peer)),
      ports: ports === undefined ? undefined : itemsAt(ctx, ports).map((port) => readPort(ctx, port)),
    };
  });
}

/** Lowers an AdminNetworkPolicy or BaselineAdminNetworkPolicy; returns false for other kinds of the group. */
export function readAdminNetworkPolicy(ctx: ReadContext, resource: Node, kind: string): boolean {
  if (kind !== 'AdminNetworkPolicy' && kind !== 'BaselineAdminNetworkPolicy') return false;
  const spec = nodeAt(ctx, resource, 'spec');
  const subject = nodeAt(ctx, spec, 'subject');
  ctx.facts.adminPolicies.push({
    kind,
    name: nameAt(ctx, resource, 'metadata', 'name'),
    source: sourceOf(ctx, resource),
    priority: numberValue(ctx, nodeAt(ctx, spec, 'priority')),
    subject: isMap(subject) ? readPods(ctx, subject) : { source: sourceOf(ctx, spec ?? resource), namespaces: undefined, pods: undefined },
    ingress: readRules(ctx, spec, 'ingress'),
    egress: readRules(ctx, spec, 'egress'),
  });
  return true;
}
