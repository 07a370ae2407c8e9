// The traffic paths view: how traffic reaches the workloads (load balancers, node ports, Ingresses, Services) and
// how it leaves each cluster, stop by stop; a hop with a verdict says what decides it, a denied one in the error colour.
import type { MapPathEdge, MapPathGraph, MapPathNode, NetworkMapData } from '../../server/src/service/networkMapData';
import { Canvas, drawEdge, el, PAD, text, title } from './canvas';

export class PathView extends Canvas {
  draw(data: NetworkMapData): void {
    const paths = data.trafficPaths;
    const graphs = paths ? [...(paths.ingress ? [paths.ingress] : []), ...paths.egress] : [];
    if (graphs.length === 0) this.add(this.line('No traffic paths: the workspace declares no cluster and no Service that takes traffic.', 'note', 28, 16));
    for (const graph of graphs) this.add(this.pathGraph(graph));
    if (paths?.omittedEgress) this.add(this.line(`Egress of ${paths.omittedEgress} more cluster(s) not drawn: open a cluster's file to draw its own first.`, 'note', 22, 10));
  }

  /** One traffic diagram: stops left to right (clients, load balancers, Services, workloads; nodes, SNAT, routes). */
  private pathGraph(graph: MapPathGraph): SVGGElement {
    const group = el('g', { class: 'path-graph', 'data-title': graph.title });
    group.appendChild(this.fitLater(text(graph.title, { x: PAD, y: this.y + 14, class: 'range-title' }), this.options.width - 2 * PAD));
    this.y += 22;
    for (const note of graph.notes) {
      group.appendChild(this.fitLater(text(note, { x: PAD, y: this.y + 10, class: 'reserved-text' }), this.options.width - 2 * PAD));
      this.y += 17;
    }
    const { group: canvas, scale } = this.diagram(graph.width);
    const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    for (const edge of graph.edges) canvas.appendChild(this.pathEdge(edge, nodes));
    for (const node of graph.nodes) canvas.appendChild(this.pathNode(node));
    group.appendChild(canvas);
    this.placed(scale, graph.width, graph.height, 14);
    return group;
  }

  private pathNode(node: MapPathNode): SVGGElement {
    const group = el('g', { class: `path-node ${node.kind}`, 'data-id': node.id, 'data-kind': node.kind, 'data-label': node.label });
    group.appendChild(title(`${node.label}\n${node.detail}${node.source ? '\n(click: where it is written)' : ''}`));
    const rounded = node.kind === 'internet' || node.kind === 'vnet-clients' ? 22 : node.kind === 'workload' ? 4 : 10;
    group.appendChild(el('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: rounded, class: 'frame' }));
    group.appendChild(this.fitLater(text(node.label, { x: node.x + 10, y: node.y + 19, class: 'node-label' }), node.width - 20));
    group.appendChild(this.fitLater(text(node.detail, { x: node.x + 10, y: node.y + 35, class: 'node-detail' }), node.width - 20));
    this.interactive(group, `${node.label}, ${node.detail}`, node.source, `path-node:${node.kind}:${node.id}`);
    return group;
  }

  private pathEdge(edge: MapPathEdge, nodes: ReadonlyMap<string, MapPathNode>): SVGGElement {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    const verdict = edge.verdict;
    const classes = ['path-edge', edge.assumed ? 'assumed' : '', verdict ? verdict.decision : ''].filter(Boolean).join(' ');
    const group = el('g', { class: classes, 'data-from': from?.label ?? '', 'data-to': to?.label ?? '', 'data-text': edge.text, ...(verdict ? { 'data-verdict': verdict.decision } : {}) });
    const hop = `${from?.label ?? edge.from} \u2192 ${to?.label ?? edge.to}${edge.text ? `: ${edge.text}` : ''}`;
    // A decided hop says what decides it; a click reveals it (a denied hop is drawn in the error colour).
    const decided = verdict ? `\n${verdict.decision}: ${verdict.reason}${verdict.source ? '\n(click: where it is decided)' : ''}` : '';
    group.appendChild(title(`${hop}${edge.assumed ? '\n(assumed: not declared in the workspace)' : ''}${decided}`));
    drawEdge(group, edge.points, edge.label, edge.text, verdict !== undefined);
    if (verdict) this.interactive(group, `${hop}, ${verdict.decision}: ${verdict.reason}`, verdict.source, `path-edge:${edge.from}:${edge.to}`);
    return group;
  }
}
