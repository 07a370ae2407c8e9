// Cross-file evaluation as a pass over the workspace's reads: Bicep deployments today, ARM linked templates and
// Terraform modules next. A pass splits the files into deployments, each evaluated from its root; the workspace
// records the files each deployment read, so an edit re-evaluates only the deployments that read the edited file.
import type { FileFacts, ReadProblem } from '../model/network';
import type { DeploymentRoot } from './environments';
import type { ReadResult } from './index';

/** What a deployment can read: workspace files (their reads), other files through the workspace's loader. */
export interface ProjectHost {
  /** A file's read (a workspace file's own, or one read from disk), or undefined when there is no such file. */
  read(uri: string): ReadResult | undefined;
  /** Any file's text (load*Content), or undefined when there is no such file. */
  text(uri: string): string | undefined;
  /** Why an existing file is not read (outside the workspace), or undefined. */
  notRead(uri: string): string | undefined;
}

export interface ProjectPass {
  readonly id: string;
  /** True for a read this pass evaluates (a Bicep program, a parameters file): a change to one may change the deployments. */
  takes(read: ReadResult): boolean;
  /** The templates deployments start from (files no other file uses as a module), in workspace order. */
  templates(files: ReadonlyMap<string, ReadResult>): string[];
  /** True for a template this pass evaluates (a Bicep program, an ARM template, a Terraform folder), module or not: a parameters file may deploy it. */
  isTemplate(uri: string, files: ReadonlyMap<string, ReadResult>): boolean;
  /** True when every parameter of the template has a default (or may be left out): it is also deployed as it is. */
  defaultsComplete(template: string, files: ReadonlyMap<string, ReadResult>): boolean;
  /** Problems across the pass's files (a module file that does not exist). */
  problems(files: ReadonlyMap<string, ReadResult>, host: ProjectHost): ReadProblem[];
  /** The facts of one deployment: a template with its defaults, or with one environment's parameters (read through the host). */
  evaluate(root: DeploymentRoot, key: string, files: ReadonlyMap<string, ReadResult>, host: ProjectHost): FileFacts;
}
