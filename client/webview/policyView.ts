// The policy graph view: the NetworkPolicy graph (namespaces as boxes, workloads and the outside as nodes, the flows
// the policies allow as arrows with their ports), coloured by change when compared with a git revision.
import type { MapGraphEdge, MapGraphNode, MapPolicyGraph, NetworkMapData } from '../../server/src/service/networkMapData';
import { Canvas, drawEdge, el, PAD, text, title } from './canvas';

/** What a change against the compared revision is called in the legend and the details. */
const CHANGE_LABEL: Record<NonNullable<MapGraphEdge['change']>, string> = { added: 'added', removed: 'removed', changed: 'changed' };

export class PolicyView extends Canvas {
  draw(data: NetworkMapData): void {
    if (data.policyGraph) this.add(this.policyGraph(data.policyGraph));
    else this.add(this.line(data.focus ? `No workload name contains "${data.focus}".` : 'No workloads in this workspace: the policy graph shows the flows between Deployments, StatefulSets, DaemonSets and Pods.', 'note', 28, 16));
  }

  /** The NetworkPolicy graph: namespaces as boxes, workloads and the outside as nodes, allowed flows as arrows with ports. */
  private policyGraph(graph: MapPolicyGraph): SVGGElement {
    const group = el('g', { class: 'policy-graph' });
    this.y += 8;
    group.appendChild(text('NetworkPolicy flows', { x: PAD, y: this.y + 18, class: 'section-title' }));
    this.y += 26;
    // Removed flows (drawn when compared with a revision) are not allowed any more.
    const allowed = graph.edges.filter((edge) => edge.change !== 'removed').length;
    const summary = graph.omitted ?? `${allowed} allowed flow${allowed === 1 ? '' : 's'} under ${graph.policies} polic${graph.policies === 1 ? 'y' : 'ies'}. A bar on a node's left (right) side: a policy isolates it for ingress (egress), so only the arrows shown get in (out).`;
    group.appendChild(title(summary));
    group.appendChild(this.fitLater(text(summary, { x: PAD, y: this.y + 10, class: 'note' }), this.options.width - 2 * PAD));
    this.y += 20;
    if (graph.note) {
      const note = el('g', { class: 'graph-note' });
      note.appendChild(title(graph.note));
      note.appendChild(this.fitLater(text(graph.note, { x: PAD, y: this.y + 10, class: 'note' }), this.options.width - 2 * PAD));
      group.appendChild(note);
      this.y += 20;
    }
    for (const warning of graph.warnings) {
      group.appendChild(this.fitLater(text(`Not evaluated: ${warning}`, { x: PAD, y: this.y + 10, class: 'reserved-text' }), this.options.width - 2 * PAD));
      this.y += 17;
    }
    if (graph.changes) group.appendChild(this.changeLegend(graph.changes));
    if (graph.omitted || graph.nodes.length === 0) {
      this.y += 10;
      return group;
    }
    const { group: canvas, scale } = this.diagram(graph.width);
    for (const ns of graph.groups) {
      const box = el('g', { class: 'ns-group', 'data-namespace': ns.namespace });
      box.appendChild(title(`Namespace ${ns.namespace}`));
      box.appendChild(el('rect', { x: ns.x, y: ns.y, width: ns.width, height: ns.height, rx: 6, class: 'frame' }));
      box.appendChild(this.fitLater(text(`namespace ${ns.namespace}`, { x: ns.x + 10, y: ns.y + 18, class: 'ns-title' }), ns.width - 20));
      canvas.appendChild(box);
    }
    const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    for (const edge of graph.edges) canvas.appendChild(this.flowEdge(edge, nodes));
    for (const node of graph.nodes) canvas.appendChild(this.flowNode(node));
    group.appendChild(canvas);
    this.placed(scale, graph.width, graph.height, 12);
    return group;
  }

  /** The colours of a compared graph: added, removed (dashed), changed, unchanged, each with its count. */
  private changeLegend(changes: NonNullable<MapPolicyGraph['changes']>): SVGGElement {
    const group = el('g', { class: 'change-legend' });
    const items: [string, string][] = [
      ['added', `${CHANGE_LABEL.added} (${changes.added})`],
      ['removed', `${CHANGE_LABEL.removed} (${changes.removed})`],
      ['changed', `${CHANGE_LABEL.changed} (${changes.changed})`],
      ['unchanged', 'unchanged'],
    ];
    let x = PAD;
    for (const [change, label] of items) {
      const item = el('g', { class: `legend-item ${change}`, 'data-change': change });
      item.appendChild(el('line', { x1: x, y1: this.y + 6, x2: x + 22, y2: this.y + 6, class: 'edge-line' }));
      item.appendChild(text(label, { x: x + 28, y: this.y + 10, class: 'legend-text' }));
      group.appendChild(item);
      x += 40 + label.length * 6.6;
    }
    group.appendChild(title('Flows compared with the revision: added and changed since it, removed (dashed: allowed then, not now), unchanged as drawn without a comparison.'));
    this.y += 20;
    return group;
  }

  private flowNode(node: MapGraphNode): SVGGElement {
    const isolation = [node.ingressIsolated ? 'ingress' : '', node.egressIsolated ? 'egress' : ''].filter(Boolean);
    const group = el('g', {
      class: ['flow-node', node.kind, node.ingressIsolated ? 'ingress-isolated' : '', node.egressIsolated ? 'egress-isolated' : '', node.change ?? ''].filter(Boolean).join(' '),
      'data-peer': node.peer,
      'data-change': node.change,
    });
    const detail =
      node.kind === 'workload' || node.kind === 'namespace'
        ? `${node.kind === 'namespace' ? 'collapsed; ' : ''}${isolation.length ? `isolated: ${isolation.join(', ')}` : 'not isolated: all allowed'}`
        : node.kind === 'external'
          ? 'outside the cluster'
          : 'traffic from Ingress rules';
    group.appendChild(
      title([node.peer, detail, ...(node.policies.length ? [`selected by ${node.policies.join(', ')}`] : []), ...(node.change ? [`workload ${node.change} since the compared revision`] : [])].join('\n')),
    );
    group.appendChild(el('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: node.kind === 'workload' ? 4 : 14, class: 'frame' }));
    if (node.ingressIsolated) group.appendChild(el('rect', { x: node.x, y: node.y + 3, width: 4, height: node.height - 6, class: 'isolation-bar' }));
    if (node.egressIsolated) group.appendChild(el('rect', { x: node.x + node.width - 4, y: node.y + 3, width: 4, height: node.height - 6, class: 'isolation-bar' }));
    group.appendChild(this.fitLater(text(node.label, { x: node.x + 10, y: node.y + 19, class: 'node-label' }), node.width - 20));
    group.appendChild(this.fitLater(text(detail, { x: node.x + 10, y: node.y + 35, class: 'node-detail' }), node.width - 20));
    this.interactive(group, `${node.peer}, ${detail}`, node.source, `flow-node:${node.peer}:${node.id}`);
    return group;
  }

  private flowEdge(edge: MapGraphEdge, nodes: ReadonlyMap<string, MapGraphNode>): SVGGElement {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    const group = el('g', {
      class: ['flow-edge', edge.change ?? ''].filter(Boolean).join(' '),
      'data-from-peer': from?.peer ?? '',
      'data-to-peer': to?.peer ?? '',
      'data-ports': edge.ports,
      'data-change': edge.change,
    });
    const lines = edgeDetails(edge, from, to);
    group.appendChild(title(lines.join('\n')));
    drawEdge(group, edge.points, edge.label, edge.ports, true, edge.change ? `flow-arrow-${edge.change}` : 'flow-arrow');
    this.interactive(group, `Flow ${from?.peer ?? ''} to ${to?.peer ?? ''}: ${edge.ports}${edge.change ? `, ${edge.change}` : ''}`, edge.source, `flow-edge:${edge.id}:${from?.peer}:${to?.peer}`);
    this.detailsOn(group, lines);
    return group;
  }
}

/** What a flow edge's tooltip and details say: the peers, the ports, how it changed, the rules that allow it, what a click reveals. */
function edgeDetails(edge: MapGraphEdge, from: MapGraphNode | undefined, to: MapGraphNode | undefined): string[] {
  const change =
    edge.change === 'removed'
      ? [`Removed since the compared revision, which allowed ${edge.ports}`]
      : edge.change === 'changed'
        ? [`Changed since the compared revision, which allowed ${edge.before ?? 'other connections'}`]
        : edge.change === 'added'
          ? ['Added since the compared revision']
          : [];
  return [
    `${from?.label ?? edge.from} \u2192 ${to?.label ?? edge.to}: ${edge.ports}`,
    ...change,
    ...(edge.allowedBy ?? []).map((rule) => `Allowed by ${rule.text}`),
    ...(edge.source ? ['(click: the policy that allows it)'] : []),
  ];
}
