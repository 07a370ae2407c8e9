// Draws the network map data as one SVG. Every element is made with createElementNS and every label
// from the user's files goes in through textContent or setAttribute: nothing is parsed as markup.
// Colours come from CSS classes (style.css) that use VS Code's theme variables.
import type {
  MapCluster,
  MapClusterRange,
  MapFinding,
  MapGap,
  MapGraphEdge,
  MapGraphNode,
  MapOverlap,
  MapPathEdge,
  MapPathGraph,
  MapPlan,
  MapPathNode,
  MapPolicyGraph,
  MapReserved,
  MapSource,
  MapSpace,
  MapSubnet,
  MapVnet,
  NetworkMapData,
} from '../../server/src/service/networkMapData';
import { assignLanes, clip, extentOf, formatAddress, formatCount, rowsOf, type Span, spanOf, utilisation } from './layout';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PAD = 16;
/** Smallest row of a range's column: room for a block's three lines and its utilisation bar. */
export const MIN_ROW = 62;
/** Height shared among a range's rows in proportion to their size, at zoom 1. */
const EXTRA_HEIGHT = 320;
const MIN_LANE = 170;
const LINE = 20;
const MONO_CHAR = 7.3;

export interface RenderOptions {
  readonly width: number;
  readonly zoom: number;
  readonly reveal: (source: MapSource) => void;
  /** Shows lines of detail beside an element the pointer (or the keyboard focus) is on; `undefined` hides them. */
  readonly details?: (lines: readonly string[] | undefined, anchor?: Element) => void;
}

/** What a change against the compared revision is called in the legend and the details. */
const CHANGE_LABEL: Record<NonNullable<MapGraphEdge['change']>, string> = { added: 'added', removed: 'removed', changed: 'changed' };

export interface Rendered {
  readonly svg: SVGSVGElement;
  /** Shortens labels that do not fit; call once the SVG is in the document (text needs layout to be measured). */
  fit(): void;
}

type Attrs = Record<string, string | number | undefined>;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: SVGElement[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) element.setAttribute(name, String(value));
  for (const child of children) element.appendChild(child);
  return element;
}

function text(content: string, attrs: Attrs): SVGTextElement {
  const element = el('text', attrs);
  element.textContent = content;
  return element;
}

function title(content: string): SVGTitleElement {
  const element = el('title');
  element.textContent = content;
  return element;
}

const SEVERITY_ORDER: readonly MapFinding['severity'][] = ['error', 'warning', 'info'];
const GLYPH: Record<MapFinding['severity'], string> = { error: '\u2716', warning: '\u26a0', info: '\u2139' };

function worst(findings: readonly MapFinding[]): MapFinding['severity'] | undefined {
  return SEVERITY_ORDER.find((severity) => findings.some((f) => f.severity === severity));
}

function findingLines(findings: readonly MapFinding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.rule}: ${f.message}`);
}

class Renderer {
  private readonly fits: { element: SVGTextElement; width: number }[] = [];
  private y = PAD;
  private right: number;
  /** Subnet names by id, for the VNet being drawn. */
  private subnetNames = new Map<string, string>();

  constructor(private readonly options: RenderOptions) {
    this.right = options.width - PAD;
  }

  /** Makes a group clickable and reachable by keyboard when it has a source. */
  private interactive(group: SVGGElement, label: string, source: MapSource | undefined, key: string): void {
    group.setAttribute('data-key', key);
    if (!source) return;
    group.setAttribute('tabindex', '0');
    group.setAttribute('role', 'button');
    group.setAttribute('aria-label', label);
    group.classList.add('clickable');
    const reveal = this.options.reveal;
    group.addEventListener('click', (event) => {
      event.stopPropagation();
      reveal(source);
    });
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        event.stopPropagation();
        reveal(source);
      }
    });
  }

  private fitLater(element: SVGTextElement, width: number): SVGTextElement {
    this.fits.push({ element, width: Math.max(width, 12) });
    return element;
  }

  /** Finding markers, right-aligned at (x, y): one per severity, with the count. Returns the group and its width. */
  private markers(findings: readonly MapFinding[], x: number, y: number, key: string): { group: SVGGElement; width: number } {
    const group = el('g', { class: 'markers' });
    let cursor = x;
    for (const severity of [...SEVERITY_ORDER].reverse()) {
      const these = findings.filter((f) => f.severity === severity);
      if (these.length === 0) continue;
      const label = `${GLYPH[severity]} ${these.length}`;
      const width = 10 + label.length * 7;
      const marker = el('g', { class: `marker ${severity}` });
      marker.appendChild(title(findingLines(these).join('\n')));
      marker.appendChild(el('rect', { x: cursor - width, y: y - 12, width, height: 16, rx: 3, class: 'marker-box' }));
      marker.appendChild(text(label, { x: cursor - width / 2, y: y, 'text-anchor': 'middle', class: 'marker-text' }));
      this.interactive(marker, `${these.length} ${severity}${these.length === 1 ? '' : 's'}: ${these[0]!.message}`, these[0]!.source, `${key}:${severity}`);
      group.appendChild(marker);
      cursor -= width + 4;
    }
    return { group, width: x - cursor };
  }

  render(data: NetworkMapData): Rendered {
    const root = el('svg', {
      xmlns: SVG_NS,
      id: 'network-map-svg',
      class: 'network-map',
      role: 'group',
      'aria-label': 'Network map',
    });
    root.appendChild(this.defs());
    root.appendChild(this.legend());
    if (data.plan) root.appendChild(this.plan(data.plan));
    if (data.focus) {
      root.appendChild(text(`Filtered by name: "${data.focus}"`, { x: PAD, y: this.y + 12, class: 'note filter-note' }));
      this.y += 22;
    }
    if (data.vnets.length === 0 && data.clusters.length === 0) {
      const none = data.focus ? `No virtual network or cluster name contains "${data.focus}".` : 'No virtual networks or clusters in this workspace.';
      root.appendChild(text(none, { x: PAD, y: this.y + 16, class: 'note' }));
      this.y += 28;
    }
    for (const vnet of data.vnets) root.appendChild(this.vnet(vnet));
    if (data.omitted?.vnets) {
      root.appendChild(text(`${data.omitted.vnets} more virtual network(s) not drawn: filter by name, or open their file to draw them first.`, { x: PAD, y: this.y + 12, class: 'note' }));
      this.y += 22;
    }
    if (data.clusters.some((c) => c.ranges.length > 0)) {
      root.appendChild(text('Pod and service ranges (outside the virtual networks)', { x: PAD, y: this.y + 18, class: 'section-title' }));
      this.y += 30;
    }
    for (const cluster of data.clusters) if (cluster.ranges.length > 0) root.appendChild(this.cluster(cluster));
    if (data.omitted?.clusters) {
      root.appendChild(text(`${data.omitted.clusters} more cluster(s) not drawn: filter by name, or open their file to draw them first.`, { x: PAD, y: this.y + 12, class: 'note' }));
      this.y += 22;
    }
    if (data.policyGraph) root.appendChild(this.policyGraph(data.policyGraph));
    if (data.trafficPaths) {
      const graphs = [...(data.trafficPaths.ingress ? [data.trafficPaths.ingress] : []), ...data.trafficPaths.egress];
      if (graphs.length > 0) {
        this.y += 8;
        root.appendChild(text('Traffic paths', { x: PAD, y: this.y + 18, class: 'section-title' }));
        this.y += 26;
      }
      for (const graph of graphs) root.appendChild(this.pathGraph(graph));
      if (data.trafficPaths.omittedEgress) {
        root.appendChild(text(`Egress of ${data.trafficPaths.omittedEgress} more cluster(s) not drawn: open a cluster's file to draw its own first.`, { x: PAD, y: this.y + 10, class: 'note' }));
        this.y += 22;
      }
    }
    const width = Math.max(this.options.width, this.right + PAD);
    const height = this.y + PAD;
    root.setAttribute('width', String(width));
    root.setAttribute('height', String(height));
    root.setAttribute('viewBox', `0 0 ${width} ${height}`);
    root.insertBefore(el('rect', { x: 0, y: 0, width, height, class: 'background' }), root.firstChild);
    const fits = this.fits;
    return { svg: root, fit: () => fitTexts(fits) };
  }

  private defs(): SVGDefsElement {
    const pattern = (id: string, cls: string) =>
      el(
        'pattern',
        { id, patternUnits: 'userSpaceOnUse', width: 8, height: 8, patternTransform: 'rotate(45)' },
        el('rect', { x: 0, y: 0, width: 8, height: 8, class: `${cls}-bg` }),
        el('line', { x1: 0, y1: 0, x2: 0, y2: 8, class: `${cls}-line` }),
      );
    const arrow = el(
      'marker',
      { id: 'flow-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' },
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }),
    );
    // An arrow head per change, in the change's colour.
    const changeArrows = (['added', 'removed', 'changed'] as const).map((change) =>
      el(
        'marker',
        { id: `flow-arrow-${change}`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' },
        el('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrow-head ${change}` }),
      ),
    );
    return el('defs', {}, pattern('hatch-reserved', 'hatch-reserved'), pattern('hatch-overlap', 'hatch-overlap'), arrow, ...changeArrows);
  }

  private legend(): SVGGElement {
    const group = el('g', { class: 'legend' });
    const items: [string, string][] = [
      ['subnet', 'Subnet'],
      ['overlap', 'Overlap'],
      ['gap', 'Free'],
      ['reserved', 'Reserved by Azure or AKS'],
      ['outside', 'Outside the address space'],
    ];
    let x = PAD;
    for (const [cls, label] of items) {
      const width = 30 + label.length * 6.6;
      if (x > PAD && x + width > this.options.width - PAD) {
        x = PAD;
        this.y += 18;
      }
      group.appendChild(el('rect', { x, y: this.y, width: 14, height: 12, rx: 2, class: `swatch ${cls}` }));
      group.appendChild(text(label, { x: x + 19, y: this.y + 10, class: 'legend-text' }));
      x += width;
    }
    this.y += 20;
    const note = 'Heights: proportional to size above a minimum, so small subnets stay visible; true sizes in the labels.';
    group.appendChild(title(note));
    group.appendChild(this.fitLater(text(note, { x: PAD, y: this.y + 10, class: 'note' }), this.options.width - 2 * PAD));
    this.y += 24;
    return group;
  }

  private vnet(vnet: MapVnet): SVGGElement {
    const group = el('g', { class: `vnet${vnet.active ? ' active' : ''}`, 'data-name': vnet.name, 'data-key': `vnet:${vnet.key}` });
    this.subnetNames = new Map([...vnet.spaces.flatMap((s) => s.subnets), ...vnet.outside].map((s) => [s.id, `${s.name} (${s.cidr})`]));
    this.y += 8;
    const header = el('g', { class: 'vnet-header' });
    const ranges = vnet.spaces.map((s) => s.cidr).join(', ') || 'address space unknown';
    header.appendChild(title(`Virtual network ${vnet.name}\n${ranges}${vnet.active ? '\n(in the active file)' : ''}${vnet.findings.length ? `\n${findingLines(vnet.findings).join('\n')}` : ''}`));
    const marks = this.markers(vnet.findings, this.options.width - PAD, this.y + 16, `vnet:${vnet.key}`);
    header.appendChild(this.fitLater(text(`Virtual network ${vnet.name}`, { x: PAD, y: this.y + 16, class: 'vnet-title' }), this.options.width - 2 * PAD - marks.width - 8));
    this.interactive(header, `Virtual network ${vnet.name}: ${ranges}`, vnet.source, `vnet:${vnet.key}`);
    group.appendChild(header);
    group.appendChild(marks.group);
    this.y += 26;
    for (const reason of vnet.unknownSpaces) {
      group.appendChild(this.fitLater(text(`Address space entry not known: ${reason}`, { x: PAD, y: this.y + 12, class: 'note' }), this.options.width - 2 * PAD));
      this.y += LINE;
    }
    for (const space of vnet.spaces) group.appendChild(this.space(vnet, space));
    if (vnet.outside.length > 0) group.appendChild(this.outside(vnet));
    for (const unplaced of vnet.unplaced) {
      const row = el('g', { class: 'unplaced' });
      const label = `Subnet ${unplaced.name}: prefix not known (${unplaced.reason})`;
      row.appendChild(title(label));
      row.appendChild(this.fitLater(text(label, { x: PAD, y: this.y + 12, class: 'note' }), this.options.width - 2 * PAD));
      this.interactive(row, label, unplaced.source, `unplaced:${vnet.key}:${unplaced.name}`);
      group.appendChild(row);
      this.y += LINE;
    }
    this.y += 10;
    return group;
  }

  private space(vnet: MapVnet, space: MapSpace): SVGGElement {
    const group = el('g', { class: 'space', 'data-cidr': space.cidr });
    const whole = spanOf(space);
    const family = space.family;

    // Header: the range, its size, findings on it.
    const header = el('g', { class: 'space-header' });
    const label = `${space.cidr} \u00b7 ${space.sizeLabel}`;
    header.appendChild(title(`Address space ${space.cidr} of ${vnet.name}: ${space.sizeLabel}${space.findings.length ? `\n${findingLines(space.findings).join('\n')}` : ''}`));
    const marks = this.markers(space.findings, this.options.width - PAD, this.y + 14, `space:${vnet.key}:${space.cidr}`);
    header.appendChild(text(label, { x: PAD, y: this.y + 14, class: 'space-title mono' }));
    this.interactive(header, `Address space ${label}`, space.source, `space:${vnet.key}:${space.cidr}`);
    group.appendChild(header);
    group.appendChild(marks.group);
    this.y += 22;

    const subnets = space.subnets.map((subnet) => ({ subnet, span: clip(spanOf(subnet), whole) })).filter((s): s is { subnet: MapSubnet; span: Span } => !!s.span);
    const lanes = assignLanes(subnets.map((s) => s.span));
    const laneCount = Math.max(1, ...lanes.map((lane) => lane + 1));
    const spans = [...subnets.map((s) => s.span), ...space.gaps.map(spanOf), ...space.reserved.map(spanOf), ...space.overlaps.map(spanOf)];
    const rows = rowsOf(whole, spans, this.y, MIN_ROW, EXTRA_HEIGHT * this.options.zoom);
    const height = rows.reduce((sum, row) => sum + row.h, 0);

    const axisLabels = rows.map((row) => formatAddress(row.start, family));
    const lastLabel = formatAddress(whole.end - 1n, family);
    const axisWidth = Math.max(80, Math.max(...axisLabels.map((l) => l.length), lastLabel.length) * MONO_CHAR + 14);
    const lanesX = PAD + axisWidth;
    const laneWidth = Math.max(MIN_LANE, (this.options.width - PAD - lanesX) / laneCount);
    const lanesWidth = laneWidth * laneCount;
    this.right = Math.max(this.right, lanesX + lanesWidth);

    group.appendChild(el('rect', { x: lanesX, y: this.y, width: lanesWidth, height, class: 'space-frame' }));
    // Axis: the first address of every row, and the last address of the range.
    const axis = el('g', { class: 'axis' });
    rows.forEach((row, i) => {
      axis.appendChild(el('line', { x1: lanesX - 5, y1: row.y, x2: lanesX, y2: row.y, class: 'tick' }));
      axis.appendChild(text(axisLabels[i]!, { x: lanesX - 8, y: row.y + 12, 'text-anchor': 'end', class: 'axis-text mono' }));
    });
    axis.appendChild(text(lastLabel, { x: lanesX - 8, y: this.y + height - 4, 'text-anchor': 'end', class: 'axis-text mono last' }));
    group.appendChild(axis);

    // Behind the subnets: reserved parts and free gaps, across every lane.
    for (const reserved of space.reserved) {
      const extent = extentOf(rows, clip(spanOf(reserved), whole)!);
      if (extent) group.appendChild(this.reservedBlock(reserved, lanesX, extent.y, lanesWidth, extent.h));
    }
    for (const gap of space.gaps) {
      const extent = extentOf(rows, clip(spanOf(gap), whole)!);
      if (extent) group.appendChild(this.gapBlock(gap, lanesX, extent.y, lanesWidth, extent.h));
    }
    subnets.forEach(({ subnet, span }, i) => {
      const extent = extentOf(rows, span)!;
      const classes = [subnet.overlapsWith.length > 0 ? 'overlapping' : ''];
      group.appendChild(this.subnetBlock(vnet, subnet, lanesX + lanes[i]! * laneWidth + 3, extent.y + 2, laneWidth - 6, extent.h - 4, classes));
    });
    // On top: overlaps, across the lanes of the two subnets.
    for (const overlap of space.overlaps) {
      const span = clip(spanOf(overlap), whole);
      const extent = span && extentOf(rows, span);
      const a = subnets.findIndex((s) => s.subnet.id === overlap.a);
      const b = subnets.findIndex((s) => s.subnet.id === overlap.b);
      if (!span || !extent || a < 0 || b < 0) continue;
      const laneA = lanes[a]!;
      const laneB = lanes[b]!;
      // The label goes into the lane of the subnet whose own labels are not at the top of the overlap.
      const labelLane = subnets[b]!.span.start === span.start ? laneA : laneB;
      group.appendChild(
        this.overlapBlock(overlap, lanesX + Math.min(laneA, laneB) * laneWidth, extent.y, (Math.abs(laneA - laneB) + 1) * laneWidth, extent.h, lanesX + labelLane * laneWidth, laneWidth),
      );
    }
    this.y += height + 14;
    return group;
  }

  private subnetBlock(vnet: MapVnet, subnet: MapSubnet, x: number, y: number, w: number, h: number, classes: string[]): SVGGElement {
    const severity = worst(subnet.findings);
    const group = el('g', {
      class: ['block', 'subnet', ...classes, severity ? `has-${severity}` : ''].filter(Boolean).join(' '),
      'data-vnet': vnet.name,
      'data-name': subnet.name,
      'data-cidr': subnet.cidr,
    });
    const demand = subnet.demand;
    const usable = BigInt(demand?.usable ?? subnet.usable);
    const use = demand ? utilisation(demand.required, usable) : undefined;
    const requiredText = demand ? `${formatCount(demand.required)}${demand.complete ? '' : '+'}` : undefined;
    const usageLine = demand ? `need ${requiredText} / usable ${formatCount(usable)} \u00b7 ${use!.label}` : `need \u2013 / usable ${formatCount(usable)}`;
    const usageDetail = demand
      ? `required ${requiredText} of ${formatCount(usable)} usable addresses (${use!.label})`
      : `usable ${formatCount(usable)}; no cluster puts nodes or pods here`;
    const cidrLine = `${subnet.cidr}${subnet.written ? ` (written ${subnet.written})` : ''}`;
    const sizeLine = `${formatCount(subnet.size)} addresses, ${formatCount(subnet.usable)} usable`;
    const overlapNames = subnet.overlapsWith.length ? `overlaps ${subnet.overlapsWith.map((id) => this.subnetNames.get(id) ?? 'another subnet').join(', ')}` : '';
    group.appendChild(
      title(
        [
          `Subnet ${subnet.name}`,
          cidrLine,
          sizeLine,
          usageDetail,
          ...(demand?.consumers ?? []),
          ...(demand && !demand.complete ? ['(some consumers could not be sized: required is a lower bound)'] : []),
          ...(overlapNames ? [overlapNames] : []),
          ...findingLines(subnet.findings),
        ].join('\n'),
      ),
    );
    group.appendChild(el('rect', { x, y, width: w, height: h, rx: 3, class: 'frame' }));
    const marks = this.markers(subnet.findings, x + w - 5, y + 17, `subnet:${subnet.id}`);
    group.appendChild(this.fitLater(text(subnet.name, { x: x + 8, y: y + 17, class: 'block-name' }), w - 16 - marks.width));
    group.appendChild(this.fitLater(text(cidrLine, { x: x + 8, y: y + 33, class: 'block-cidr mono' }), w - 16));
    group.appendChild(this.fitLater(text(usageLine, { x: x + 8, y: y + 48, class: 'block-usage' }), w - 16));
    if (use) {
      const barWidth = w - 16;
      const level = use.ratio > 1 ? 'util-over' : use.ratio >= 0.8 ? 'util-high' : 'util-ok';
      group.appendChild(el('rect', { x: x + 8, y: y + 53, width: barWidth, height: 5, rx: 2, class: 'util-track' }));
      group.appendChild(el('rect', { x: x + 8, y: y + 53, width: Math.max(1, Math.min(1, use.ratio) * barWidth), height: 5, rx: 2, class: `util-fill ${level}` }));
    }
    this.interactive(group, `Subnet ${subnet.name}, ${cidrLine}, ${usageDetail}`, subnet.source, `subnet:${subnet.id}`);
    group.appendChild(marks.group);
    return group;
  }

  private gapBlock(gap: MapGap, x: number, y: number, w: number, h: number): SVGGElement {
    const group = el('g', { class: 'block gap', 'data-largest': gap.largest });
    const label = `free: ${gap.largest}`;
    const detail = `${formatCount(gap.size)} addresses free${gap.blocks.length > 1 ? ` in ${gap.blocks.length} aligned blocks` : ''}`;
    group.appendChild(title(`${label}\n${detail}:\n${gap.blocks.join('\n')}`));
    group.appendChild(el('rect', { x: x + 3, y: y + 2, width: w - 6, height: h - 4, rx: 3, class: 'frame' }));
    group.appendChild(this.fitLater(text(label, { x: x + 11, y: y + 19, class: 'gap-text mono' }), w - 22));
    group.appendChild(this.fitLater(text(detail, { x: x + 11, y: y + 35, class: 'gap-detail' }), w - 22));
    return group;
  }

  private reservedBlock(reserved: MapReserved, x: number, y: number, w: number, h: number): SVGGElement {
    const group = el('g', { class: 'block reserved', 'data-cidr': reserved.cidr });
    const label = `reserved: ${reserved.cidr} (${reserved.why})`;
    group.appendChild(title(`${label}\n${formatCount(reserved.size)} addresses that Azure or AKS do not allow here`));
    group.appendChild(el('rect', { x: x + 1, y: y + 1, width: w - 2, height: h - 2, class: 'frame' }));
    group.appendChild(this.fitLater(text(label, { x: x + 11, y: y + h - 8, class: 'reserved-text' }), w - 22));
    return group;
  }

  private overlapBlock(overlap: MapOverlap, x: number, y: number, w: number, h: number, labelX: number, labelWidth: number): SVGGElement {
    const group = el('g', { class: 'block overlap', 'data-a-name': overlap.aName, 'data-b-name': overlap.bName, 'data-cidr': overlap.cidr });
    const label = `overlap ${overlap.cidr}`;
    group.appendChild(title(`Subnets ${overlap.aName} and ${overlap.bName} overlap: both hold ${overlap.cidr} (${formatCount(overlap.size)} addresses)`));
    group.appendChild(el('rect', { x: x + 1, y: y + 1, width: w - 2, height: h - 2, class: 'frame' }));
    const background = el('rect', { x: labelX + 8, y: y + h / 2 - 11, width: Math.min(labelWidth - 16, label.length * 7.2 + 12), height: 18, rx: 3, class: 'overlap-label-bg' });
    group.appendChild(background);
    group.appendChild(this.fitLater(text(label, { x: labelX + 14, y: y + h / 2 + 3, class: 'overlap-label mono' }), labelWidth - 28));
    this.interactive(group, `Overlap of ${overlap.aName} and ${overlap.bName}: ${overlap.cidr}`, overlap.source, `overlap:${overlap.a}:${overlap.b}`);
    return group;
  }

  private outside(vnet: MapVnet): SVGGElement {
    const known = vnet.spaces.length > 0;
    const group = el('g', { class: `outside-list${known ? ' outside' : ''}` });
    group.appendChild(
      this.fitLater(
        text(known ? `Outside the address space of ${vnet.name}` : `Subnets of ${vnet.name} (its address space is not known)`, { x: PAD, y: this.y + 14, class: known ? 'outside-title' : 'note' }),
        this.options.width - 2 * PAD,
      ),
    );
    this.y += 22;
    const x = PAD + 80;
    const w = Math.max(MIN_LANE, this.options.width - PAD - x);
    this.right = Math.max(this.right, x + w);
    for (const subnet of vnet.outside) {
      group.appendChild(text(subnet.cidr, { x: x - 8, y: this.y + 14, 'text-anchor': 'end', class: 'axis-text mono' }));
      group.appendChild(this.subnetBlock(vnet, subnet, x, this.y, w, MIN_ROW, [known ? 'outside' : '', subnet.overlapsWith.length ? 'overlapping' : '']));
      this.y += MIN_ROW + 6;
    }
    this.y += 6;
    return group;
  }

  private cluster(cluster: MapCluster): SVGGElement {
    const group = el('g', { class: `cluster${cluster.active ? ' active' : ''}`, 'data-name': cluster.name, 'data-environment': cluster.environment });
    const header = el('g', { class: 'cluster-header' });
    const vnets = `${cluster.vnets.length ? ` \u00b7 virtual network ${cluster.vnets.join(', ')}` : ''}${cluster.environment ? ` \u00b7 environment ${cluster.environment}` : ''}`;
    header.appendChild(title(`Cluster ${cluster.name}${vnets}${cluster.findings.length ? `\n${findingLines(cluster.findings).join('\n')}` : ''}`));
    const marks = this.markers(cluster.findings, this.options.width - PAD, this.y + 16, `cluster:${cluster.name}`);
    header.appendChild(this.fitLater(text(`Cluster ${cluster.name}${vnets}`, { x: PAD, y: this.y + 16, class: 'cluster-title' }), this.options.width - 2 * PAD - marks.width - 8));
    this.interactive(header, `Cluster ${cluster.name}`, cluster.source, `cluster:${cluster.name}`);
    group.appendChild(header);
    group.appendChild(marks.group);
    this.y += 26;
    for (const range of cluster.ranges) group.appendChild(this.clusterRange(cluster, range));
    this.y += 8;
    return group;
  }

  /** A group for a laid-out diagram at the current height, shrunk to the view's width down to a scale where labels stay readable (wider ones scroll). */
  private canvas(graphWidth: number): { canvas: SVGGElement; scale: number } {
    const x0 = PAD - 12;
    const scale = Math.max(0.6, Math.min(1, (this.options.width - x0 - PAD / 2) / Math.max(1, graphWidth)));
    return { canvas: el('g', { class: 'graph', transform: `translate(${x0} ${this.y}) scale(${scale.toFixed(3)})` }), scale };
  }

  /** Moves past a drawn diagram. */
  private placed(scale: number, graphWidth: number, graphHeight: number, gap: number): void {
    this.right = Math.max(this.right, PAD - 12 + graphWidth * scale);
    this.y += graphHeight * scale + gap;
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
    const { canvas, scale } = this.canvas(graph.width);
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
    const details = this.options.details;
    if (details) {
      group.addEventListener('mouseenter', () => details(lines, group));
      group.addEventListener('mouseleave', () => details(undefined));
      group.addEventListener('focus', () => details(lines, group));
      group.addEventListener('blur', () => details(undefined));
    }
    return group;
  }

  /** A proposed plan: its lines (range, CIDR, numbers, why), then its VNet and ranges drawn like the workspace's. */
  private plan(plan: MapPlan): SVGGElement {
    const group = el('g', { class: 'plan' });
    const top = this.y;
    this.y += 6;
    group.appendChild(this.fitLater(text(plan.title, { x: PAD + 8, y: this.y + 18, class: 'section-title' }), this.options.width - 2 * PAD - 16));
    this.y += 28;
    for (const row of plan.rows) {
      const line = el('g', { class: 'plan-row', 'data-what': row.what, 'data-cidr': row.cidr });
      line.appendChild(title(`${row.what}: ${row.cidr}${row.numbers ? ` (${row.numbers})` : ''}\n${row.why}`));
      line.appendChild(this.fitLater(text(`${row.what}  ${row.cidr}${row.numbers ? `  \u00b7 ${row.numbers}` : ''}`, { x: PAD + 8, y: this.y + 12, class: 'range-title mono' }), this.options.width - 2 * PAD - 16));
      line.appendChild(this.fitLater(text(row.why, { x: PAD + 24, y: this.y + 28, class: 'note' }), this.options.width - 2 * PAD - 32));
      group.appendChild(line);
      this.y += 36;
    }
    for (const vnet of plan.vnets) group.appendChild(this.vnet(vnet));
    for (const cluster of plan.clusters) if (cluster.ranges.length > 0) group.appendChild(this.cluster(cluster));
    group.insertBefore(el('rect', { x: PAD / 2, y: top, width: this.options.width - PAD, height: this.y - top + 6, rx: 6, class: 'plan-frame' }), group.firstChild);
    this.y += 18;
    return group;
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
    const { canvas, scale } = this.canvas(graph.width);
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

  /** A pod or service range as a strip drawn to scale, reserved parts and the DNS IP marked on it. */
  private clusterRange(cluster: MapCluster, range: MapClusterRange): SVGGElement {
    const severity = worst(range.findings);
    const overlapping = range.overlapsWith.length > 0;
    const group = el('g', {
      class: ['block', 'cluster-range', range.kind, overlapping ? 'overlapping' : '', severity ? `has-${severity}` : ''].filter(Boolean).join(' '),
      'data-cluster': cluster.name,
      'data-kind': range.kind,
      'data-cidr': range.cidr,
    });
    const kind = range.kind === 'pods' ? 'Pod CIDR' : 'Service CIDR';
    const label = `${kind} ${range.cidr} \u00b7 ${range.sizeLabel}`;
    group.appendChild(
      title(
        [
          `${kind} of ${cluster.name}: ${range.cidr}`,
          range.sizeLabel,
          ...(range.dnsServiceIp ? [`DNS service IP ${range.dnsServiceIp}`] : []),
          ...range.reserved.map((r) => `reserved: ${r.cidr} (${r.why})`),
          ...range.overlapsWith.map((o) => `overlaps ${o}`),
          ...findingLines(range.findings),
        ].join('\n'),
      ),
    );
    const x = PAD + 16;
    const w = Math.max(MIN_LANE, this.options.width - PAD - x);
    const marks = this.markers(range.findings, x + w, this.y + 14, `range:${cluster.name}:${range.kind}:${range.cidr}`);
    group.appendChild(this.fitLater(text(label, { x, y: this.y + 14, class: 'range-title mono' }), w - marks.width - 8));
    this.y += 20;
    const whole = spanOf(range);
    const size = Number(whole.end - whole.start);
    const at = (value: bigint) => x + (w * Number(value - whole.start)) / size;
    group.appendChild(el('rect', { x, y: this.y, width: w, height: 22, rx: 3, class: 'frame' }));
    for (const reserved of range.reserved) {
      const part = spanOf(reserved);
      const left = at(part.start);
      const width = Math.max(6, at(part.end) - left);
      const mark = el('rect', { x: Math.min(left, x + w - width), y: this.y + 1, width, height: 20, class: 'reserved-part' });
      mark.appendChild(title(`reserved: ${reserved.cidr} (${reserved.why})`));
      group.appendChild(mark);
    }
    if (range.dnsServiceIp) {
      // The position comes from the label's last number: the DNS IP is inside the range (the server checks).
      const dx = dnsOffset(range.dnsServiceIp, range.family);
      const px = dx === undefined ? x + 2 : Math.min(x + w - 2, Math.max(x + 2, at(dx)));
      group.appendChild(el('line', { x1: px, y1: this.y - 2, x2: px, y2: this.y + 24, class: 'dns-tick' }));
    }
    this.y += 28;
    const notes = [
      ...(range.dnsServiceIp ? [{ cls: 'note', text: `DNS service IP ${range.dnsServiceIp}` }] : []),
      ...range.reserved.map((r) => ({ cls: 'reserved-text', text: `reserved: ${r.cidr} (${r.why})` })),
      ...range.overlapsWith.map((o) => ({ cls: 'overlap-text', text: `overlaps ${o}` })),
    ];
    for (const note of notes) {
      group.appendChild(this.fitLater(text(note.text, { x, y: this.y + 10, class: note.cls }), w));
      this.y += 17;
    }
    this.y += 8;
    this.interactive(group, `${label}${overlapping ? `, overlaps ${range.overlapsWith.join(', ')}` : ''}`, range.source, `range:${cluster.name}:${range.kind}:${range.cidr}`);
    group.appendChild(marks.group);
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

/** An arrow along the laid-out points, with its label in a box; `hit` widens what a click can catch. */
function drawEdge(
  group: SVGGElement,
  points: readonly { x: number; y: number }[],
  label: { x: number; y: number; width: number; height: number } | undefined,
  labelText: string,
  hit: boolean,
  arrow = 'flow-arrow',
): void {
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  if (hit) group.appendChild(el('path', { d, class: 'edge-hit' }));
  group.appendChild(el('path', { d, class: 'edge-line', 'marker-end': `url(#${arrow})` }));
  if (label && labelText) {
    group.appendChild(el('rect', { x: label.x - 2, y: label.y - 1, width: label.width + 4, height: label.height + 2, rx: 3, class: 'edge-label-bg' }));
    group.appendChild(text(labelText, { x: label.x + 3, y: label.y + 12, class: 'edge-label mono' }));
  }
}

/** The DNS IP as a number, parsed from its text (IPv4 and IPv6). */
function dnsOffset(ip: string, family: 4 | 6): bigint | undefined {
  if (family === 4) {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return parts.reduce((sum, part) => sum * 256n + BigInt(part), 0n);
  }
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n);
}

/** Shortens each text until it fits its width, ending with an ellipsis (the full text is in the tooltip). */
function fitTexts(fits: readonly { element: SVGTextElement; width: number }[]): void {
  for (const { element, width } of fits) {
    const full = element.textContent ?? '';
    if (element.getComputedTextLength() <= width) continue;
    let low = 0;
    let high = full.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      element.textContent = `${full.slice(0, mid)}\u2026`;
      if (element.getComputedTextLength() <= width) low = mid;
      else high = mid - 1;
    }
    element.textContent = low > 0 ? `${full.slice(0, low)}\u2026` : '';
  }
}

export function renderMap(data: NetworkMapData, options: RenderOptions): Rendered {
  return new Renderer(options).render(data);
}
