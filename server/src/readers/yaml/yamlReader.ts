// Reads a YAML file (any number of documents) into the facts it contributes to the network model.
import { type Document, isMap, type Node, parseAllDocuments } from 'yaml';
import { emptyFileFacts, type FileFacts, type ReadProblem } from '../../model/network';
import { unreadableReason } from '../fileText';
import { ADMIN_POLICY_GROUP, readAdminNetworkPolicy } from './adminNetworkPolicies';
import { CILIUM_GROUP, readCiliumPolicy } from './ciliumPolicies';
import { readAzureServiceOperator } from './azureServiceOperator';
import { type ClusterNetworks, readCapiClusterNetwork, readClusterApiAzure } from './clusterApiAzure';
import { readKubernetes } from './kubernetes';
import { itemsAt, nameAt, type ReadContext } from './yamlTree';

// Bounds for hostile input: alias expansion (billion laughs) and nesting.
export const PARSE_OPTIONS = { maxAliasCount: 100, prettyErrors: false, strict: false, uniqueKeys: false } as const;

/**
 * Lowers every object of a YAML file into model facts; syntax errors become read problems.
 * Three passes: syntax problems and objects per document, CAPI Clusters' networks, then every object.
 * yamlDocumentCache.ts runs the same passes per document for open files: keep the two in step.
 */
export function readYamlFile(uri: string, text: string): FileFacts {
  const facts = emptyFileFacts(uri);
  const reason = unreadableReason(text);
  if (reason) {
    facts.problems.push({ kind: 'file-not-read', message: reason, source: { uri, start: 0, end: 0 } });
    return facts;
  }
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  const documents = Array.isArray(docs) ? docs : [];
  const objects: CollectedObject[] = [];
  for (const doc of documents) {
    facts.problems.push(...syntaxProblems(uri, doc, text.length));
    const ctx: ReadContext = { uri, facts, doc, text };
    collectObjects(ctx, doc.contents as Node | null, objects);
  }
  // CAPI Clusters carry the pod and service ranges of the control plane they name: read them first.
  const networks: ClusterNetworks = new Map();
  for (const { ctx, node } of objects) if (isCapiCluster(ctx, node)) readCapiClusterNetwork(ctx, node, networks);
  for (const { ctx, node, listed } of objects) lowerObject(ctx, node, networks, listed);
  return facts;
}

/** A document's syntax errors as read problems (at least one character wide, but never past the end of the text). */
export function syntaxProblems(uri: string, doc: Document, textLength: number): ReadProblem[] {
  return doc.errors.map((error) => {
    // The parser puts errors at the end of the text (a missing quote or bracket) one character past it.
    const start = Math.min(error.pos[0], textLength);
    const end = Math.min(Math.max(error.pos[1], start + 1), textLength);
    // The parser's own stack overflow on very deep nesting reads like a crash of the extension: say what it means.
    const message = /Maximum call stack size exceeded/.test(error.message)
      ? 'YAML nested too deeply to read (the parser ran out of stack); this file was not checked past this point.'
      : error.message.split('\n')[0]!;
    return { kind: 'yaml-syntax', message, source: { uri, start, end } };
  });
}

/** A `cluster.x-k8s.io` Cluster or MachinePool: the CAPZ objects they point at take their networks, cluster and replicas. */
export function isCapiCluster(ctx: ReadContext, node: Node): boolean {
  const kind = nameAt(ctx, node, 'kind');
  return apiGroup(ctx, node) === 'cluster.x-k8s.io' && (kind === 'Cluster' || kind === 'MachinePool');
}

function apiGroup(ctx: ReadContext, node: Node, listed?: ListedAs): string {
  const apiVersion = nameAt(ctx, node, 'apiVersion') ?? listed?.apiVersion ?? '';
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

/** What a typed list (`PodList`, `NamespaceList`, …) says of items that do not name their kind and apiVersion. */
interface ListedAs {
  readonly kind: string;
  readonly apiVersion: string | undefined;
}

export type CollectedObject = { ctx: ReadContext; node: Node; listed?: ListedAs };

/** Top-level objects, with `kind: List` (and `PodList`, …) items flattened. */
export function collectObjects(ctx: ReadContext, node: Node | null, into: CollectedObject[], listed?: ListedAs): void {
  if (!isMap(node)) return;
  const kind = nameAt(ctx, node, 'kind') ?? listed?.kind;
  if (kind === 'List' || kind?.endsWith('List')) {
    const itemsListed =
      kind === 'List' ? undefined : { kind: kind.slice(0, -'List'.length), apiVersion: nameAt(ctx, node, 'apiVersion') };
    for (const item of itemsAt(ctx, node, 'items')) collectObjects(ctx, item, into, itemsListed);
    return;
  }
  into.push({ ctx, node, listed });
}

export function lowerObject(ctx: ReadContext, node: Node, networks: ClusterNetworks, listed?: ListedAs): void {
  const kind = nameAt(ctx, node, 'kind') ?? listed?.kind;
  if (kind === undefined) return;
  const group = apiGroup(ctx, node, listed);
  if (readAzureServiceOperator(ctx, node, group, kind)) return;
  if (group === 'infrastructure.cluster.x-k8s.io' && readClusterApiAzure(ctx, node, kind, networks)) return;
  if (group === ADMIN_POLICY_GROUP && readAdminNetworkPolicy(ctx, node, kind)) return;
  if (group === CILIUM_GROUP && readCiliumPolicy(ctx, node, kind)) return;
  readKubernetes(ctx, node, group, kind);
}
