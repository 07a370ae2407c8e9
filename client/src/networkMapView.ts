// The network map webview's HTML and the checks on what the webview sends back. No `vscode` import:
// the unit tests build the HTML and feed messages without VS Code.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { isMapViewId, type MapPosition, type WebviewMessage } from '../../server/src/service/networkMapData';

export interface WebviewResources {
  /** `webview.cspSource`: the origin the webview may load its script and style from. */
  readonly cspSource: string;
  /** `webview.asWebviewUri(...)` of dist/webview.js and dist/webview.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  /** A fresh random nonce per HTML document (see `newNonce`). */
  readonly nonce: string;
}

/** 32 random characters from [A-Za-z0-9]: the nonce of the one script the page may run. */
export function newNonce(): string {
  return randomBytes(24).toString('base64').replace(/[^A-Za-z0-9]/g, 'A').slice(0, 32);
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content-Security-Policy: nothing but our own script (by nonce), our stylesheet and data: images (PNG export). */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${cspSource} data:`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

/** The page: a toolbar, the map container and the bundled script. Data arrives later by message, never in the HTML. */
export function networkMapHtml(resources: WebviewResources): string {
  if (!/^[A-Za-z0-9]{16,}$/.test(resources.nonce)) throw new Error('the nonce must be 16 or more letters and digits');
  const csp = escapeAttribute(contentSecurityPolicy(resources.cspSource, resources.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(resources.styleUri)}">
<title>AKS Network Map</title>
</head>
<body>
<header class="top">
<div id="views" class="views" role="tablist" aria-label="Views of the network map"></div>
<div class="toolbar" role="toolbar" aria-label="Network map">
<button type="button" id="zoom-out" title="Zoom out" aria-label="Zoom out">&minus;</button>
<span id="zoom-level" aria-live="polite">100%</span>
<button type="button" id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>
<button type="button" id="export-svg" title="Save the map as an SVG file">Export SVG</button>
<button type="button" id="export-png" title="Save the map as a PNG file">Export PNG</button>
<button type="button" id="close-plan" title="Take the proposed plan off the map" hidden>Close plan</button>
<button type="button" id="compare" title="Colour the NetworkPolicy flows by change against the git HEAD of the workspace" aria-pressed="false">Compare with HEAD</button>
<select id="environment" title="Draw one environment (parameters file): its clusters and address demand, with what all environments share" aria-label="Environment" hidden><option value="">All environments</option></select>
<input type="search" id="filter" placeholder="Filter by name" title="Draw only the virtual networks, clusters, Services and workloads whose name contains this (Enter)" aria-label="Filter the map by name" maxlength="100" spellcheck="false">
<span id="status" class="status" role="status"></span>
</div>
</header>
<main id="map" role="tabpanel" aria-label="Network map"><p class="empty">Loading the network map&hellip;</p></main>
<div id="details" class="details" role="tooltip" hidden></div>
<script nonce="${escapeAttribute(resources.nonce)}" src="${escapeAttribute(resources.scriptUri)}"></script>
</body>
</html>
`;
}

export type LspPosition = MapPosition;
export type { WebviewMessage };

const MAX_URI_LENGTH = 8 * 1024;
const MAX_EXPORT_LENGTH = 32 * 1024 * 1024;
const MAX_FILTER_LENGTH = 100;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function position(value: unknown): LspPosition | undefined {
  if (!isRecord(value)) return undefined;
  const { line, character } = value;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  return ok(line) && ok(character) ? { line, character } : undefined;
}

/** The message, when its type and every field it needs have the right shape; else undefined. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      if (!isMapViewId(raw.view)) return undefined;
      return { type: 'ready', view: raw.view };
    case 'reveal': {
      if (typeof raw.uri !== 'string' || raw.uri.length === 0 || raw.uri.length > MAX_URI_LENGTH || !isRecord(raw.range)) return undefined;
      const start = position(raw.range.start);
      const end = position(raw.range.end);
      if (!start || !end) return undefined;
      return { type: 'reveal', uri: raw.uri, range: { start, end } };
    }
    case 'exportSvg':
      if (typeof raw.svg !== 'string' || raw.svg.length > MAX_EXPORT_LENGTH || !/^<svg[\s>]/.test(raw.svg)) return undefined;
      return { type: 'exportSvg', svg: raw.svg };
    case 'exportPng':
      if (typeof raw.base64 !== 'string' || raw.base64.length > MAX_EXPORT_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw.base64)) return undefined;
      return { type: 'exportPng', base64: raw.base64 };
    case 'filter':
      // A workload name fragment, or '' to clear: printable text only.
      if (typeof raw.text !== 'string' || raw.text.length > MAX_FILTER_LENGTH || /[\u0000-\u001f\u007f]/.test(raw.text)) return undefined;
      return { type: 'filter', text: raw.text.trim() };
    case 'view':
      if (!isMapViewId(raw.view)) return undefined;
      return { type: 'view', view: raw.view };
    case 'environment':
      // One of the URIs the map offered (the server checks it is one of the workspace's), or '' for all.
      if (typeof raw.environment !== 'string' || raw.environment.length > MAX_URI_LENGTH || /[\u0000-\u001f\u007f]/.test(raw.environment)) return undefined;
      return { type: 'environment', environment: raw.environment };
    case 'compare':
      // HEAD only: the extension never passes the webview's text to git.
      if (raw.revision !== 'HEAD' && raw.revision !== '') return undefined;
      return { type: 'compare', revision: raw.revision };
    case 'dismissPlan':
      return { type: 'dismissPlan' };
    default:
      return undefined;
  }
}

/** The decoded, normalised path of a URI and its scheme and authority; undefined when it is not a URI. */
function splitUri(text: string): { prefix: string; path: string } | undefined {
  // Split as written, not with a WHATWG URL: that removes dot segments before slashes collapse ("a///../../x" is
  // "a/x" to it, but "../x" beside a on disk), and drops "localhost" from file URIs, which VS Code keeps (a UNC
  // path on Windows).
  const parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\\]*)([^?#]*)/.exec(text);
  if (!parts) return undefined;
  const [, scheme, authority, rawPath] = parts as unknown as [string, string, string, string];
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  // Backslashes separate folders on Windows, so `..\..` climbs out there. Windows drive letters compare
  // case-insensitively ("/c:/x" and "/C:/x").
  const normalised = path.posix.normalize(decoded.replace(/\\/g, '/')).replace(/^\/([A-Za-z]):/, (_, drive: string) => `/${drive.toLowerCase()}:`);
  return { prefix: `${scheme.toLowerCase()}://${authority.toLowerCase()}`, path: normalised };
}

/** True when `uri` names a file inside one of the folders (URIs of the same scheme and authority). */
export function isInsideFolders(uri: string, folders: readonly string[]): boolean {
  const file = splitUri(uri);
  if (!file) return false;
  return folders.some((folderUri) => {
    const folder = splitUri(folderUri);
    if (!folder || folder.prefix !== file.prefix) return false;
    const root = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
    return file.path.startsWith(root);
  });
}
