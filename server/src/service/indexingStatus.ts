// The `aksNetworkLens/indexing` notification: the initial scan's progress for a client that asks for it
// (initializationOptions.indexingStatus, the VS Code client's status bar item). Plain JSON, no imports: the
// client imports it too. Editors that show LSP work-done progress get "Indexing N files" either way.

export const INDEXING_NOTIFICATION = 'aksNetworkLens/indexing';

/** While the scan reads files: how many of how many; then `scanning: false` once the first analysis is published. */
export type IndexingStatus = { readonly scanning: true; readonly done: number; readonly total: number } | { readonly scanning: false };

/** The initialization options a client passes to receive the notification. */
export interface IndexingInitializationOptions {
  readonly indexingStatus?: boolean;
}
