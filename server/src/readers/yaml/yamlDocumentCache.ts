// Reading an open multi-document YAML file again after an edit: the file is split at its `---` lines, and a
// document whose text did not change keeps what it gave last time (moved to its new offset when text before it
// grew or shrank). Only changed documents are parsed. The result is the same as readYamlFile's, in the same
// order: the same three passes run per document (syntax and objects, CAPI Clusters' networks, lowering), and
// their outputs are joined pass by pass. What crosses documents is tracked:
// - a CAPI control plane takes the network of the Cluster that names it, in any document: the lookups each
//   document made are kept, and a document whose lookups now find something else is lowered again;
// - a reader that looks at what earlier documents added (a route joining a route table) makes the file one that
//   is always read whole, as is a file with directives (`%`) or `...` lines;
// - where a document with a syntax error ends can depend on text far ahead (an unclosed quote runs on to the
//   next quote, across `---` lines): from the first such document on, the rest of the file is read as one piece.
// Documents without syntax errors are lexed alone exactly as in the whole file: at a `---` line the lexer starts
// afresh, and each piece is parsed with the next `---` after it and at its offset in the file.
import { Composer, type Document, Parser } from 'yaml';
import { emptyFileFacts, type FileFacts } from '../../model/network';
import type { Source } from '../../model/source';
import { unreadableReason } from '../fileText';
import { type ClusterNetworks, readCapiClusterNetwork } from './clusterApiAzure';
import { type CollectedObject, collectObjects, isCapiCluster, lowerObject, PARSE_OPTIONS, readYamlFile, syntaxProblems } from './yamlReader';
import type { ReadContext } from './yamlTree';

type Network = ClusterNetworks extends Map<string, infer N> ? N : never;

/** What one document of the file gave, with sources at the offset it was read at. */
interface DocumentRead {
  /**
   * The document's text, from its `---` line to the next one, and that one's `---` (a copy: it holds no older
   * version of the file).
   */
  readonly text: string;
  readonly start: number;
  /** True when the text ends with the next document's `---`. */
  readonly followed: boolean;
  /** Pass 1: syntax problems. */
  readonly syntax: FileFacts;
  /** Pass 2: what reading CAPI Clusters' networks added (their address literals), and the networks by control plane. */
  readonly clusterNetworks: FileFacts;
  readonly networks: readonly (readonly [string, Network])[];
  /** Pass 3: the document's objects. */
  readonly lowered: FileFacts;
  /** The networks pass 3 looked up by control plane name, and what it found. */
  readonly lookups: ReadonlyMap<string, Network | undefined>;
}

/** What the next read of an edited file can reuse. */
export interface YamlDocumentCache {
  readonly uri: string;
  /** Readers may write line breaks in the file's style (CRLF or LF): a change of style reads everything again. */
  readonly crlf: boolean;
  /** Undefined for a file that is always read whole. */
  readonly documents: readonly DocumentRead[] | undefined;
  /** The rest of the file from its first document with a syntax error on, read as one piece. */
  readonly tail?: DocumentRead;
}

/** Thrown (and caught here) when a reader does something that crosses documents in a way this cache cannot follow. */
class CrossesDocuments extends Error {}

/** Reads a YAML file, reusing the unchanged documents of the previous read of the same file. */
export function readYamlDocuments(uri: string, text: string, previous?: YamlDocumentCache): { facts: FileFacts; cache: YamlDocumentCache } {
  const crlf = text.includes('\r\n');
  const whole = () => ({ facts: readYamlFile(uri, text), cache: { uri, crlf, documents: undefined } });
  if (unreadableReason(text) !== undefined || /^(%|\.\.\.([ \t\r\n]|$))/m.test(text)) return whole();
  if (previous && (previous.uri !== uri || previous.documents === undefined)) return whole();
  try {
    return readByDocument(uri, text, crlf, previous && previous.crlf === crlf ? previous : undefined);
  } catch (error) {
    if (error instanceof CrossesDocuments) return whole();
    throw error;
  }
}

/** Offsets where a document starts: the file's start, and every `---` at the start of a line followed by a space or line end. */
export function documentStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('---'); at !== -1; at = text.indexOf('---', at + 3)) {
    if (at > 0 && text[at - 1] === '\n' && isBlank(text[at + 3])) starts.push(at);
  }
  return starts;
}

function isBlank(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** A fresh copy of a piece of text, so that what is read from it does not hold on to the whole file. */
function copyOf(piece: string): string {
  return (` ${piece}`).slice(1);
}

function readByDocument(uri: string, text: string, crlf: boolean, previous: YamlDocumentCache | undefined): { facts: FileFacts; cache: YamlDocumentCache } {
  const reusable = new Map<string, DocumentRead[]>();
  for (const read of previous?.documents ?? []) {
    const same = reusable.get(read.text);
    if (same) same.push(read);
    else reusable.set(read.text, [read]);
  }
  const take = (piece: string, start: number): DocumentRead | undefined => {
    const candidates = reusable.get(piece);
    const old = candidates && (candidates.find((c) => c.start === start) ?? candidates[0]);
    if (old) candidates!.splice(candidates!.indexOf(old), 1);
    return old;
  };
  const starts = documentStarts(text);
  // Passes 1 and 2 for changed documents; unchanged ones are placed at their new offset.
  const placed: { read: DocumentRead; objects?: CollectedObject[] }[] = [];
  /** From the first document with a syntax error on, the rest of the file is read as one (see below). */
  let tail: DocumentRead | undefined;
  /** Unchanged documents after the tail's start, kept for the read that follows the fix. */
  const kept: DocumentRead[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    if (end === start) return;
    // With the next document's `---`: how a document ends (an unclosed quote, a flow collection) depends on it.
    const followed = i + 1 < starts.length;
    const piece = text.slice(start, followed ? end + 3 : end);
    if (tail) {
      const old = take(piece, start);
      if (old) kept.push(old);
      return;
    }
    const previousTail = previous?.tail;
    if (previousTail && previousTail.text.length === text.length - start && text.endsWith(previousTail.text)) {
      const moved = previousTail.start === start ? previousTail : moveDocument(previousTail, start, uri);
      if (moved) {
        placed.push({ read: (tail = moved) });
        return;
      }
    }
    const old = take(piece, start);
    const moved = old && (old.start === start ? old : moveDocument(old, start, uri));
    if (moved) {
      placed.push({ read: moved });
      return;
    }
    const fresh = readDocument(uri, text, copyOf(piece), start, followed);
    if (fresh.read.syntax.problems.length === 0) {
      placed.push(fresh);
      return;
    }
    // How a document with a syntax error ends can depend on text far ahead (an unclosed quote runs on to the next
    // quote, across `---` lines): from here on, the file is read as one piece, as a whole-file read would.
    const rest = readDocument(uri, text, copyOf(text.slice(start)), start, false);
    tail = rest.read;
    placed.push(rest);
  });
  const networks = new RecordedNetworks();
  for (const { read } of placed) for (const [name, network] of read.networks) networks.set(name, network);
  // Pass 3 for changed documents, and for documents whose lookups now find another network.
  const reads = placed.map(({ read, objects }) => {
    if (objects === undefined && !lookupsChanged(read, networks)) return read;
    const lowered = emptyFileFacts(uri);
    networks.lookups = new Map();
    for (const object of objects ?? parseDocument(uri, text, read.text, read.start, read.followed).objects) {
      const ctx = { ...object.ctx, facts: appendOnly(lowered) };
      lowerObject(ctx, object.node, networks, object.listed);
    }
    return { ...read, lowered, lookups: networks.lookups };
  });
  // Joined pass by pass, in document order within each kind of fact, as readYamlFile adds them.
  const facts = emptyFileFacts(uri);
  for (const pass of ['syntax', 'clusterNetworks', 'lowered'] as const) {
    for (const read of reads) {
      for (const [key, items] of filledLists(read[pass])) {
        const into = facts[key] as unknown[];
        for (let i = 0; i < items.length; i++) into.push(items[i]);
      }
    }
  }
  const documents = reads.filter((read) => read !== reads.at(-1) || !tail);
  return { facts, cache: { uri, crlf, documents: [...documents, ...kept], tail: tail && reads.at(-1) } };
}

const filled = new WeakMap<FileFacts, (readonly [keyof FileFacts, readonly unknown[]])[]>();

/** The kinds of fact a document's pass added something to (a document adds to a few of them). */
function filledLists(facts: FileFacts): (readonly [keyof FileFacts, readonly unknown[]])[] {
  let lists = filled.get(facts);
  if (!lists) {
    lists = [];
    for (const key of Object.keys(facts) as (keyof FileFacts)[]) {
      const value = facts[key];
      if (Array.isArray(value) && value.length > 0) lists.push([key, value]);
    }
    filled.set(facts, lists);
  }
  return lists;
}

function lookupsChanged(read: DocumentRead, networks: RecordedNetworks): boolean {
  for (const [name, network] of read.lookups) if (networks.peek(name) !== network) return true;
  return false;
}

/** Parses one document at its offset in the file (sources are the same as in a whole-file parse) and collects its objects. */
function parseDocument(uri: string, text: string, piece: string, start: number, followed: boolean): { documents: Document[]; objects: CollectedObject[]; syntax: FileFacts } {
  const parser = new Parser();
  parser.offset = start;
  // The next document's `---` (when the piece ends with it) starts one more document, empty: not this piece's.
  const end = start + piece.length - (followed ? 3 : 0);
  const documents = ([...new Composer(PARSE_OPTIONS).compose(parser.parse(piece))] as Document[]).filter((doc) => (doc.range?.[0] ?? start) < end);
  const syntax = emptyFileFacts(uri);
  const objects: CollectedObject[] = [];
  for (const doc of documents) {
    syntax.problems.push(...syntaxProblems(uri, doc, text.length));
    const ctx: ReadContext = { uri, facts: appendOnly(emptyFileFacts(uri)), doc, text };
    collectObjects(ctx, doc.contents as never, objects);
  }
  return { documents, objects, syntax };
}

/** Passes 1 and 2 of a changed document; pass 3 waits for every document's networks. */
function readDocument(uri: string, text: string, piece: string, start: number, followed: boolean): { read: DocumentRead; objects: CollectedObject[] } {
  const { objects, syntax } = parseDocument(uri, text, piece, start, followed);
  const clusterNetworks = emptyFileFacts(uri);
  const networks: ClusterNetworks = new Map();
  for (const object of objects) {
    const ctx = { ...object.ctx, facts: appendOnly(clusterNetworks) };
    if (isCapiCluster(ctx, object.node)) readCapiClusterNetwork(ctx, object.node, networks);
  }
  const read: DocumentRead = { text: piece, start, followed, syntax, clusterNetworks, networks: [...networks], lowered: emptyFileFacts(uri), lookups: new Map() };
  return { read, objects };
}

/** The networks of every document; pass 3 of one document records what it looks up. */
class RecordedNetworks extends Map<string, Network> {
  lookups = new Map<string, Network | undefined>();

  override get(name: string): Network | undefined {
    const found = super.get(name);
    this.lookups.set(name, found);
    return found;
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** A lookup that is not recorded. */
  peek(name: string): Network | undefined {
    return super.get(name);
  }

  // Going through every network is not a lookup this cache can follow.
  override forEach(): never {
    throw new CrossesDocuments();
  }

  override entries(): never {
    throw new CrossesDocuments();
  }

  override keys(): never {
    throw new CrossesDocuments();
  }

  override values(): never {
    throw new CrossesDocuments();
  }

  override [Symbol.iterator](): never {
    throw new CrossesDocuments();
  }

  override get size(): number {
    throw new CrossesDocuments();
  }
}

/** Facts a reader may only add to: looking at what is there (what earlier documents added, in a whole-file read) crosses documents. */
function appendOnly(facts: FileFacts): FileFacts {
  return new Proxy(facts, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (!Array.isArray(value)) return value;
      return new Proxy(value, {
        get(list, property) {
          if (property === 'push') return (...items: unknown[]) => list.push(...items);
          throw new CrossesDocuments();
        },
      });
    },
  });
}

/**
 * A document's read at a new offset: every source moved by the distance. Undefined when it must be read again
 * instead: its objects took another document's network (whose sources did not move with it), or it holds an
 * offset outside a source (a key made from an offset, a range without a file).
 */
function moveDocument(read: DocumentRead, start: number, uri: string): DocumentRead | undefined {
  for (const network of read.lookups.values()) if (network !== undefined) return undefined;
  const move = mover(uri, start - read.start);
  try {
    return {
      text: read.text,
      start,
      followed: read.followed,
      syntax: move(read.syntax) as FileFacts,
      clusterNetworks: move(read.clusterNetworks) as FileFacts,
      networks: read.networks.map(([name, network]) => [name, move(network) as Network] as const),
      lowered: move(read.lowered) as FileFacts,
      lookups: read.lookups,
    };
  } catch (error) {
    if (error instanceof CannotMove) return undefined;
    throw error;
  }
}

/** A deep copy of plain data (objects, arrays, maps) with every source of the file moved by `delta`; shared parts stay shared. */
function mover(uri: string, delta: number): (value: unknown) => unknown {
  const copies = new Map<object, unknown>();
  const anonymousKey = `${uri}#`;
  const move = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) {
      if (typeof value === 'string' && value.startsWith(anonymousKey)) throw new CannotMove();
      return value;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.start === 'number' || typeof record.end === 'number') {
      // Only a source of this file may hold an offset (sources are compared by content, never by identity).
      let keys = 0;
      for (const _ in record) keys++;
      if (keys !== 3 || record.uri !== uri || typeof record.start !== 'number' || typeof record.end !== 'number') throw new CannotMove();
      if (Object.getPrototypeOf(value) !== Object.prototype) throw new CannotMove();
      return { uri, start: record.start + delta, end: record.end + delta } satisfies Source;
    }
    const done = copies.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const list: unknown[] = new Array(value.length);
      copies.set(value, list);
      for (let i = 0; i < value.length; i++) list[i] = move(value[i]);
      return list;
    }
    if (value instanceof Map) {
      const map = new Map();
      copies.set(value, map);
      for (const [key, item] of value) map.set(move(key), move(item));
      return map;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) throw new CannotMove();
    const object: Record<string, unknown> = {};
    copies.set(value, object);
    for (const key in record) object[key] = move(record[key]);
    return object;
  };
  return move;
}

class CannotMove extends Error {}
