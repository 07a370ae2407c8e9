// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2), read as written: `spec` and `specs`, the L3
// peers, toPorts with their L7 kinds, and whether each list is absent, null or written empty (Cilium tells those apart).
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { CiliumCidr, CiliumPeerRule, CiliumPort, CiliumPortRule, CiliumRule } from '../../model/ciliumNetworkPolicy';
import type { LabelSelector } from '../../model/network';
import { known, notSet, unknown, type Value } from '../../model/source';
import { labelSelectorValue, namespaceOf, portValue } from './kubernetesNetworking';
import { booleanValue, cidrValue, entriesAt, itemsAt, nameAt, nodeAt, numberValue, type ReadContext, sourceOf, stringValue } from './yamlTree';

export const CILIUM_GROUP = 'cilium.io';

/** A list field: undefined when absent or null (Go reads both as nil), else its items ([] when written empty). */
function listAt(ctx: ReadContext, parent: Node | undefined, field: string): Node[] | undefined {
  const node = nodeAt(ctx, parent, field);
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  return isSeq(node) ? itemsAt(ctx, node) : [node];
}

function selectors(ctx: ReadContext, parent: Node, field: string): Value<LabelSelector>[] | undefined {
  return listAt(ctx, parent, field)?.map((node) => labelSelectorValue(ctx, node));
}

function cidrs(ctx: ReadContext, parent: Node, plain: string, set: string): CiliumCidr[] | undefined {
  const simple = listAt(ctx, parent, plain);
  const withExcept = listAt(ctx, parent, set);
  if (simple === undefined && withExcept === undefined) return undefined;
  return [
    ...(simple ?? []).map((node) => ({ cidr: cidrValue(ctx, node, 'network-policy-ip-block'), except: [], groupRef: undefined })),
    ...(withExcept ?? []).map((node): CiliumCidr => {
      const group = nodeAt(ctx, node, 'cidrGroupRef') ?? nodeAt(ctx, node, 'cidrGroupSelector');
      const cidr = nodeAt(ctx, node, 'cidr');
      return {
        cidr: cidr === undefined ? notSet() : cidrValue(ctx, cidr, 'network-policy-ip-block'),
        except: (listAt(ctx, node, 'except') ?? []).map((except) => cidrValue(ctx, except, 'network-policy-ip-block')),
        groupRef: group === undefined ? undefined : sourceOf(ctx, group),
      };
    }),
  ];
}

function fqdns(ctx: ReadContext, parent: Node): Value<string>[] | undefined {
  return listAt(ctx, parent, 'toFQDNs')?.map((node) => stringValue(ctx, nodeAt(ctx, node, 'matchName') ?? nodeAt(ctx, node, 'matchPattern')));
}

function services(ctx: ReadContext, parent: Node): Value<string>[] | undefined {
  return listAt(ctx, parent, 'toServices')?.map((node) => {
    const byName = nodeAt(ctx, node, 'k8sService');
    if (byName !== undefined) {
      const name = stringValue(ctx, nodeAt(ctx, byName, 'serviceName'));
      const namespace = stringValue(ctx, nodeAt(ctx, byName, 'namespace'));
      if (!name.known) return name.source ? name : unknown('serviceName is not set', sourceOf(ctx, byName));
      if (!namespace.known && namespace.source) return namespace;
      return known(`${namespace.known ? namespace.value : 'default'}/${name.value}`, sourceOf(ctx, byName));
    }
    const bySelector = nodeAt(ctx, node, 'k8sServiceSelector');
    if (bySelector !== undefined) return known(ctx.text.slice(...(bySelector.range ?? [0, 0])).replace(/\s+/g, ' ').trim(), sourceOf(ctx, bySelector));
    return unknown('neither k8sService nor k8sServiceSelector', sourceOf(ctx, node));
  });
}

function ports(ctx: ReadContext, parent: Node): CiliumPortRule[] | undefined {
  return listAt(ctx, parent, 'toPorts')?.map((rule) => {
    const l7 = entriesAt(ctx, rule, 'rules').map(([kind]) => (kind.toLowerCase() === 'http' ? 'HTTP' : kind.toLowerCase() === 'dns' ? 'DNS' : kind));
    if (nodeAt(ctx, rule, 'serverNames') !== undefined) l7.push('TLS SNI');
    return {
      source: sourceOf(ctx, rule),
      ports: listAt(ctx, rule, 'ports')?.map(
        (port): CiliumPort => ({
          source: sourceOf(ctx, port),
          port: portValue(ctx, nodeAt(ctx, port, 'port')),
          endPort: numberValue(ctx, nodeAt(ctx, port, 'endPort')),
          protocol: stringValue(ctx, nodeAt(ctx, port, 'protocol')),
        }),
      ),
      l7,
    };
  });
}

const UNSUPPORTED_PEERS = ['fromNodes', 'toNodes', 'fromGroups', 'toGroups'];

function peerRule(ctx: ReadContext, node: Node, direction: 'from' | 'to'): CiliumPeerRule {
  const field = (name: string) => `${direction}${name}`;
  return {
    source: sourceOf(ctx, node),
    endpoints: selectors(ctx, node, field('Endpoints')),
    requires: selectors(ctx, node, field('Requires')),
    cidrs: cidrs(ctx, node, field('CIDR'), field('CIDRSet')),
    entities: listAt(ctx, node, field('Entities'))?.map((entity) => stringValue(ctx, entity)),
    fqdns: direction === 'to' ? fqdns(ctx, node) : undefined,
    services: direction === 'to' ? services(ctx, node) : undefined,
    unsupportedPeers: UNSUPPORTED_PEERS.filter((name) => name.startsWith(direction) && nodeAt(ctx, node, name) !== undefined).map((name) => ({
      field: name,
      source: sourceOf(ctx, nodeAt(ctx, node, name)!),
    })),
    toPorts: ports(ctx, node),
    icmps: nodeAt(ctx, node, 'icmps') === undefined ? undefined : sourceOf(ctx, nodeAt(ctx, node, 'icmps')!),
  };
}

function readRule(ctx: ReadContext, spec: Node): CiliumRule {
  const section = (name: string, direction: 'from' | 'to') => listAt(ctx, spec, name)?.map((rule) => peerRule(ctx, rule, direction));
  const endpointSelector = nodeAt(ctx, spec, 'endpointSelector');
  const nodeSelector = nodeAt(ctx, spec, 'nodeSelector');
  return {
    source: sourceOf(ctx, spec),
    endpointSelector: endpointSelector === undefined ? undefined : labelSelectorValue(ctx, endpointSelector),
    nodeSelector: nodeSelector === undefined ? undefined : sourceOf(ctx, nodeSelector),
    ingress: section('ingress', 'from'),
    ingressDeny: section('ingressDeny', 'from'),
    egress: section('egress', 'to'),
    egressDeny: section('egressDeny', 'to'),
    enableDefaultDeny: {
      ingress: booleanValue(ctx, nodeAt(ctx, spec, 'enableDefaultDeny', 'ingress')),
      egress: booleanValue(ctx, nodeAt(ctx, spec, 'enableDefaultDeny', 'egress')),
    },
  };
}

/** Lowers a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy; returns false for other kinds of the group. */
export function readCiliumPolicy(ctx: ReadContext, resource: Node, kind: string): boolean {
  if (kind !== 'CiliumNetworkPolicy' && kind !== 'CiliumClusterwideNetworkPolicy') return false;
  const spec = nodeAt(ctx, resource, 'spec');
  const specs = listAt(ctx, resource, 'specs') ?? [];
  const place = kind === 'CiliumNetworkPolicy' ? namespaceOf(ctx, resource) : { namespace: undefined, namespaceUnknown: false };
  ctx.facts.ciliumPolicies.push({
    kind,
    name: nameAt(ctx, resource, 'metadata', 'name'),
    ...place,
    source: sourceOf(ctx, resource),
    kindSource: sourceOf(ctx, nodeAt(ctx, resource, 'kind') ?? resource),
    rules: [...(isMap(spec) ? [spec] : []), ...specs.filter(isMap)].map((rule) => readRule(ctx, rule)),
  });
  return true;
}
