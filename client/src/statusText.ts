// What the status bar item says (statusBar.ts), without `vscode`: the unit tests call it directly.
import type { IndexingStatus } from '../../server/src/service/indexingStatus';

export interface FindingCounts {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
}

export interface StatusText {
  /** The item's text, with codicons. */
  readonly text: string;
  readonly tooltip: string;
  /** What a screen reader says: the text in words. */
  readonly label: string;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The scan's progress while it runs (or that the server is starting or stopped), else the finding counts. */
export function statusText(scan: IndexingStatus | 'starting' | 'stopped', counts: FindingCounts): StatusText {
  const click = 'Click to open the Problems panel.';
  if (scan === 'starting') {
    return { text: '$(sync~spin) AKS', tooltip: 'AKS Network Lens: the language server is starting.', label: 'AKS Network Lens: starting' };
  }
  if (scan === 'stopped') {
    return {
      text: '$(circle-slash) AKS',
      tooltip: 'AKS Network Lens: the language server is not running (see "AKS Network Lens: Show Server Log").',
      label: 'AKS Network Lens: not running',
    };
  }
  if (scan.scanning) {
    const progress = `${scan.done.toLocaleString('en-US')}/${scan.total.toLocaleString('en-US')}`;
    return {
      text: `$(sync~spin) AKS: indexing ${progress}`,
      tooltip: `AKS Network Lens: indexing the workspace, ${scan.done.toLocaleString('en-US')} of ${plural(scan.total, 'file')} read. Findings follow when every file is read.`,
      label: `AKS Network Lens: indexing ${progress} files`,
    };
  }
  const words = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}${counts.info > 0 ? `, ${plural(counts.info, 'info')}` : ''}`;
  return {
    text: `AKS $(error) ${counts.error} $(warning) ${counts.warning}${counts.info > 0 ? ` $(info) ${counts.info}` : ''}`,
    tooltip: `AKS Network Lens: ${words} in the workspace. ${click}`,
    label: `AKS Network Lens: ${words}`,
  };
}
