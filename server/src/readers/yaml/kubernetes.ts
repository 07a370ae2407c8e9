// Kubernetes workload-side objects the model needs: Services, NetworkPolicies, workloads, Namespaces, Ingresses.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { TextEdit } from '../../model/network';
import { unknown, type Value } from '../../model/source';
import { CannotEdit, columnOf, editsOrUndefined, insertFirstPair, lineBreak, pairNamed, rangeOf, removeBlockPair } from './yamlEdits';
import { ingressV1SpecEdits } from './ingressV1';
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
    loadBalancerSourceRanges: sourceRanges(ctx, resource),
    ...readServiceRouting(ctx, resource),
    annotations,
    loadBalancerIp: ipValue(ctx, annotatedIp ?? specIp, 'load-balancer-ip'),
    specLoadBalancerIp: specEntry
      ? { value: stringValue(ctx, specIp), entry: specEntry, toAnnotation: annotationEdits(ctx, resource, annotatedIp === undefined) }
      : undefined,
    nodePorts: itemsAt(ctx, resource, 'spec', 'ports')
      .map((port) => nodeAt(ctx, port, 'nodePort'))
      .filter((node): node is Node => node !== undefined)
      .map((node) => numberValue(ctx, node)),
    externalTrafficPolicy: stringValue(ctx, nodeAt(ctx, resource, 'spec', 'externalTrafficPolicy')),
  });
}

/** spec.loadBalancerSourceRanges: each entry's text; one unknown entry when the list itself cannot be read. */
function sourceRanges(ctx: ReadContext, resource: Node): Value<string>[] {
  const list = nodeAt(ctx, resource, 'spec', 'loadBalancerSourceRanges');
  if (list === undefined || (isScalar(list) && list.value === null)) return [];
  if (!isSeq(list)) return [unknown('spec.loadBalancerSourceRanges is not a list', sourceOf(ctx, list))];
  return itemsAt(ctx, resource, 'spec', 'loadBalancerSourceRanges').map((item) => stringValue(ctx, item));
}

/**
 * Moves spec.loadBalancerIP to the azure-load-balancer-ipv4 annotation (AKS's documented form), in block style:
 * the annotation goes first in metadata.annotations (created when missing) and the spec line goes. When the
 * annotation is already written, only the spec line goes (the annotation wins on AKS).
 */
function annotationEdits(ctx: ReadContext, resource: Node, addAnnotation: boolean): TextEdit[] | undefined {
  return editsOrUndefined(() => {
    const spec = nodeAt(ctx, resource, 'spec');
    const metadata = nodeAt(ctx, resource, 'metadata');
    const pair = isMap(spec) ? pairNamed(spec, 'loadBalancerIP') : undefined;
    if (!isMap(spec) || !pair || !isMap(metadata) || /\.json$/i.test(ctx.uri)) throw new CannotEdit();
    const edits = [removeBlockPair(ctx, spec, pair)];
    if (!addAnnotation) return edits;
    const entry = `${LB_IPV4_ANNOTATION}: "${ctx.text.slice(...rangeOf(pair.value)).replace(/^["']|["']$/g, '')}"`;
    const annotations = nodeAt(ctx, metadata, 'annotations');
    if (annotations !== undefined && (!isMap(annotations) || annotations.items.length === 0)) throw new CannotEdit();
    if (isMap(annotations)) return [insertFirstPair(ctx, annotations, entry), ...edits];
    if (metadata.flow) return [insertFirstPair(ctx, metadata, `annotations: { ${entry} }`), ...edits];
    const column = columnOf(ctx.text, rangeOf(metadata.items[0]?.key)[0]);
    return [insertFirstPair(ctx, metadata, `annotations:${lineBreak(ctx)}${' '.repeat(column + 2)}${entry}`), ...edits];
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
    const apiVersion = stringValue(ctx, nodeAt(ctx, resource, 'apiVersion'));
    const beta = apiVersion.known && apiVersion.value.endsWith('/v1beta1');
    const className = nodeAt(ctx, resource, 'spec', 'ingressClassName') ?? nodeAt(ctx, resource, 'metadata', 'annotations', 'kubernetes.io/ingress.class');
    ctx.facts.ingresses.push({
      name,
      ...place,
      source,
      ingressClass: stringValue(ctx, className),
      apiVersion,
      v1SpecEdits: beta ? ingressV1SpecEdits(ctx, resource) : undefined,
    });
  } else if (kind === 'Route' && group === 'route.openshift.io') {
    ctx.facts.ingressBackends.push(...readRouteBackends(ctx, resource, { name, ...place }));
  } else {
    return false;
  }
  return true;
}
