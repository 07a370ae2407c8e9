// What every view of the network map draws with: SVG elements made with createElementNS, labels from the user's
// files put in through textContent or setAttribute (nothing is parsed as markup), and the Canvas each view draws
// on top to bottom: its height so far, clickable groups that reveal a source, finding markers, labels shortened to
// fit once measured, and the laid-out diagrams' arrows. Colours come from CSS classes (style.css) that use VS Code's
// theme variables.
import type { MapFinding, MapSource } from '../../server/src/service/networkMapData';

export const SVG_NS = 'http://www.w3.org/2000/svg';
export const PAD = 16;
export const LINE = 20;

export interface RenderOptions {
  readonly width: number;
  readonly zoom: number;
  readonly reveal: (source: MapSource) => void;
  /** Shows lines of detail beside an element the pointer (or the keyboard focus) is on; `undefined` hides them. */
  readonly details?: (lines: readonly string[] | undefined, anchor?: Element) => void;
}

export interface Rendered {
  readonly svg: SVGSVGElement;
  /** Shortens labels that do not fit; call once the SVG is in the document (text needs layout to be measured). */
  fit(): void;
}

type Attrs = Record<string, string | number | undefined>;

export function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: SVGElement[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) element.setAttribute(name, String(value));
  for (const child of children) element.appendChild(child);
  return element;
}

export function text(content: string, attrs: Attrs): SVGTextElement {
  const element = el('text', attrs);
  element.textContent = content;
  return element;
}

export function title(content: string): SVGTitleElement {
  const element = el('title');
  element.textContent = content;
  return element;
}

export const SEVERITY_ORDER: readonly MapFinding['severity'][] = ['error', 'warning', 'info'];
const GLYPH: Record<MapFinding['severity'], string> = { error: '\u2716', warning: '\u26a0', info: '\u2139' };

export function worst(findings: readonly MapFinding[]): MapFinding['severity'] | undefined {
  return SEVERITY_ORDER.find((severity) => findings.some((f) => f.severity === severity));
}

export function findingLines(findings: readonly MapFinding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.rule}: ${f.message}`);
}

/** The SVG a view draws on, top to bottom; `finish` sizes it to what was drawn. */
export class Canvas {
  readonly root: SVGSVGElement;
  private readonly fits: { element: SVGTextElement; width: number }[] = [];
  /** Where the next item goes. */
  y = PAD;
  /** The rightmost x drawn so far (wide diagrams scroll). */
  right: number;

  constructor(
    readonly options: RenderOptions,
    label: string,
  ) {
    this.right = options.width - PAD;
    this.root = el('svg', { xmlns: SVG_NS, id: 'network-map-svg', class: 'network-map', role: 'group', 'aria-label': label });
    this.root.appendChild(defs());
  }

  add(child: SVGElement): void {
    this.root.appendChild(child);
  }

  /** A line of text across the view (a note, a section title), moving down by `advance`. */
  line(content: string, className: string, advance: number, baseline = 12): SVGTextElement {
    const element = this.fitLater(text(content, { x: PAD, y: this.y + baseline, class: className }), this.options.width - 2 * PAD);
    this.y += advance;
    return element;
  }

  /** Makes a group clickable and reachable by keyboard when it has a source. */
  interactive(group: SVGGElement, label: string, source: MapSource | undefined, key: string): void {
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

  /** Shows `lines` beside the group while the pointer or the keyboard focus is on it. */
  detailsOn(group: SVGGElement, lines: readonly string[]): void {
    const details = this.options.details;
    if (!details) return;
    group.addEventListener('mouseenter', () => details(lines, group));
    group.addEventListener('mouseleave', () => details(undefined));
    group.addEventListener('focus', () => details(lines, group));
    group.addEventListener('blur', () => details(undefined));
  }

  fitLater(element: SVGTextElement, width: number): SVGTextElement {
    this.fits.push({ element, width: Math.max(width, 12) });
    return element;
  }

  /** Finding markers, right-aligned at (x, y): one per severity, with the count. Returns the group and its width. */
  markers(findings: readonly MapFinding[], x: number, y: number, key: string): { group: SVGGElement; width: number } {
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

  /** A group for a laid-out diagram at the current height, shrunk to the view's width down to a scale where labels stay readable (wider ones scroll). */
  diagram(graphWidth: number): { group: SVGGElement; scale: number } {
    const x0 = PAD - 12;
    const scale = Math.max(0.6, Math.min(1, (this.options.width - x0 - PAD / 2) / Math.max(1, graphWidth)));
    return { group: el('g', { class: 'graph', transform: `translate(${x0} ${this.y}) scale(${scale.toFixed(3)})` }), scale };
  }

  /** Moves past a drawn diagram. */
  placed(scale: number, graphWidth: number, graphHeight: number, gap: number): void {
    this.right = Math.max(this.right, PAD - 12 + graphWidth * scale);
    this.y += graphHeight * scale + gap;
  }

  /** The SVG sized to what was drawn, on the theme's background. */
  finish(): Rendered {
    const width = Math.max(this.options.width, this.right + PAD);
    const height = this.y + PAD;
    const root = this.root;
    root.setAttribute('width', String(width));
    root.setAttribute('height', String(height));
    root.setAttribute('viewBox', `0 0 ${width} ${height}`);
    root.insertBefore(el('rect', { x: 0, y: 0, width, height, class: 'background' }), root.firstChild);
    const fits = this.fits;
    return { svg: root, fit: () => fitTexts(fits) };
  }
}

/** The patterns and arrow heads the views refer to by id. */
function defs(): SVGDefsElement {
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

/** An arrow along the laid-out points, with its label in a box; `hit` widens what a click can catch. */
export function drawEdge(
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
