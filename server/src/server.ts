// The language server: a thin LSP shell around the workspace and the language service functions.
// Runs over stdio (`node dist/server.js --stdio`) or IPC (the VS Code client).
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection,
  type Diagnostic,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatCount } from './cidr/format';
import { isSupportedFile } from './readers';
import { codeActionsFor } from './service/codeActions';
import { diagnosticsFor } from './service/diagnostics';
import { loadWithin, readDiskFile } from './service/diskFiles';
import { layOutOnThread } from './service/elkLayout';
import { hoverAt } from './service/hover';
import { INDEXING_NOTIFICATION, type IndexingInitializationOptions, type IndexingStatus } from './service/indexingStatus';
import { codeLensesFor, inlayHintsFor } from './service/lenses';
import { GitBaseline } from './service/gitBaseline';
import { networkMap } from './service/networkMap';
import { isMapViewId, NETWORK_MAP_REQUEST, NETWORK_MAP_VERSION, type NetworkMapData, type NetworkMapParams } from './service/networkMapData';
import { type PlanRequest, type PlanResponse, planDefaults, planIps, planPrefill } from './service/planIps';
import { PLAN_PREFILL_REQUEST, PLAN_REQUEST } from './service/planRequests';
import { ReaderPool } from './service/readerPool';
import { type RuleSetting, Workspace } from './service/workspace';
import { scanWorkspace } from './service/workspaceScan';
import { loadHclParser } from './readers/terraform/hclParser';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
// Modules and load*Content() read only inside the workspace folders (set at initialize, below).
const workspace = new Workspace(loadWithin(() => workspaceFolders));
/** HEAD's flows for Compare Policies with HEAD: git runs only when the map asks for a comparison. */
const gitBaseline = new GitBaseline();
layOutOnThread(path.join(__dirname, 'layoutWorker.js'));
const docsBase = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules')).href;
/** Typing: wait for a pause. Opening: validate almost at once (a short wait only gathers files opened together). */
const VALIDATION_DELAY_MS = 150;
const OPEN_VALIDATION_DELAY_MS = 10;

let workspaceFolders: string[] = [];
let canReadConfiguration = false;
/** The client asked for aksNetworkLens/indexing notifications (its status bar shows the scan). */
let sendIndexingStatus = false;
/** Inlay hints and code lenses with address counts; the setting aksNetworkLens.hints.enabled turns them off. */
let hintsEnabled = true;
let validationTimer: NodeJS.Timeout | undefined;
/** True during the initial scan: nothing is analysed until every file is read. */
let scanning = false;
const published = new Map<string, string>();
/** Open documents changed since the last publication. */
const edited = new Set<string>();

/** Runs a handler so that an exception is logged and answered with a fallback, never thrown out. */
function guarded<A extends unknown[], R>(name: string, fallback: R, handler: (...args: A) => R | Promise<R>) {
  return async (...args: A): Promise<R> => {
    try {
      return await handler(...args);
    } catch (error) {
      connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };
}

connection.onInitialize(async (params) => {
  // Terraform's parser is WebAssembly, loaded once before any file is read; without it .tf files say so and nothing else stops.
  await loadHclParser().catch((error: unknown) => connection.console.error(`The Terraform parser did not load: ${error instanceof Error ? error.message : String(error)}`));
  canReadConfiguration = params.capabilities.workspace?.configuration === true;
  sendIndexingStatus = (params.initializationOptions as IndexingInitializationOptions | null | undefined)?.indexingStatus === true;
  workspaceFolders = (params.workspaceFolders ?? [])
    .map((folder) => folder.uri)
    .concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : [])
    .filter((uri) => uri.startsWith('file:'))
    .map((uri) => fileURLToPath(uri));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    },
    serverInfo: { name: 'AKS Network Lens' },
  };
});

/** Reads `aksNetworkLens.rules` (rule id -> error | warning | info | off) from the client's settings. */
async function readRuleSettings(): Promise<void> {
  if (!canReadConfiguration) return;
  const section = (await connection.workspace.getConfiguration('aksNetworkLens')) as {
    rules?: Record<string, unknown>;
    hints?: { enabled?: unknown };
  } | null;
  hintsEnabled = section?.hints?.enabled !== false;
  const settings = new Map<string, RuleSetting>();
  for (const [rule, value] of Object.entries(section?.rules ?? {})) {
    if (value === 'error' || value === 'warning' || value === 'info' || value === 'off') settings.set(rule, value);
    else connection.console.warn(`Setting aksNetworkLens.rules.${rule}: '${String(value)}' is not error, warning, info or off; ignored.`);
  }
  workspace.setRuleSettings(settings);
}

connection.onDidChangeConfiguration(
  guarded('configuration change', undefined, async () => {
    await readRuleSettings();
    scheduleValidation();
  }),
);

connection.onInitialized(
  guarded('workspace scan', undefined, async () => {
    scanning = true;
    // A client that refuses the progress token still gets its workspace read.
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    try {
      await readRuleSettings();
      await indexWorkspace(progress);
      progress?.report(100, 'Checking the workspace');
      await new Promise((resolve) => setTimeout(resolve, 0)); // lets the report out before the analysis
    } finally {
      scanning = false;
      // The first analysis, once, after the scan (edits made during the scan are answered here too).
      if (validationTimer) clearTimeout(validationTimer);
      validationTimer = undefined;
      validate();
      progress?.done();
      indexingStatus({ scanning: false });
    }
  }),
);

/** Tells a client that asked for it how the scan goes (never throws: a closed connection only loses the message). */
function indexingStatus(status: IndexingStatus): void {
  if (sendIndexingStatus) void connection.sendNotification(INDEXING_NOTIFICATION, status).catch(() => undefined);
}

/** Reads the workspace folders with "Indexing N files" progress in the editor (when it shows server progress). */
async function indexWorkspace(progress: WorkDoneProgressServerReporter | undefined): Promise<void> {
  const started = Date.now();
  let begun = false;
  const pool = ReaderPool.create(path.join(__dirname, 'readerWorker.js'));
  const { read, onThreads } = await scanWorkspace(workspace, workspaceFolders, {
    readApart: pool && ((uri, text) => pool.read(uri, text)),
    skip: (uri) => documents.get(uri) !== undefined,
    log: (message) => connection.console.info(message),
    warn: (message) => connection.console.warn(message),
    progress: (done, total) => {
      const files = `${formatCount(total)} file${total === 1 ? '' : 's'}`;
      const message = `${formatCount(done)} of ${files}`;
      const percentage = total === 0 ? 100 : Math.floor((done * 100) / total);
      if (!begun) progress?.begin(`Indexing ${files}`, percentage, message, false);
      else progress?.report(percentage, message);
      begun = true;
      indexingStatus({ scanning: true, done, total });
    },
  }).finally(() => pool?.close());
  const threads = onThreads > 0 ? ` (${onThreads} on ${pool?.size} reader threads)` : '';
  connection.console.info(`Read ${read} workspace file(s) in ${Date.now() - started} ms${threads}.`);
}

/** Reads a file from disk into the workspace; false when it cannot be read. */
async function readIntoWorkspace(uri: string): Promise<boolean> {
  try {
    const file = fileURLToPath(uri);
    const read = await readDiskFile(file);
    if ('skipped' in read) {
      connection.console.info(read.skipped);
      return false;
    }
    if ('error' in read) throw new Error(read.error);
    const { text } = read;
    // Opened in the editor while it was being read: the editor's text wins over disk.
    if (documents.get(uri)) return true;
    return workspace.setFile(uri, text);
  } catch (error) {
    connection.console.warn(`Could not read ${uri}: ${error instanceof Error ? error.message : String(error)}`);
    workspace.removeFile(uri);
    return false;
  }
}

/** Documents just opened: their first content is not typing. */
const opening = new Set<string>();
documents.onDidOpen((event) => opening.add(event.document.uri));

documents.onDidChangeContent(
  guarded('document change', undefined, (change) => {
    const { uri, languageId, version } = change.document;
    const opened = opening.delete(uri);
    if (workspace.setFile(uri, change.document.getText(), version, { open: true, languageId })) {
      edited.add(uri);
      scheduleValidation(opened ? OPEN_VALIDATION_DELAY_MS : VALIDATION_DELAY_MS);
    }
  }),
);

documents.onDidClose(
  guarded('document close', undefined, async (event) => {
    const uri = event.document.uri;
    // A closed file still belongs to the workspace as it is on disk; a file that was never saved leaves it.
    if (!uri.startsWith('file:') || !(await readIntoWorkspace(uri))) workspace.removeFile(uri);
    scheduleValidation();
  }),
);

connection.onDidChangeWatchedFiles(
  guarded('watched files', undefined, async (params) => {
    for (const change of params.changes) {
      if (!isSupportedFile(change.uri) || documents.get(change.uri)) continue;
      if (change.type === FileChangeType.Deleted) workspace.removeFile(change.uri);
      else await readIntoWorkspace(change.uri);
    }
    scheduleValidation();
  }),
);

connection.onCodeAction(
  guarded('code action', [], (params) => codeActionsFor(workspace, params.textDocument.uri, params.range)),
);

connection.onRequest(
  PLAN_PREFILL_REQUEST,
  guarded('plan prefill', { defaults: planDefaults() }, (params: { uri?: string }) => planPrefill(workspace, params?.uri)),
);

connection.onRequest(
  PLAN_REQUEST,
  guarded('plan', { ok: false, error: 'internal error: see the AKS Network Lens output' } as PlanResponse, (params: PlanRequest) => {
    if (!params || typeof params.nodes !== 'number' || typeof params.maxPods !== 'number' || typeof params.mode !== 'string') {
      return { ok: false, error: 'a plan needs mode, nodes and maxPods' };
    }
    return planIps(workspace, params);
  }),
);

connection.onRequest(
  NETWORK_MAP_REQUEST,
  guarded('network map', { version: NETWORK_MAP_VERSION } as NetworkMapData, async (params: NetworkMapParams | undefined) => {
    const view = isMapViewId(params?.view) ? params.view : undefined;
    // git runs only for the view that draws the comparison.
    const compare = params?.compareWith === 'HEAD' && (view === undefined || view === 'policies');
    return networkMap(
      workspace,
      typeof params?.uri === 'string' ? params.uri : undefined,
      typeof params?.focus === 'string' ? params.focus.slice(0, 100) : undefined,
      typeof params?.environment === 'string' ? params.environment : undefined,
      compare ? await gitBaseline.read(workspaceFolders) : undefined,
      view,
    );
  }),
);

connection.languages.inlayHint.on(
  guarded('inlay hints', [], (params) => (hintsEnabled ? inlayHintsFor(workspace, params.textDocument.uri, params.range) : [])),
);

connection.onCodeLens(guarded('code lenses', [], (params) => (hintsEnabled ? codeLensesFor(workspace, params.textDocument.uri) : [])));

connection.onHover(guarded('hover', null, (params) => hoverAt(workspace, params.textDocument.uri, params.position)));

function scheduleValidation(delay = VALIDATION_DELAY_MS): void {
  if (scanning) return; // the scan validates once when it ends
  if (validationTimer) clearTimeout(validationTimer);
  validationTimer = setTimeout(() => {
    validationTimer = undefined;
    validate();
  }, delay);
}

function validate(): void {
  try {
    publishAll();
  } catch (error) {
    connection.console.error(`validation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

/** Publishes diagnostics for every file whose diagnostics changed, clearing those that went away. */
function publishAll(): void {
  const analysis = workspace.analyze();
  const editedNow = new Set(edited);
  edited.clear();
  for (const failure of analysis.failures) connection.console.error(`Rule ${failure.rule} failed: ${failure.error}`);
  const uris = new Set([...workspace.uris(), ...published.keys()]);
  for (const uri of uris) {
    const diagnostics: Diagnostic[] = diagnosticsFor(workspace, uri, docsBase);
    const key = JSON.stringify(diagnostics);
    // An edited document always gets an answer, even an unchanged empty one: the client then knows it was checked.
    if ((published.get(uri) ?? '[]') === key && !editedNow.has(uri)) continue;
    // The version of the open document the diagnostics describe, so a client can tell them from stale ones.
    connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics });
    if (diagnostics.length === 0) published.delete(uri);
    else published.set(uri, key);
  }
}

process.on('uncaughtException', (error) => connection.console.error(`Uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${String(reason)}`));

documents.listen(connection);
connection.listen();
