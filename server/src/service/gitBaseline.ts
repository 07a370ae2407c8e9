// What Compare Policies with HEAD compares with: the workspace folders' files as their git HEAD holds them, read
// by cli/gitVersion.ts (git rev-parse, ls-tree, cat-file: read-only, never a checkout; the same reading as
// `netlens flows --diff HEAD`) and analysed into flows once per commit. git runs only when the client asks for
// a comparison, never because of what a workspace holds.
import { gitAvailable, readPathsAtRevision, repositoryTop, resolveRevision } from '../cli/gitVersion';
import type { FlowsVersion } from '../flows/diff';
import { analyzeFlows } from '../flows/engine';

/** The revision's flows and its commit (abbreviated), or why there are none. */
export type Baseline =
  | { readonly ok: true; readonly revision: string; readonly commit: string; readonly version: FlowsVersion }
  | { readonly ok: false; readonly revision: string; readonly error: string };

/** HEAD's flows of the workspace folders, kept while HEAD names the same commits. */
export class GitBaseline {
  private cached: { key: string; reading: Promise<Baseline> } | undefined;

  /** The folders (paths on disk) at HEAD; never throws: a failure is a baseline with the reason. */
  async read(folders: readonly string[]): Promise<Baseline> {
    const revision = 'HEAD';
    const failed = (error: string): Baseline => ({ ok: false, revision, error });
    try {
      if (folders.length === 0) return failed('Open a folder on disk to compare its policies with HEAD.');
      if (!(await gitAvailable(folders[0]!))) {
        return failed('git was not found, and Compare Policies with HEAD reads HEAD with git: install git, or put it on the PATH that VS Code starts with.');
      }
      const commits: string[] = [];
      for (const folder of folders) {
        const top = await repositoryTop(folder);
        if (top === undefined) return failed(`${folder} is not in a git repository, so there is no HEAD to compare its policies with.`);
        const commit = await resolveRevision(revision, top);
        if (commit === undefined) return failed(`The git repository at ${top} has no commit yet, so there is no HEAD to compare its policies with.`);
        commits.push(commit);
      }
      const key = JSON.stringify([folders, commits]);
      if (this.cached?.key !== key) this.cached = { key, reading: this.readAt(folders, commits) };
      const reading = this.cached.reading;
      const baseline = await reading;
      // A failed reading is tried again next time.
      if (!baseline.ok && this.cached?.reading === reading) this.cached = undefined;
      return baseline;
    } catch (error) {
      return failed(`HEAD could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async readAt(folders: readonly string[], commits: readonly string[]): Promise<Baseline> {
    const revision = 'HEAD';
    const read = await readPathsAtRevision(folders, folders[0]!, revision);
    if (read.errors.length > 0) return { ok: false, revision, error: read.errors.join(' ') };
    const { flows, workloads } = analyzeFlows(read.workspace.analyze().model);
    const commit = [...new Set(commits.map((full) => full.slice(0, 8)))].join(', ');
    return { ok: true, revision, commit, version: { flows, workloads } };
  }
}
