// Hover on a NetworkPolicy's or Service's selectors: which workloads they select, and for a policy what all the
// policies of its file together let in and out of those workloads (the flow engine, run on that file alone,
// as the NetworkPolicy rules judge a policy by its own file). Hover on a NetworkPolicy rule: the connections of
// the file that this rule allows, as the explain engine (flows/explain.ts) names the rules behind each.
import { formatCidr, formatCount, formatIp } from '../cidr/cidr';
import { analyzeFlows, type Flow } from '../flows/engine';
import { createExplainer, type DirectionExplanation } from '../flows/explain';
import { PortSet } from '../flows/ports';
import { describeSelector, labelSet, mapSelectorMatches, selectorMatches } from '../flows/labels';
import { policyTypesOf } from '../flows/policies';
import { peerName } from '../flows/topology';
import {
  emptyModel,
  type KubernetesNetworkPolicy,
  type KubernetesService,
  type LabelSelector,
  type NetworkModel,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type Workload,
} from '../model/network';
import { isNotSet, type Source, type Value } from '../model/source';
import { ANNOTATIONS, annotation, isInternal, isLoadBalancer, loadBalancerSubnet, namespaceOf, onlyCluster } from '../model/queries';

/** How many flows a hover lists per direction before it counts the rest. */
const LISTED = 8;

const inside = (source: Source | undefined, uri: string, offset: number) =>
  source !== undefined && source.uri === uri && source.start <= offset && offset <= source.end;

/** The Kubernetes objects of one file, as a model of their own. */
function fileModel(model: NetworkModel, uri: string): NetworkModel {
  const mine = <T extends { source: Source }>(items: readonly T[]) => items.filter((item) => item.source.uri === uri);
  return {
    ...emptyModel(),
    workloads: mine(model.workloads),
    policies: mine(model.policies),
    namespaces: mine(model.namespaces),
    services: mine(model.services),
    ingressBackends: mine(model.ingressBackends),
  };
}

/** The workloads of one namespace of the file a selector selects: certain ones, and those it may select. */
function selected(workloads: readonly Workload[], namespace: string, matches: (workload: Workload) => boolean | undefined) {
  const here = workloads.filter((w) => !w.namespaceUnknown && namespaceOf(w) === namespace);
  const names = (list: Workload[]) => [...new Set(list.map((w) => peerName(w, namespace)))];
  return { total: here.length, certain: names(here.filter((w) => matches(w) === true)), possible: names(here.filter((w) => matches(w) === undefined)) };
}

function selectionLine(what: string, namespace: string, selection: ReturnType<typeof selected>): string {
  if (selection.total === 0) return `${what}: this file holds no workload of namespace ${namespace} (its pods may be deployed elsewhere)`;
  const maybe = selection.possible.length > 0 ? `; maybe (labels not known): ${selection.possible.join(', ')}` : '';
  if (selection.certain.length === 0) return `${what}: none of the ${selection.total} workload(s) of namespace ${namespace} in this file${maybe}`;
  return `${what} ${selection.certain.length} of ${selection.total} workload(s) of namespace ${namespace} in this file: ${selection.certain.join(', ')}${maybe}`;
}

function listFlows(title: string, flows: readonly Flow[], peer: (flow: Flow) => string): string[] {
  if (flows.length === 0) return ['', `${title}: nothing`];
  const lines = flows.slice(0, LISTED).map((flow) => `- ${peer(flow)}: ${flow.conn}`);
  if (flows.length > LISTED) lines.push(`- … and ${formatCount(flows.length - LISTED)} more (\`netlens flows\` lists them all)`);
  return ['', `${title}:`, ...lines];
}

const valueText = <T>(value: Value<T>, fallback = '?') => (value.known ? String(value.value) : fallback);

/** "TCP 5432", "UDP 53", "TCP 8000-8080", "TCP port http", "any port" for a rule's ports. */
function portsInWords(ports: readonly NetworkPolicyPort[]): string {
  if (ports.length === 0) return 'any port';
  return ports
    .map((p) => {
      const protocol = isNotSet(p.protocol) ? 'TCP' : valueText(p.protocol);
      if (isNotSet(p.port)) return `${protocol} any port`;
      const port = valueText(p.port);
      const end = p.endPort.known ? `-${p.endPort.value}` : '';
      return p.port.known && typeof p.port.value === 'string' ? `${protocol} port ${port}` : `${protocol} ${port}${end}`;
    })
    .join(', ');
}

/** A from/to entry in words: "pods app=web in this namespace", "all pods in namespaces team=a", an ipBlock. */
function peerInWords(peer: NetworkPolicyPeer): string {
  if (peer.ipBlock) {
    const except = peer.ipBlock.except.map((e) => (e.known ? formatCidr(e.value) : '?'));
    return `${peer.ipBlock.cidr.known ? formatCidr(peer.ipBlock.cidr.value) : '?'}${except.length ? ` except ${except.join(', ')}` : ''}`;
  }
  const pods = peer.podSelector?.known ? describeSelector(peer.podSelector.value) : peer.podSelector ? '?' : undefined;
  const namespaces = peer.namespaceSelector?.known ? describeSelector(peer.namespaceSelector.value) : peer.namespaceSelector ? '?' : undefined;
  if (namespaces === undefined) return pods === '{}' ? 'all pods in this namespace' : `pods \`${pods}\` in this namespace`;
  const where = namespaces === '{}' ? 'all namespaces' : `namespaces \`${namespaces}\``;
  return pods === undefined || pods === '{}' ? `all pods in ${where}` : `pods \`${pods}\` in ${where}`;
}

/** What the policy's own rules allow, one line per direction it isolates ("everything else denied"). */
function policyInWords(policy: KubernetesNetworkPolicy): string[] {
  const types = policyTypesOf(policy);
  if (!types) return ['Its policyTypes cannot be evaluated.'];
  const lines: string[] = [];
  for (const [type, rules, word] of [['Ingress', policy.ingress, 'from'], ['Egress', policy.egress, 'to']] as const) {
    if (!types.has(type)) continue;
    if (rules.length === 0) {
      lines.push(`- ${type}: nothing (no rule; all denied).`);
      continue;
    }
    const allowed = rules.map((rule) => `${portsInWords(rule.ports)} ${rule.peers.length === 0 ? `${word} anywhere` : `${word} ${rule.peers.map(peerInWords).join(' or ')}`}`);
    lines.push(`- ${type}: ${allowed.join('; ')}; everything else denied.`);
  }
  return lines;
}

function describePolicy(model: NetworkModel, policy: KubernetesNetworkPolicy, selector: LabelSelector): string[] {
  const namespace = namespaceOf(policy);
  const file = fileModel(model, policy.source.uri);
  const selection = selected(file.workloads, namespace, (w) => selectorMatches(selector, labelSet(w.labels)));
  const lines = [
    `**NetworkPolicy ${policy.name}** · namespace ${namespace} · selects \`${describeSelector(selector)}\``,
    '',
    'On the pods it selects, this policy allows:',
    ...policyInWords(policy),
    '',
    selectionLine('Selects', namespace, selection),
  ];
  if (selection.certain.length === 0) return lines;
  const peers = new Set(selection.certain);
  const { flows } = analyzeFlows(file);
  // With one selected workload the other end is enough; with several, each line names both.
  const one = peers.size === 1;
  lines.push(
    '',
    'With every NetworkPolicy of this file applied:',
    ...listFlows('Allowed in', flows.filter((f) => peers.has(f.dst)), (f) => (one ? `from ${f.src}` : `${f.src} → ${f.dst}`)),
    ...listFlows('Allowed out', flows.filter((f) => peers.has(f.src)), (f) => (one ? `to ${f.dst}` : `${f.src} → ${f.dst}`)),
  );
  return lines;
}

function describeService(model: NetworkModel, service: KubernetesService, selector: ReadonlyMap<string, string>): string[] {
  const namespace = namespaceOf(service);
  const file = fileModel(model, service.source.uri);
  const wanted = [...selector].map(([key, value]) => `${key}=${value}`).join(', ');
  const selection = selected(file.workloads, namespace, (w) => mapSelectorMatches(selector, labelSet(w.labels)));
  const ports = service.ports.map((port) => {
    const number = port.port.known ? String(port.port.value) : '?';
    const target = port.targetPort.known ? String(port.targetPort.value) : number;
    const protocol = port.protocol.known ? port.protocol.value : 'TCP';
    return `${port.name ? `${port.name} ` : ''}${number} → ${target}/${protocol}`;
  });
  return [
    `**Service ${service.name}** · namespace ${namespace} · selects \`${wanted}\``,
    '',
    selectionLine('Sends traffic to', namespace, selection),
    ...(ports.length > 0 ? [`Ports: ${ports.join(', ')}`] : []),
    ...loadBalancerLine(model, service),
  ];
}

/** For a LoadBalancer Service: public or internal, its IP, and the subnet an internal one takes it from. */
function loadBalancerLine(model: NetworkModel, service: KubernetesService): string[] {
  if (!isLoadBalancer(service)) return [];
  const ip = service.loadBalancerIp.known ? `IP ${formatIp(service.loadBalancerIp.value)}` : 'an IP Azure assigns';
  if (!isInternal(service)) return [`Load balancer: public, ${ip}`];
  const cluster = onlyCluster(model);
  const subnet = cluster && loadBalancerSubnet(model, cluster, service);
  const prefixes = subnet ? subnet.prefixes.flatMap((p) => (p.known ? [formatCidr(p.value)] : [])).join(', ') : '';
  const named = annotation(service, ANNOTATIONS.internalSubnet);
  const where = subnet ? ` in subnet ${subnet.name}${prefixes ? ` (${prefixes})` : ''}` : named ? ` in subnet ${named.value} (not found in the cluster's VNet)` : '';
  return [`Load balancer: internal, ${ip}${where}`];
}

/** More allowed flows than this are not explained one by one in a rule hover. */
const EXPLAINED_FLOWS = 500;

/**
 * Markdown for a NetworkPolicy rule at the offset (an `ingress` or `egress` item): the connections among the file's
 * workloads it allows, each with the ports this rule allows (explain: the rule is an allowing reason of that direction).
 */
export function describeRuleAt(model: NetworkModel, uri: string, offset: number): { lines: string[]; source: Source } | undefined {
  for (const policy of model.policies) {
    if (!inside(policy.source, uri, offset) || policy.namespaceUnknown) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      const index = policy[direction].findIndex((rule) => inside(rule.source, uri, offset));
      if (index < 0) continue;
      const rule = policy[direction][index]!;
      const heading = `**${direction === 'ingress' ? 'Ingress' : 'Egress'} rule #${index + 1}** of NetworkPolicy ${namespaceOf(policy)}/${policy.name}`;
      const file = fileModel(model, uri);
      const { flows } = analyzeFlows(file);
      if (flows.length > EXPLAINED_FLOWS) {
        return { lines: [heading, '', `The file allows ${formatCount(flows.length)} connections: too many to explain in a hover (\`netlens flows --explain\` explains them).`], source: rule.source };
      }
      const explainer = createExplainer(file);
      const isThisRule = (side: DirectionExplanation) =>
        side.reasons.some((reason) => reason.kind === 'rule' && reason.effect === 'allow' && reason.rule?.source.uri === rule.source.uri && reason.rule.source.start === rule.source.start);
      const allowed: Flow[] = [];
      for (const flow of flows) {
        const groups = explainer.explain(flow.src, flow.dst)?.groups.filter((group) => group.allowed && isThisRule(group[direction])) ?? [];
        if (groups.length === 0) continue;
        allowed.push({ src: flow.src, dst: flow.dst, conn: groups.reduce((ports, group) => ports.union(group.ports), PortSet.EMPTY).toString() });
      }
      const title = `Allows, among this file's workloads`;
      return { lines: [heading, ...listFlows(title, allowed, (flow) => `${flow.src} → ${flow.dst}`)], source: rule.source };
    }
  }
  return undefined;
}

/** Markdown for a selector at the offset: a policy's podSelector, a policy peer's selector, or a Service's selector. */
export function describeSelectorAt(model: NetworkModel, uri: string, offset: number): { lines: string[]; source: Source } | undefined {
  for (const policy of model.policies) {
    if (!inside(policy.source, uri, offset) || policy.namespaceUnknown) continue;
    if (inside(policy.podSelector.source, uri, offset) && policy.podSelector.known) {
      return { lines: describePolicy(model, policy, policy.podSelector.value), source: policy.podSelector.source };
    }
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers) {
        const pod = peer.podSelector;
        if (!pod?.known || peer.namespaceSelector || !inside(pod.source, uri, offset)) continue;
        const namespace = namespaceOf(policy);
        const selection = selected(fileModel(model, uri).workloads, namespace, (w) => selectorMatches(pod.value, labelSet(w.labels)));
        return { lines: [`**Peer** \`${describeSelector(pod.value)}\` · pods of namespace ${namespace}`, '', selectionLine('Matches', namespace, selection)], source: pod.source };
      }
    }
  }
  for (const service of model.services) {
    const selector = service.selector;
    if (!selector.known || selector.value.size === 0 || service.namespaceUnknown || !inside(selector.source, uri, offset)) continue;
    return { lines: describeService(model, service, selector.value), source: selector.source };
  }
  return undefined;
}
