// The network map webview: offers the map's views as tabs, receives the shown view's data from the extension and
// draws it (views.ts), keeps the view, zoom, scroll and the last data in the webview state, and asks the extension
// for another view's data, to reveal sources and to save exports.
import {
  DEFAULT_MAP_VIEW,
  isMapViewId,
  MAP_VIEWS,
  type MapSource,
  type MapToWebview,
  type MapViewId,
  NETWORK_MAP_VERSION,
  type NetworkMapData,
  type WebviewMessage,
} from '../../server/src/service/networkMapData';
import { renderView } from './views';
import './style.css';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface ViewState {
  data?: NetworkMapData;
  /** The view shown. */
  view: MapViewId;
  /** The workload filter of the NetworkPolicy graph. */
  filter: string;
  /** The environment picked (a parameters file's URI), '' for every environment. */
  environment: string;
  /** The revision the policy graph is compared with ('HEAD'), '' for none. */
  compare: 'HEAD' | '';
  zoom: number;
  scrollX: number;
  scrollY: number;
}

const ZOOMS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];
const vscode = acquireVsCodeApi();
const post = (message: WebviewMessage) => vscode.postMessage(message);
const map = document.getElementById('map')!;
const status = document.getElementById('status')!;
const zoomLevel = document.getElementById('zoom-level')!;
const closePlan = document.getElementById('close-plan') as HTMLButtonElement;
const environmentPicker = document.getElementById('environment') as HTMLSelectElement;
const compareButton = document.getElementById('compare') as HTMLButtonElement;
const details = document.getElementById('details')!;
const tabs = document.getElementById('views')!;

/** Shows lines of detail below the element the pointer or the focus is on (a flow edge), or hides them. */
function showDetails(lines: readonly string[] | undefined, anchor?: Element): void {
  if (!lines || !anchor) {
    details.hidden = true;
    return;
  }
  details.replaceChildren(
    ...lines.map((line) => {
      const row = document.createElement('div');
      row.textContent = line;
      return row;
    }),
  );
  const box = anchor.getBoundingClientRect();
  details.hidden = false;
  const left = Math.max(4, Math.min(box.left + box.width / 2 - details.offsetWidth / 2, document.documentElement.clientWidth - details.offsetWidth - 4));
  details.style.left = `${left + window.scrollX}px`;
  details.style.top = `${box.bottom + window.scrollY + 6}px`;
}
closePlan.addEventListener('click', () => post({ type: 'dismissPlan' }));

function isMapData(value: unknown): value is NetworkMapData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Partial<NetworkMapData>;
  return data.version === NETWORK_MAP_VERSION && (data.view === undefined || isMapViewId(data.view));
}

function restoredState(): ViewState {
  const saved = vscode.getState() as Partial<ViewState> | undefined;
  const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  return {
    ...(saved && isMapData(saved.data) ? { data: saved.data } : {}),
    view: isMapViewId(saved?.view) ? saved.view : DEFAULT_MAP_VIEW,
    filter: typeof saved?.filter === 'string' ? saved.filter.slice(0, 100) : '',
    environment: typeof saved?.environment === 'string' ? saved.environment : '',
    compare: saved?.compare === 'HEAD' ? 'HEAD' : '',
    zoom: ZOOMS.includes(number(saved?.zoom, 1)) ? number(saved?.zoom, 1) : 1,
    scrollX: number(saved?.scrollX, 0),
    scrollY: number(saved?.scrollY, 0),
  };
}

const state = restoredState();
let renderedWidth = 0;

function save(): void {
  vscode.setState(state);
}

function reveal(source: MapSource): void {
  post({ type: 'reveal', uri: source.uri, range: source.range });
}

function contentWidth(): number {
  return Math.max(360, document.documentElement.clientWidth);
}

/** The data drawn for the view shown: none while another view's data is all the webview has. */
function shownData(): NetworkMapData | undefined {
  const data = state.data;
  return data && (data.view === undefined || data.view === state.view) ? data : undefined;
}

/** The tabs, one per registered view, the shown one selected; the Compare button belongs to the policy graph. */
function updateTabs(): void {
  for (const tab of tabs.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    const selected = tab.dataset.view === state.view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  compareButton.hidden = state.view !== 'policies';
}

/**
 * Shows another view, drawn once its data arrives, and tells the extension, which asks for that view's data. Also when
 * the extension showed it: its messages and this 'ready' may cross, and the last word is the webview's.
 */
function showView(view: MapViewId): void {
  if (view === state.view) return;
  state.view = view;
  state.scrollX = 0;
  state.scrollY = 0;
  save();
  updateTabs();
  draw();
  window.scrollTo(0, 0);
  post({ type: 'view', view });
}

tabs.replaceChildren(
  ...MAP_VIEWS.map((view) => {
    const tab = document.createElement('button');
    tab.type = 'button';
    tab.setAttribute('role', 'tab');
    tab.dataset.view = view.id;
    tab.textContent = view.title;
    tab.addEventListener('click', () => showView(view.id));
    return tab;
  }),
);
// Arrow keys move between the tabs, as in any tab list.
tabs.addEventListener('keydown', (event) => {
  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
  if (step === 0) return;
  const index = MAP_VIEWS.findIndex((view) => view.id === state.view);
  const next = MAP_VIEWS[(index + step + MAP_VIEWS.length) % MAP_VIEWS.length]!.id;
  showView(next);
  tabs.querySelector<HTMLButtonElement>(`[data-view="${next}"]`)?.focus();
});
updateTabs();

/** Redraws from the state, keeping the scroll position and the focused block. */
function draw(): void {
  zoomLevel.textContent = `${Math.round(state.zoom * 100)}%`;
  const data = shownData();
  closePlan.hidden = !data?.plan;
  if (!data) {
    if (state.data) {
      const loading = document.createElement('p');
      loading.className = 'empty';
      loading.textContent = `Loading the ${MAP_VIEWS.find((view) => view.id === state.view)!.title.toLowerCase()}\u2026`;
      map.replaceChildren(loading);
    }
    return;
  }
  const focusedKey = (document.activeElement as Element | null)?.getAttribute?.('data-key');
  const scroll = { x: window.scrollX, y: window.scrollY };
  renderedWidth = contentWidth();
  showDetails(undefined);
  const rendered = renderView(state.view, data, { width: renderedWidth, zoom: state.zoom, reveal, details: showDetails });
  map.replaceChildren(rendered.svg);
  rendered.fit();
  window.scrollTo(scroll.x, scroll.y);
  if (focusedKey) {
    const again = [...map.querySelectorAll<SVGGElement>('[data-key][tabindex]')].find((e) => e.getAttribute('data-key') === focusedKey);
    again?.focus({ preventScroll: true });
  }
  document.body.dataset.rendered = String(Number(document.body.dataset.rendered ?? '0') + 1);
}

/** The picker lists the workspace's environments (shown only when it has more than one) and shows the one drawn. */
function updateEnvironments(data: NetworkMapData): void {
  const environments = data.environments ?? [];
  environmentPicker.hidden = environments.length < 2;
  const options = [{ uri: '', name: 'All environments' }, ...environments];
  const same = environmentPicker.options.length === options.length && options.every((o, i) => environmentPicker.options[i]!.value === o.uri);
  if (!same) {
    environmentPicker.replaceChildren(
      ...options.map((o) => {
        const option = document.createElement('option');
        option.value = o.uri;
        option.textContent = o.name;
        return option;
      }),
    );
  }
  environmentPicker.value = data.environment ?? '';
  environmentPicker.dataset.drawn = data.environment ?? '';
}

function setStatus(text: string): void {
  status.textContent = text;
}

/** The Compare button shows whether the graph is compared; the status line says with what, or why it is not. */
function updateComparison(data: NetworkMapData): void {
  // Only the policy graph's data says whether it is compared.
  if (data.view !== undefined && data.view !== 'policies') return;
  const comparison = data.comparison;
  state.compare = comparison ? 'HEAD' : '';
  compareButton.textContent = comparison ? 'Stop comparing' : 'Compare with HEAD';
  compareButton.setAttribute('aria-pressed', String(Boolean(comparison)));
  if (!comparison) return;
  if (comparison.error) setStatus(`Not compared with ${comparison.revision}: ${comparison.error}`);
  else setStatus(`Compared with ${comparison.revision} (${comparison.commit}): ${comparison.added} added, ${comparison.removed} removed, ${comparison.changed} changed.`);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data as { type?: MapToWebview['type']; data?: unknown; text?: unknown; view?: unknown } | null;
  if (!message || typeof message !== 'object') return;
  if (message.type === 'showView' && isMapViewId(message.view)) {
    // The extension shows a view itself (Plan IPs the address space, Compare Policies with HEAD the policy graph).
    showView(message.view);
  } else if (message.type === 'update' && isMapData(message.data)) {
    // Data of a view the user has left arrives late: the view shown waits for its own.
    if (message.data.view !== undefined && message.data.view !== state.view) return;
    state.data = message.data;
    updateEnvironments(message.data);
    setStatus('');
    updateComparison(message.data);
    save();
    draw();
  } else if (message.type === 'status' && typeof message.text === 'string') {
    setStatus(message.text);
  }
});

function setZoom(step: number): void {
  const index = Math.max(0, Math.min(ZOOMS.length - 1, ZOOMS.indexOf(state.zoom) + step));
  if (ZOOMS[index] === state.zoom) return;
  state.zoom = ZOOMS[index]!;
  save();
  draw();
}

document.getElementById('zoom-in')!.addEventListener('click', () => setZoom(1));
document.getElementById('zoom-out')!.addEventListener('click', () => setZoom(-1));

const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'visibility',
];

/** The drawn SVG as a standalone file: theme colours and fonts written into each element, no scripts, no handlers. */
function exportSvg(): string | undefined {
  const original = map.querySelector('svg');
  if (!original) return undefined;
  const copy = original.cloneNode(true) as SVGSVGElement;
  const from = [original, ...original.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((element, i) => {
    const target = to[i]!;
    const computed = getComputedStyle(element);
    for (const property of STYLE_PROPERTIES) {
      const value = computed.getPropertyValue(property);
      if (value) target.setAttribute(property, value);
    }
    for (const attribute of ['tabindex', 'role', 'data-key']) target.removeAttribute(attribute);
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(copy);
}

document.getElementById('export-svg')!.addEventListener('click', () => {
  const svg = exportSvg();
  if (svg) post({ type: 'exportSvg', svg });
});

document.getElementById('export-png')!.addEventListener('click', () => {
  const svg = exportSvg();
  const drawn = map.querySelector('svg');
  if (!svg || !drawn) return;
  const width = Number(drawn.getAttribute('width'));
  const height = Number(drawn.getAttribute('height'));
  const image = new Image();
  image.addEventListener('load', () => {
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext('2d');
    if (!context) return;
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const url = canvas.toDataURL('image/png');
    post({ type: 'exportPng', base64: url.slice(url.indexOf(',') + 1) });
  });
  image.addEventListener('error', () => setStatus('The PNG could not be drawn.'));
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
});

let scrollTimer: number | undefined;
window.addEventListener('scroll', () => {
  if (scrollTimer !== undefined) window.clearTimeout(scrollTimer);
  scrollTimer = window.setTimeout(() => {
    state.scrollX = window.scrollX;
    state.scrollY = window.scrollY;
    save();
  }, 150);
});

let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  if (resizeTimer !== undefined) window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    if (contentWidth() !== renderedWidth) draw();
  }, 100);
});

// Shown again after being hidden: draw the saved state at once, then ask for fresh data.
draw();
if (state.data) window.scrollTo(state.scrollX, state.scrollY);
const filter = document.getElementById('filter') as HTMLInputElement;
filter.value = state.filter;
/** Sends the filter when it changed (Enter, or the search box's clear button). */
function applyFilter(): void {
  const text = filter.value.trim();
  if (text === state.filter) return;
  state.filter = text;
  save();
  post({ type: 'filter', text });
}
filter.addEventListener('change', applyFilter);
filter.addEventListener('search', applyFilter);

if (state.data) updateEnvironments(state.data);
environmentPicker.addEventListener('change', () => {
  state.environment = environmentPicker.value;
  save();
  post({ type: 'environment', environment: state.environment });
});

compareButton.addEventListener('click', () => {
  state.compare = state.compare ? '' : 'HEAD';
  save();
  post({ type: 'compare', revision: state.compare });
});
if (state.data) updateComparison(state.data);

// A restored webview (shown again, or after a reload) brings its view, filter and environment back to the extension.
post({ type: 'ready', view: state.view });
if (state.filter) post({ type: 'filter', text: state.filter });
if (state.environment) post({ type: 'environment', environment: state.environment });
if (state.compare) post({ type: 'compare', revision: state.compare });
