// Flow lists as text and JSON (exactly as netpol-analyzer's connlist prints them) and as a Graphviz digraph.
import type { Flow } from './engine';

/** `src => dst : conn`, one line per flow; nothing at all when no connection is allowed. */
export function formatFlowsText(flows: readonly Flow[]): string {
  return flows.map((flow) => `${flow.src} => ${flow.dst} : ${flow.conn}\n`).join('');
}

/** An array of `{src, dst, conn}` objects, indented by two spaces; `[]` when empty. */
export function formatFlowsJson(flows: readonly Flow[]): string {
  return `${JSON.stringify(flows.map(({ src, dst, conn }) => ({ src, dst, conn })), null, 2)}\n`;
}

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A Graphviz digraph: one node per peer, one edge per flow labelled with its connection. */
export function formatFlowsDot(flows: readonly Flow[]): string {
  const nodes = [...new Set(flows.flatMap((flow) => [flow.src, flow.dst]))].sort();
  const shape = (name: string) => (name.endsWith('[External]') || name.startsWith('{') ? 'box' : 'ellipse');
  const lines = [
    'digraph flows {',
    '  rankdir=LR;',
    ...nodes.map((name) => `  ${quote(name)} [shape=${shape(name)}];`),
    ...flows.map((flow) => `  ${quote(flow.src)} -> ${quote(flow.dst)} [label=${quote(flow.conn)}];`),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
