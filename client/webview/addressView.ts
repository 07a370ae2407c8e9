// The address space view: each VNet's ranges drawn to scale as columns of subnet blocks (free gaps, reserved parts
// and overlaps between them), the subnets outside every range, each cluster's pod and service ranges as strips, and
// a proposed plan (Plan IPs) drawn above them the same way.
import type {
  MapCluster,
  MapClusterRange,
  MapGap,
  MapOverlap,
  MapPlan,
  MapReserved,
  MapSpace,
  MapSubnet,
  MapVnet,
  NetworkMapData,
} from '../../server/src/service/networkMapData';
import { Canvas, el, findingLines, LINE, PAD, text, title, worst } from './canvas';
import { assignLanes, clip, extentOf, formatAddress, formatCount, rowsOf, type Span, spanOf, utilisation } from './layout';

/** Smallest row of a range's column: room for a block's three lines and its utilisation bar. */
const MIN_ROW = 62;
/** Height shared among a range's rows in proportion to their size, at zoom 1. */
const EXTRA_HEIGHT = 320;
const MIN_LANE = 170;
const MONO_CHAR = 7.3;

export class AddressView extends Canvas {
  /** Subnet names by id, for the VNet being drawn. */
  private subnetNames = new Map<string, string>();

  draw(data: NetworkMapData): void {
    this.add(this.legend());
    if (data.plan) this.add(this.plan(data.plan));
    if (data.focus) this.add(this.line(`Filtered by name: "${data.focus}"`, 'note filter-note', 22));
    const addresses = data.addresses ?? { vnets: [], clusters: [] };
    if (addresses.vnets.length === 0 && addresses.clusters.length === 0) {
      this.add(this.line(data.focus ? `No virtual network or cluster name contains "${data.focus}".` : 'No virtual networks or clusters in this workspace.', 'note', 28, 16));
    }
    for (const vnet of addresses.vnets) this.add(this.vnet(vnet));
    if (addresses.omitted?.vnets) this.add(this.line(`${addresses.omitted.vnets} more virtual network(s) not drawn: filter by name, or open their file to draw them first.`, 'note', 22));
    if (addresses.clusters.some((c) => c.ranges.length > 0)) this.add(this.line('Pod and service ranges (outside the virtual networks)', 'section-title', 30, 18));
    for (const cluster of addresses.clusters) if (cluster.ranges.length > 0) this.add(this.cluster(cluster));
    if (addresses.omitted?.clusters) this.add(this.line(`${addresses.omitted.clusters} more cluster(s) not drawn: filter by name, or open their file to draw them first.`, 'note', 22));
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
