// Kubernetes workload-side objects the model needs: Services, NetworkPolicies, workloads, Namespaces, Ingresses.
import type { Node } from 'yaml';
import type { Value } from '../../model/source';
import { entriesAt, ipValue, itemsAt, nameAt, nodeAt, numberValue, pairAt, type ReadContext, sourceOf, stringValue } from './yamlTree';
import {
  namespaceOf,
  labelsAt,
  ownerOf,
  podTemplate,
  readIngressBackends,
  readNetworkPolicySpec,
  readRouteBackends,
  readServiceRouting,
} from './kubernetesNetworking';

export const LB_IPV4_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';

const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

function readService(ctx: ReadContext, resource: Node): void {
  const annotations = new Map<string, Value<string>>();
  for (const [key, value] of entriesAt(ctx, resource, 'metadata', 'annotations')) {
    annotations.set(key, stringValue(ctx, value));
  }
  const annotatedIp = nodeAt(ctx, resource, 'metadata', 'annotations', LB_IPV4_ANNOTATION);
  const specIp = nodeAt(ctx, resource, 'spec', 'loadBalancerIP');
  const specEntry = pairAt(ctx, resource, 'spec', 'loadBalancerIP');
  ctx.facts.services.push({
    name: nameAt(ctx, resource, 'metadata', 'name') ?? 'service',
    ...namespaceOf(ctx, resource),
    source: sourceOf(ctx, resource),
    type: stringValue(ctx, nodeAt(ctx, resource, 'spec', 'type')),
    ...readServiceRouting(ctx, resource),
    annotations,
    loadBalancerIp: ipValue(ctx, annotatedIp ?? specIp, 'load-balancer-ip'),
    specLoadBalancerIp: specEntry ? { value: stringValue(ctx, specIp), entry: specEntry } : undefined,
    nodePorts: itemsAt(ctx, resource, 'spec', 'ports')
      .map((port) => nodeAt(ctx, port, 'nodePort'))
      .filter((node): node is Node => node !== undefined)
      .map((node) => numberValue(ctx, node)),
  });
}

/** Lowers one core Kubernetes object; returns false when the kind is not one the model reads. */
export function readKubernetes(ctx: ReadContext, resource: Node, group: string, kind: string): boolean {
  const name = nameAt(ctx, resource, 'metadata', 'name') ?? kind;
  const place = namespaceOf(ctx, resource);
  const source = sourceOf(ctx, resource);
  if (kind === 'Service' && group === '') {
    readService(ctx, resource);
  } else if (kind === 'NetworkPolicy' && group === 'networking.k8s.io') {
    ctx.facts.policies.push({ name, ...place, source, ...readNetworkPolicySpec(ctx, resource) });
  } else if (WORKLOAD_KINDS.has(kind) && (group === '' || group === 'apps' || group === 'batch')) {
    const owner = kind === 'Pod' ? ownerOf(ctx, resource) : undefined;
    ctx.facts.workloads.push({ kind, name, ...place, source, owner, ...podTemplate(ctx, resource, kind) });
  } else if (kind === 'Namespace' && group === '') {
    // A Namespace whose name is a placeholder cannot be told apart from others: left out.
    const known = nameAt(ctx, resource, 'metadata', 'name');
    if (known !== undefined) ctx.facts.namespaces.push({ name: known, source, labels: labelsAt(ctx, resource, 'metadata', 'labels') });
  } else if (kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) {
    ctx.facts.ingressBackends.push(...readIngressBackends(ctx, resource, { name, ...place }));
  } else if (kind === 'Route' && group === 'route.openshift.io') {
    ctx.facts.ingressBackends.push(...readRouteBackends(ctx, resource, { name, ...place }));
  } else {
    return false;
  }
  return true;
}
