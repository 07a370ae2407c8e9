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
import { emptyFileFacts, type FileFacts, type ReadProblem } from '../../model/network';
import type { Source } from '../../model/source';
import { unreadableReason } from '../fileText';
import { type ClusterNetworks, readCapiClusterNetwork } from './clusterApiAzure';
import { type CollectedObject, collectObjects, isCapiCluster, lowerObject, PARSE_OPTIONS, readYamlFile, syntaxProblems } from './yamlReader';
import type { ReadContext } from './yamlTree';

type Network = ClusterNetworks extends Map<string, infer N> ? N : never;

/** What one pass over a document added, by kind of fact: only the kinds it added to (a document adds to a few). */
type Added = readonly (readonly [keyof FileFacts, readonly unknown[]])[];

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
  readonly syntax: Added;
  /** Pass 2: what reading CAPI Clusters' networks added (their address literals), and the networks by control plane. */
  readonly clusterNetworks: Added;
  readonly networks: readonly (readonly [string, Network])[];
  /** Pass 3: the document's objects. */
  readonly lowered: Added;
  /** The networks pass 3 looked up by control plane name, and what it found. */
  readonly lookups: ReadonlyMap<string, Network | undefined>;
}

/** What the next read of an edited file can reuse. */
export interface YamlDocumentCache {
  readonly uri: string;
  /** Readers may write line breaks in the file's style (CRLF or LF): a change of style reads everything again. */
  readonly crlf: boolean;
  /** Undefined for a file whose readers look across documents: read whole while it is open. */
  readonly documents: readonly DocumentRead[] | undefined;
  /** The rest of the file from its first document with a syntax error on, read as one piece. */
  readonly tail?: DocumentRead;
}

/** Thrown (and caught here) when a reader does something that crosses documents in a way this cache cannot follow. */
class CrossesDocuments extends Error {}

/** Reads a YAML file, reusing the unchanged documents of the previous read of the same file. */
export function readYamlDocuments(uri: string, text: string, previous?: YamlDocumentCache): { facts: FileFacts; cache: YamlDocumentCache } {
  const crlf = text.includes('\r\n');
  // Read whole: this time (nothing to reuse next time), or for as long as the file is open (`documents` undefined).
  const whole = (always: boolean) => ({ facts: readYamlFile(uri, text), cache: { uri, crlf, documents: always ? undefined : [] } });
  if (unreadableReason(text) !== undefined || /^(%|\.\.\.([ \t\r\n]|$))/m.test(text)) return whole(false);
  if (previous && previous.uri === uri && previous.documents === undefined) return whole(true);
  try {
    return readByDocument(uri, text, crlf, previous && previous.uri === uri && previous.crlf === crlf ? previous : undefined);
  } catch (error) {
    if (error instanceof CrossesDocuments) return whole(true);
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
  const networks = new RecordedNetworks();
  const reads: DocumentRead[] = [];
  /** Pass 3 of a document, against the networks of the documents so far (checked against all of them below). */
  const lower = (read: DocumentRead, objects: readonly CollectedObject[]): DocumentRead => {
    const lowered = new PassFacts(uri);
    networks.lookups = undefined;
    for (const object of objects) lowerObject({ ...object.ctx, facts: lowered.facts }, object.node, networks, object.listed);
    return { ...read, lowered: lowered.added(), lookups: networks.lookups ?? NO_LOOKUPS };
  };
  // Each document is read through as it comes (its syntax tree is then garbage); unchanged ones are placed at
  // their new offset.
  const place = (read: DocumentRead, objects?: readonly CollectedObject[]) => {
    for (const [name, network] of read.networks) networks.set(name, network);
    reads.push(objects ? lower(read, objects) : read);
  };
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
        place((tail = moved));
        return;
      }
    }
    const old = take(piece, start);
    const moved = old && (old.start === start ? old : moveDocument(old, start, uri));
    if (moved) {
      place(moved);
      return;
    }
    const fresh = readDocument(uri, text, copyOf(piece), start, followed);
    if (fresh.read.syntax.length === 0) {
      place(fresh.read, fresh.objects);
      return;
    }
    // How a document with a syntax error ends can depend on text far ahead (an unclosed quote runs on to the next
    // quote, across `---` lines): from here on, the file is read as one piece, as a whole-file read would.
    const rest = readDocument(uri, text, copyOf(text.slice(start)), start, false);
    tail = rest.read;
    place(rest.read, rest.objects);
  });
  // A document whose lookups now find another network (a Cluster in a later document, or a changed one) is
  // lowered again: every document then took the networks a whole-file read gives it.
  reads.forEach((read, i) => {
    if (lookupsChanged(read, networks)) reads[i] = lower(read, parseDocument(uri, text, read.text, read.start, read.followed).objects);
  });
  // Joined pass by pass, in document order within each kind of fact, as readYamlFile adds them.
  const facts = emptyFileFacts(uri);
  for (const pass of ['syntax', 'clusterNetworks', 'lowered'] as const) {
    for (const read of reads) {
      for (const [key, items] of read[pass]) {
        const into = facts[key] as unknown[];
        for (let i = 0; i < items.length; i++) into.push(items[i]);
      }
    }
  }
  const documents = tail ? reads.slice(0, -1) : reads;
  return { facts, cache: { uri, crlf, documents: [...documents, ...kept], tail: tail && reads.at(-1) } };
}


function lookupsChanged(read: DocumentRead, networks: RecordedNetworks): boolean {
  for (const [name, network] of read.lookups) if (networks.peek(name) !== network) return true;
  return false;
}

/** Parses one document at its offset in the file (sources are the same as in a whole-file parse) and collects its objects. */
function parseDocument(uri: string, text: string, piece: string, start: number, followed: boolean): { objects: CollectedObject[]; syntax: Added } {
  const parser = new Parser();
  parser.offset = start;
  // The next document's `---` (when the piece ends with it) starts one more document, empty: not this piece's.
  const end = start + piece.length - (followed ? 3 : 0);
  const documents = ([...new Composer(PARSE_OPTIONS).compose(parser.parse(piece))] as Document[]).filter((doc) => (doc.range?.[0] ?? start) < end);
  const problems: ReadProblem[] = [];
  const objects: CollectedObject[] = [];
  // Collecting objects adds no facts; each pass gives its readers the facts they add to.
  const facts = factsNotToAddTo(uri);
  for (const doc of documents) {
    problems.push(...syntaxProblems(uri, doc, text.length));
    const ctx: ReadContext = { uri, facts, doc, text };
    collectObjects(ctx, doc.contents as never, objects);
  }
  return { objects, syntax: problems.length > 0 ? [['problems', problems]] : [] };
}

/** Passes 1 and 2 of a changed document; pass 3 waits for every document's networks. */
function readDocument(uri: string, text: string, piece: string, start: number, followed: boolean): { read: DocumentRead; objects: CollectedObject[] } {
  const { objects, syntax } = parseDocument(uri, text, piece, start, followed);
  let clusterNetworks: PassFacts | undefined;
  const networks: ClusterNetworks = new Map();
  for (const object of objects) {
    if (!isCapiCluster(object.ctx, object.node)) continue;
    clusterNetworks ??= new PassFacts(uri);
    readCapiClusterNetwork({ ...object.ctx, facts: clusterNetworks.facts }, object.node, networks);
  }
  const read: DocumentRead = {
    text: piece,
    start,
    followed,
    syntax,
    clusterNetworks: clusterNetworks?.added() ?? [],
    networks: [...networks],
    lowered: [],
    lookups: NO_LOOKUPS,
  };
  return { read, objects };
}

/** The networks of every document; pass 3 of one document records what it looks up. */
class RecordedNetworks extends Map<string, Network> {
  lookups: Map<string, Network | undefined> | undefined;

  override get(name: string): Network | undefined {
    const found = super.get(name);
    (this.lookups ??= new Map()).set(name, found);
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

const NO_LOOKUPS: ReadonlyMap<string, Network | undefined> = new Map();

/** Facts that nothing may be added to or looked at. */
function factsNotToAddTo(uri: string): FileFacts {
  return new Proxy({ uri } as FileFacts, {
    get(target, key) {
      if (FACT_KINDS.has(key)) throw new CrossesDocuments();
      return Reflect.get(target, key);
    },
  });
}

/** The kinds of fact: every list of FileFacts. */
const FACT_KINDS: ReadonlySet<string | symbol> = new Set(Object.keys(emptyFileFacts('')).filter((key) => key !== 'uri'));

/**
 * What one pass over one document adds. Readers see facts they may only add to: looking at what is there (what
 * earlier documents added, in a whole-file read) crosses documents. A list exists once something is added to it.
 */
class PassFacts {
  private readonly lists = new Map<keyof FileFacts, unknown[]>();
  private readonly views = new Map<keyof FileFacts, unknown[]>();
  readonly facts: FileFacts;

  constructor(uri: string) {
    this.facts = new Proxy({ uri } as FileFacts, {
      get: (target, key) => (FACT_KINDS.has(key) ? this.view(key as keyof FileFacts) : Reflect.get(target, key)),
    });
  }

  private view(kind: keyof FileFacts): unknown[] {
    let view = this.views.get(kind);
    if (!view) {
      const list: unknown[] = [];
      this.lists.set(kind, list);
      const push = (...items: unknown[]) => list.push(...items);
      view = new Proxy(list, {
        get(_, property) {
          if (property === 'push') return push;
          throw new CrossesDocuments();
        },
      });
      this.views.set(kind, view);
    }
    return view;
  }

  added(): Added {
    return [...this.lists].filter(([, list]) => list.length > 0);
  }
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
      syntax: moveAdded(read.syntax, move),
      clusterNetworks: moveAdded(read.clusterNetworks, move),
      networks: read.networks.map(([name, network]) => [name, move(network) as Network] as const),
      lowered: moveAdded(read.lowered, move),
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

function moveAdded(added: Added, move: (value: unknown) => unknown): Added {
  return added.map(([kind, items]) => [kind, move(items) as unknown[]] as const);
}
