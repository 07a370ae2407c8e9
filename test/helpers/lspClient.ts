// A real LSP client for protocol tests: spawns `node dist/server.js --stdio` and speaks JSON-RPC to it.
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  type Diagnostic,
  type Hover,
  type ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.join(import.meta.dirname, '..', '..', 'dist', 'server.js');

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: (() => void)[] = [];

  /** Spawns our server, or another language server given as a command line (benchmarks compare peers). */
  constructor(command: readonly string[] = [process.execPath, SERVER, '--stdio']) {
    this.process = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk) => this.stderr.push(String(chunk)));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.listen();
  }

  /** Settings the client answers `workspace/configuration` with, by section. */
  settings: Record<string, unknown> | undefined;

  /** More client capabilities to announce (for example `window: { workDoneProgress: true }`). */
  capabilities: Record<string, unknown> = {};

  /** The initialization options to send (the VS Code client's `{ indexingStatus: true }`). */
  initializationOptions: Record<string, unknown> | undefined;

  async initialize(rootUri: string | null): Promise<unknown> {
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section ? this.settings?.[item.section] : undefined) ?? null),
    );
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: { ...(this.settings ? { workspace: { configuration: true } } : {}), ...this.capabilities },
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'test' }] : null,
      ...(this.initializationOptions ? { initializationOptions: this.initializationOptions } : {}),
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1, languageId = uri.endsWith('.bicep') ? 'bicep' : 'yaml'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Forgets what was published for a file, so the next wait sees only new diagnostics. */
  forget(uri: string): void {
    this.diagnostics.delete(uri);
  }

  change(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  /** Waits until the diagnostics published for `uri` satisfy the predicate; fails with what was seen. */
  async waitForDiagnostics(uri: string, predicate: (d: Diagnostic[]) => boolean, timeoutMs = 10000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && predicate(current)) return current;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`diagnostics for ${uri} never matched; last seen: ${JSON.stringify(current)}; stderr: ${this.stderr.join('')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.process.kill();
    }
  }
}
