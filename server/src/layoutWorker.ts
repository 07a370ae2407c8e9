// The layout thread of the language server (service/elkLayout.ts): lays out the network map's diagrams with
// elkjs (loaded from dist/elk.js beside it), so that a dense diagram does not hold up diagnostics and hovers.
// Graphs in, laid-out graphs out: no file, network or process access.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from './service/elkLayout';
import { serveJobs } from './service/threadPool';

const elk = new ELK();
serveJobs((graph: ElkNode) => elk.layout(graph as never) as unknown as Promise<ElkNode>);
