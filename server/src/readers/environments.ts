// Parameters files as environments: which template each feeds, and the deployments the passes evaluate — a
// template once per parameters file that feeds it, and once with its own defaults when every parameter has one
// (or when nothing feeds it). A value a parameters file writes keeps its place in that file, so a finding it
// causes is reported there.
import type { ReadResult } from './index';
import { terraformConfigurationOf } from './terraform/terraformReader';

/** A deployment's root: a template, with the parameters file of one environment or with its defaults. */
export interface DeploymentRoot {
  readonly template: string;
  readonly parameters?: string;
}

const SEPARATOR = '|environment=';

export function rootKey(root: DeploymentRoot): string {
  return root.parameters === undefined ? root.template : `${root.template}${SEPARATOR}${root.parameters}`;
}

export function parseRootKey(key: string): DeploymentRoot {
  const at = key.indexOf(SEPARATOR);
  return at < 0 ? { template: key } : { template: key.slice(0, at), parameters: key.slice(at + SEPARATOR.length) };
}

/**
 * The template a parameters file names in `metadata.template` (AKS-Construction writes `bicep/main.bicep`): relative
 * to the file's folder or to one of the folders above it, the first that the workspace holds.
 */
function namedTemplate(parameters: string, named: string, files: ReadonlyMap<string, ReadResult>): string | undefined {
  for (let folder = new URL('.', parameters); ; folder = new URL('..', folder)) {
    const candidate = new URL(named, folder).href;
    if (files.has(candidate)) return candidate;
    if (folder.pathname === new URL('..', folder).pathname) return undefined;
  }
}

/**
 * The template a parameters file feeds: the one `.aksnetlens.yaml`'s `deployments` pairs it with, else the one its
 * `metadata.template` names, else by the conventions
 * `X.parameters.json` and `X.parameters.<environment>.json` beside `X.bicep` or `X.json` (the .bicep first: a
 * `main.json` beside it is its compiled output); a `.tfvars` file feeds the Terraform configuration that declares its
 * variables, nearest first (terraform/terraformReader.ts).
 */
export function templateOf(parameters: string, files: ReadonlyMap<string, ReadResult>): string | undefined {
  const read = files.get(parameters)?.parameters;
  if (!read) return undefined;
  // Paired in .aksnetlens.yaml first: the team's word wins over names.
  for (const file of files.values()) {
    for (const declared of file.facts.declaredDeployments) if (declared.parameters.includes(parameters)) return declared.template;
  }
  if (read.template !== undefined) return namedTemplate(parameters, read.template, files);
  if (files.get(parameters)?.terraform) return terraformConfigurationOf(parameters, files);
  const stem = /^(.*)\.parameters(?:\.[^./]+)?\.json$/i.exec(parameters)?.[1];
  if (stem === undefined) return undefined;
  return [`${stem}.bicep`, `${stem}.json`].find((candidate) => files.has(candidate));
}

/**
 * The deployments to evaluate: each root template with its defaults (where they are complete, or when nothing
 * feeds it) and once per parameters file that feeds it; a parameters file also deploys a template that is otherwise
 * only a module (`isTemplate`: the files the pass evaluates).
 */
export function deploymentRoots(
  roots: readonly string[],
  files: ReadonlyMap<string, ReadResult>,
  defaultsComplete: (template: string) => boolean,
  isTemplate: (uri: string) => boolean,
): string[] {
  const fed = new Map<string, string[]>();
  for (const uri of files.keys()) {
    const template = templateOf(uri, files);
    if (template !== undefined && isTemplate(template)) fed.set(template, [...(fed.get(template) ?? []), uri]);
  }
  const keys = roots.flatMap((template) => {
    const environments = fed.get(template) ?? [];
    const withDefaults = environments.length === 0 || defaultsComplete(template) ? [rootKey({ template })] : [];
    return [...withDefaults, ...environments.map((parameters) => rootKey({ template, parameters }))];
  });
  const isRoot = new Set(roots);
  for (const [template, environments] of fed) if (!isRoot.has(template)) keys.push(...environments.map((parameters) => rootKey({ template, parameters })));
  return keys;
}

/** Which template each parameters file of the workspace feeds (for `netlens explain`); undefined: none found. */
export function environmentsOf(files: ReadonlyMap<string, ReadResult>): { parameters: string; template: string | undefined }[] {
  return [...files].filter(([, read]) => read.parameters !== undefined).map(([parameters]) => ({ parameters, template: templateOf(parameters, files) }));
}

