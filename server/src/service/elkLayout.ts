// ELK's layered algorithm (elkjs) for the network map's diagrams: nodes placed left to right in layers,
// edges routed between them with their labels placed. The webview only draws the result.
import type ELKType from 'elkjs/lib/elk.bundled.js';
import { ThreadPool } from './threadPool';

/**
 * elkjs is three quarters of the server's code and takes over 20 MB of memory once loaded: it is loaded with the
 * first diagram (the server bundle takes it from dist/elk.js, built apart by scripts/build.mjs), on the layout
 * thread when there is one, else here.
 */
let elk: Promise<typeof ELKType> | undefined;
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then((module) => module.default));

/** The thread diagrams are laid out on, so that a dense one does not hold up diagnostics and hovers. */
let layoutThread: ThreadPool<ElkNode, ElkNode> | undefined;

/** Lays out on one thread running `script` (the server's dist/layoutWorker.js) from the first diagram on. */
export function layOutOnThread(script: string): void {
  layoutThread = ThreadPool.create<ElkNode, ElkNode>(script, 1);
}

/** Graphs laid out so far: the map computes only the view shown, and its tests count layouts to check it. */
let layouts = 0;
export const layoutsRun = (): number => layouts;

/** A graph laid out by elkjs: on the layout thread, or here when there is none or it failed. */
export async function layOut(graph: ElkNode): Promise<ElkNode> {
  layouts += 1;
  if (layoutThread) {
    try {
      return await layoutThread.run(graph);
    } catch {
      // The thread could not start, stopped, or failed on this graph: the same layout on this thread (where an
      // error of elkjs's own is raised again).
    }
  }
  const ELK = await loadElk();
  return (await new ELK().layout(graph as never)) as unknown as ElkNode;
}

export interface ElkNode {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkNode[];
  edges?: ElkEdge[];
}

export interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
  sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }[];
}

/** Width of a label of this many characters at the diagrams' font size. */
export const labelWidth = (text: string) => text.length * 6.4 + 10;

/** Lays out a graph left to right; children may nest (namespaces hold workloads). Coordinates are the root's. */
export async function layoutLeftToRight(children: ElkNode[], edges: ElkEdge[]): Promise<ElkNode> {
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '26',
      'elk.spacing.edgeLabel': '4',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      // A map waits for its layouts: the default thoroughness (7) took 2.6 s for 380 dense edges, 3 takes about
      // half (1.4 s) with no visible loss on the diagrams drawn here.
      'elk.layered.thoroughness': '3',
    },
    children,
    edges,
  };
  return layOut(graph);
}

/** An edge's route as points, and its label's box, from a laid-out edge. */
export function edgeGeometry(edge: ElkEdge | undefined): { points: { x: number; y: number }[]; label?: { x: number; y: number; width: number; height: number } } {
  const section = edge?.sections?.[0];
  const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y })) : [];
  const label = edge?.labels?.[0];
  return label && label.x !== undefined && label.y !== undefined ? { points, label: { x: label.x, y: label.y, width: label.width, height: label.height } } : { points };
}
