// The parts of Kubernetes objects that traffic flows depend on: labels, label selectors, pod templates and their
// container ports, owners, NetworkPolicy specs, Namespaces, Service selectors and ports, Ingress and Route backends.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type {
  ContainerPort,
  IngressBackend,
  IpBlock,
  KubernetesNetworkPolicy,
  LabelRequirement,
  LabelSelector,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
  OwnerReference,
  ServicePort,
} from '../../model/network';
import { isNotSet, known, notSet, type Source, type Unknown, unknown, type Value } from '../../model/source';
import {
  booleanValue,
  cidrValue,
  entriesAt,
  isPlaceholder,
  itemsAt,
  nameAt,
  nodeAt,
  numberValue,
  type ReadContext,
  scalarText,
  sourceOf,
  stringValue,
} from './yamlTree';

/** metadata.namespace: known, not set (the `default` namespace) or unknown (a placeholder). */
export function namespaceOf(ctx: ReadContext, resource: Node): { namespace: string | undefined; namespaceUnknown: boolean } {
  const node = nodeAt(ctx, resource, 'metadata', 'namespace');
  const value = stringValue(ctx, node);
  if (value.known) return { namespace: value.value, namespaceUnknown: false };
  return { namespace: undefined, namespaceUnknown: !isNotSet(value) && scalarText(node) !== undefined };
}

/** A map of labels (metadata.labels, a Service selector); each value may be unknown. */
export function labelsAt(ctx: ReadContext, root: Node | undefined, ...path: string[]): Map<string, Value<string>> {
  const labels = new Map<string, Value<string>>();
  for (const [key, value] of entriesAt(ctx, root, ...path)) {
    labels.set(key, isPlaceholder(key) ? unknown(`template placeholder ${key}`, sourceOf(ctx, value)) : stringValue(ctx, value));
  }
  return labels;
}

/** A map of labels that is known only when every key and value is. */
function knownLabels(ctx: ReadContext, node: Node | undefined, at?: Source): Value<ReadonlyMap<string, string>> {
  if (node === undefined) return notSet();
  const source = at ?? sourceOf(ctx, node);
  if (isScalar(node) && node.value === null) return known(new Map(), source);
  if (!isMap(node)) return unknown('not a map of labels', source);
  const labels = new Map<string, string>();
  for (const [key, value] of labelsAt(ctx, node)) {
    if (!value.known) return unknown(`label ${key}: ${value.reason}`, value.source ?? source);
    labels.set(key, value.value);
  }
  return known(labels, source);
}

/** The text of a value already checked to be known. */
const textOf = (value: Value<string>): string => (value.known ? value.value : '');

const OPERATORS: readonly LabelRequirement['operator'][] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** The source of a map key (one line), e.g. `podSelector` in `podSelector: {...}`. */
function keySource(ctx: ReadContext, parent: Node | undefined, key: string): Source | undefined {
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  const range = (pair?.key as Node | undefined)?.range;
  return range ? { uri: ctx.uri, start: range[0], end: range[1] } : undefined;
}

/**
 * A label selector (matchLabels AND matchExpressions); `{}` or null selects everything; unknown on placeholders.
 * Its source is `at` when given (the selector's key, one line for messages), else the selector itself.
 */
export function labelSelectorValue(ctx: ReadContext, node: Node, at?: Source): Value<LabelSelector> {
  const source = at ?? sourceOf(ctx, node);
  if (isScalar(node) && node.value === null) return known({ matchLabels: new Map(), matchExpressions: [] }, source);
  if (!isMap(node)) return unknown(isPlaceholder(scalarText(node) ?? '') ? `template placeholder ${scalarText(node)}` : 'not a label selector', source);
  const matchLabels = knownLabels(ctx, nodeAt(ctx, node, 'matchLabels'));
  if (!matchLabels.known && !isNotSet(matchLabels)) return unknown(`matchLabels: ${matchLabels.reason}`, matchLabels.source ?? source);
  const matchExpressions: LabelRequirement[] = [];
  for (const item of itemsAt(ctx, node, 'matchExpressions')) {
    const key = stringValue(ctx, nodeAt(ctx, item, 'key'));
    const operator = stringValue(ctx, nodeAt(ctx, item, 'operator'));
    const valuesNode = nodeAt(ctx, item, 'values');
    const values = isSeq(valuesNode) ? itemsAt(ctx, valuesNode).map((value) => stringValue(ctx, value)) : [];
    const problem = [key, operator, ...values].find((value): value is Unknown => !value.known);
    if (problem) return unknown(`matchExpressions: ${problem.reason}`, problem.source ?? sourceOf(ctx, item));
    const op = textOf(operator) as LabelRequirement['operator'];
    if (!OPERATORS.includes(op)) return unknown(`'${op}' is not a label selector operator`, sourceOf(ctx, item));
    matchExpressions.push({ key: textOf(key), operator: op, values: values.map(textOf) });
  }
  return known({ matchLabels: matchLabels.known ? matchLabels.value : new Map(), matchExpressions }, source);
}

/** An int-or-string port field: a number, or the name of a container or service port. */
export function portValue(ctx: ReadContext, node: Node | undefined): Value<number | string> {
  const text = stringValue(ctx, node);
  if (!text.known) return text;
  if (/^\d+$/.test(text.value)) return known(Number(text.value), text.source);
  return known(text.value, text.source);
}

/** Where a workload kind keeps its pod template. */
function podTemplatePath(kind: string): string[] {
  if (kind === 'Pod') return [];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template'];
  return ['spec', 'template'];
}

/** The pod labels and container ports of a Pod or of a controller's pod template. */
export function podTemplate(ctx: ReadContext, resource: Node, kind: string): { labels: Map<string, Value<string>>; containerPorts: ContainerPort[] } {
  const template = nodeAt(ctx, resource, ...podTemplatePath(kind));
  const containerPorts: ContainerPort[] = [];
  for (const container of itemsAt(ctx, template, 'spec', 'containers')) {
    for (const port of itemsAt(ctx, container, 'ports')) {
      containerPorts.push({
        source: sourceOf(ctx, port),
        name: nameAt(ctx, port, 'name'),
        containerPort: numberValue(ctx, nodeAt(ctx, port, 'containerPort')),
        protocol: stringValue(ctx, nodeAt(ctx, port, 'protocol')),
      });
    }
  }
  return { labels: labelsAt(ctx, template, 'metadata', 'labels'), containerPorts };
}

/** The owner of an object: its controller reference, else its first owner reference. */
export function ownerOf(ctx: ReadContext, resource: Node): OwnerReference | undefined {
  const references = itemsAt(ctx, resource, 'metadata', 'ownerReferences');
  const controller = references.find((reference) => {
    const flag = booleanValue(ctx, nodeAt(ctx, reference, 'controller'));
    return flag.known && flag.value;
  });
  const reference = controller ?? references[0];
  const name = reference && nameAt(ctx, reference, 'name');
  return name === undefined ? undefined : { kind: nameAt(ctx, reference, 'kind'), name };
}

function readPort(ctx: ReadContext, node: Node): NetworkPolicyPort {
  return {
    source: sourceOf(ctx, node),
    protocol: stringValue(ctx, nodeAt(ctx, node, 'protocol')),
    port: portValue(ctx, nodeAt(ctx, node, 'port')),
    endPort: numberValue(ctx, nodeAt(ctx, node, 'endPort')),
  };
}

function readIpBlock(ctx: ReadContext, node: Node): IpBlock {
  return {
    source: sourceOf(ctx, node),
    cidr: cidrValue(ctx, nodeAt(ctx, node, 'cidr'), 'network-policy-ip-block'),
    except: itemsAt(ctx, node, 'except').map((item) => cidrValue(ctx, item, 'network-policy-ip-block')),
  };
}

function readPeer(ctx: ReadContext, node: Node): NetworkPolicyPeer {
  const selector = (field: string) => {
    const selectorNode = nodeAt(ctx, node, field);
    return selectorNode === undefined ? undefined : labelSelectorValue(ctx, selectorNode, keySource(ctx, node, field));
  };
  const ipBlock = nodeAt(ctx, node, 'ipBlock');
  return {
    source: sourceOf(ctx, node),
    podSelector: selector('podSelector'),
    namespaceSelector: selector('namespaceSelector'),
    ipBlock: ipBlock === undefined ? undefined : readIpBlock(ctx, ipBlock),
  };
}

function readRules(ctx: ReadContext, spec: Node | undefined, direction: 'ingress' | 'egress'): NetworkPolicyRule[] {
  const peersField = direction === 'ingress' ? 'from' : 'to';
  return itemsAt(ctx, spec, direction).map((rule) => ({
    source: sourceOf(ctx, rule),
    peers: itemsAt(ctx, rule, peersField).map((peer) => readPeer(ctx, peer)),
    ports: itemsAt(ctx, rule, 'ports').map((port) => readPort(ctx, port)),
  }));
}

/** The spec of a NetworkPolicy; a missing podSelector selects every pod of the namespace, as the API does. */
export function readNetworkPolicySpec(
  ctx: ReadContext,
  resource: Node,
): Pick<KubernetesNetworkPolicy, 'podSelector' | 'policyTypes' | 'ingress' | 'egress'> {
  const spec = nodeAt(ctx, resource, 'spec');
  const podSelectorNode = nodeAt(ctx, spec, 'podSelector');
  const podSelector: Value<LabelSelector> =
    podSelectorNode === undefined
      ? known({ matchLabels: new Map(), matchExpressions: [] }, sourceOf(ctx, spec ?? resource))
      : labelSelectorValue(ctx, podSelectorNode, keySource(ctx, spec, 'podSelector'));
  const typesNode = nodeAt(ctx, spec, 'policyTypes');
  let policyTypes: Value<readonly string[]> = notSet();
  if (typesNode !== undefined) {
    const types = isSeq(typesNode) ? itemsAt(ctx, typesNode).map((item) => stringValue(ctx, item)) : [];
    const problem = types.find((type): type is Unknown => !type.known);
    if (!isSeq(typesNode)) policyTypes = unknown('not a list of policy types', sourceOf(ctx, typesNode));
    else if (problem) policyTypes = unknown(problem.reason, problem.source ?? sourceOf(ctx, typesNode));
    else policyTypes = known(types.map(textOf), sourceOf(ctx, typesNode));
  }
  return { podSelector, policyTypes, ingress: readRules(ctx, spec, 'ingress'), egress: readRules(ctx, spec, 'egress') };
}

/** A Service's selector and ports. */
export function readServiceRouting(ctx: ReadContext, resource: Node): { selector: Value<ReadonlyMap<string, string>>; ports: ServicePort[] } {
  return {
    // The key `selector` is the source: one line for messages about the whole selector.
    selector: knownLabels(ctx, nodeAt(ctx, resource, 'spec', 'selector'), keySource(ctx, nodeAt(ctx, resource, 'spec'), 'selector')),
    ports: itemsAt(ctx, resource, 'spec', 'ports').map((port) => ({
      source: sourceOf(ctx, port),
      name: nameAt(ctx, port, 'name'),
      port: numberValue(ctx, nodeAt(ctx, port, 'port')),
      targetPort: portValue(ctx, nodeAt(ctx, port, 'targetPort')),
      protocol: stringValue(ctx, nodeAt(ctx, port, 'protocol')),
    })),
  };
}

type BackendPlace = Pick<IngressBackend, 'name' | 'namespace' | 'namespaceUnknown'>;

/** Every backend of an Ingress (networking.k8s.io/v1 and the older extensions/v1beta1 form). */
export function readIngressBackends(ctx: ReadContext, resource: Node, place: BackendPlace): IngressBackend[] {
  const backends = [
    nodeAt(ctx, resource, 'spec', 'defaultBackend'),
    nodeAt(ctx, resource, 'spec', 'backend'),
    ...itemsAt(ctx, resource, 'spec', 'rules').flatMap((rule) =>
      itemsAt(ctx, rule, 'http', 'paths').map((path) => nodeAt(ctx, path, 'backend')),
    ),
  ].filter((node): node is Node => node !== undefined);
  return backends.flatMap((backend): IngressBackend[] => {
    const service = nodeAt(ctx, backend, 'service');
    const serviceName = stringValue(ctx, service ? nodeAt(ctx, service, 'name') : nodeAt(ctx, backend, 'serviceName'));
    if (isNotSet(serviceName)) return []; // a resource backend, not a Service
    const portNode = service
      ? (nodeAt(ctx, service, 'port', 'number') ?? nodeAt(ctx, service, 'port', 'name'))
      : nodeAt(ctx, backend, 'servicePort');
    return [{ kind: 'Ingress', ...place, source: sourceOf(ctx, backend), serviceName, servicePort: portValue(ctx, portNode) }];
  });
}

/** The Services an OpenShift Route sends traffic to (spec.to and spec.alternateBackends), at its target port. */
export function readRouteBackends(ctx: ReadContext, resource: Node, place: BackendPlace): IngressBackend[] {
  const targetPort = portValue(ctx, nodeAt(ctx, resource, 'spec', 'port', 'targetPort'));
  const targets = [nodeAt(ctx, resource, 'spec', 'to'), ...itemsAt(ctx, resource, 'spec', 'alternateBackends')];
  return targets
    .filter((node): node is Node => node !== undefined && (nameAt(ctx, node, 'kind') ?? 'Service') === 'Service')
    .map((node) => ({
      kind: 'Route' as const,
      ...place,
      source: sourceOf(ctx, node),
      serviceName: stringValue(ctx, nodeAt(ctx, node, 'name')),
      servicePort: targetPort,
    }));
}
