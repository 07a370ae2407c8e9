// Terraform files and configurations. A `.tf` file is read alone for its syntax; a configuration (the `.tf` files of a
// folder) is a deployment, evaluated by the Terraform pass with its variables bound and lowered through the Azure
// resource layer. `terraform.tfvars` and `*.auto.tfvars` (and their `.json` forms) apply to every run of their folder; any other `.tfvars` file
// is an environment (`terraform apply -var-file=…`), as a parameters file is for a Bicep template.
import { emptyFileFacts, type FileFacts } from '../../model/network';
import { lowerDeployment } from '../arm/lowering';
import type { ArmValue, Deployment } from '../arm/values';
import type { ReadResult } from '../index';
import type { ProjectPass } from '../projectPass';
import type { ParametersFile } from '../yaml/jsonManifest';
import { azureResources, terraformResourceId } from './azurerm';
import { type ConfigFile, Configuration, type ConfigHost, type EvaluatedResource } from './evaluator';
import { type HclFile, parseHcl } from './hclSyntax';
import { type Node, parseDocument } from 'yaml';
import { armValueOf } from '../yaml/armValues';
import { PARSE_OPTIONS } from '../yaml/yamlReader';

export interface TerraformFile {
  /** `configuration`: a .tf file; `variables`: a .tfvars file. */
  readonly kind: 'configuration' | 'variables';
  readonly hcl: HclFile;
  /** For variables files: the values it sets. */
  readonly values?: ReadonlyMap<string, ArmValue>;
}

/** Applied to every run of its folder, before an environment's file (Terraform's own loading order). */
export const isAutoLoaded = (uri: string) => /(^|\/)terraform\.tfvars(\.json)?$|\.auto\.tfvars(\.json)?$/i.test(uri);

export const folderOf = (uri: string) => uri.slice(0, uri.lastIndexOf('/') + 1);

/** Reads a .tf or .tfvars file: its syntax errors, and a .tfvars file's values. */
export function readTerraformFile(uri: string, text: string): { facts: FileFacts; terraform?: TerraformFile; parameters?: ParametersFile } {
  const facts = emptyFileFacts(uri);
  const hcl = parseHcl(text);
  if (!hcl) {
    facts.problems.push({ kind: 'file-not-read', message: 'The Terraform parser is not loaded yet; the file is read again when it changes.', source: { uri, start: 0, end: 0 } });
    return { facts };
  }
  for (const error of hcl.errors) facts.problems.push({ kind: 'terraform-syntax', message: error.message, source: { uri, start: error.start, end: Math.max(error.end, error.start) } });
  if (!/\.tfvars$/i.test(uri)) return { facts, terraform: { kind: 'configuration', hcl } };
  // Variables files hold constants: evaluated with nothing in scope.
  const nowhere: ConfigHost = { files: () => undefined, downloaded: () => undefined };
  const constants = new Configuration(folderOf(uri), [], new Map(), { host: nowhere, identity: () => undefined, evaluated: [], uses: {}, root: folderOf(uri) });
  const values = new Map(hcl.body.attributes.map((attribute) => [attribute.name, constants.expression(attribute.value, uri, new Map())]));
  const terraform: TerraformFile = { kind: 'variables', hcl, values };
  return isAutoLoaded(uri) ? { facts, terraform } : { facts, terraform, parameters: { values } };
}

/** Reads a `.tfvars.json` file (Terraform's JSON variables syntax): the top-level properties are the values it sets. */
export function readTerraformJsonVariables(uri: string, text: string): { facts: FileFacts; terraform?: TerraformFile; parameters?: ParametersFile } {
  const facts = emptyFileFacts(uri);
  const doc = parseDocument(text, PARSE_OPTIONS);
  const value = doc.errors.length === 0 ? armValueOf({ uri, facts, doc, text }, doc.contents as Node | null, Number.MAX_SAFE_INTEGER) : undefined;
  if (value?.kind !== 'object') return { facts };
  const values = value.properties;
  const terraform: TerraformFile = { kind: 'variables', hcl: { body: { attributes: [], blocks: [] }, errors: [] }, values };
  return isAutoLoaded(uri) ? { facts, terraform } : { facts, terraform, parameters: { values } };
}

/**
 * The .tf files of a folder among the workspace's reads (not of its subfolders), by name: the configuration is the
 * same whatever order the files were read in (a block declared twice, which Terraform refuses, is the first file's).
 */
function configurationFiles(folder: string, files: ReadonlyMap<string, ReadResult>): [string, ReadResult][] {
  return [...files].filter(([uri, read]) => read.terraform?.kind === 'configuration' && folderOf(uri) === folder).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Where `terraform init` put a registry module: `.terraform/modules/modules.json` lists each module call by its key
 * (`aks`, `aks.network`) with the folder it was downloaded to, relative to the root configuration.
 */
function downloadedModule(root: string, key: string, manifest: string | undefined): string | undefined {
  if (manifest === undefined) return undefined;
  try {
    const modules = (JSON.parse(manifest) as { Modules?: { Key?: unknown; Dir?: unknown }[] }).Modules;
    const dir = Array.isArray(modules) ? modules.find((module) => module.Key === key)?.Dir : undefined;
    return typeof dir === 'string' ? new URL(dir.endsWith('/') ? dir : `${dir}/`, root).href : undefined;
  } catch {
    return undefined;
  }
}

/** A configuration under `.terraform/` is a module `terraform init` downloaded: evaluated where it is called, never as a root. */
const isDownloaded = (folder: string) => /\/\.terraform\//.test(folder);

/** The folders holding .tf files, in workspace order. */
function configurationFolders(files: ReadonlyMap<string, ReadResult>): string[] {
  const folders = new Set<string>();
  for (const [uri, read] of files) if (read.terraform?.kind === 'configuration') folders.add(folderOf(uri));
  return [...folders];
}

/** The folders a configuration calls as local modules (`source = "./modules/aks"`, `"../.."`). */
function calledFolders(folder: string, files: ReadonlyMap<string, ReadResult>): string[] {
  const called: string[] = [];
  for (const [, read] of configurationFiles(folder, files)) {
    for (const block of read.terraform!.hcl.body.blocks) {
      if (block.type !== 'module') continue;
      const source = block.body.attributes.find((a) => a.name === 'source')?.value;
      if (source?.kind === 'literal' && typeof source.value === 'string' && /^\.\.?(\/|$)/.test(source.value)) {
        called.push(new URL(source.value.endsWith('/') ? source.value : `${source.value}/`, folder).href);
      }
    }
  }
  return called;
}

/** The variables a configuration declares, and whether each has a default. */
function declaredVariables(folder: string, files: ReadonlyMap<string, ReadResult>): Map<string, boolean> {
  const declared = new Map<string, boolean>();
  for (const [, read] of configurationFiles(folder, files)) {
    for (const block of read.terraform!.hcl.body.blocks) {
      if (block.type === 'variable' && block.labels[0]) declared.set(block.labels[0], block.body.attributes.some((a) => a.name === 'default'));
    }
  }
  return declared;
}

/** The auto-loaded variables files of a folder, in Terraform's order: terraform.tfvars(.json), then *.auto.tfvars(.json) by name. */
function autoLoaded(folder: string, files: ReadonlyMap<string, ReadResult>): string[] {
  return [...files.keys()]
    .filter((uri) => folderOf(uri) === folder && isAutoLoaded(uri) && files.get(uri)?.terraform?.kind === 'variables')
    .sort((a, b) => {
      const rank = (uri: string) => (/\/terraform\.tfvars$/i.test(uri) ? 0 : /\/terraform\.tfvars\.json$/i.test(uri) ? 1 : 2);
      return rank(a) - rank(b) || a.localeCompare(b);
    });
}

/**
 * The configuration a variables file is an environment of: its own folder's, else the nearest configuration, below
 * the file's folder or one above it, that declares every variable the file sets (private-aks-cluster-terraform-devops
 * keeps `tfvars/test/test.tfvars` beside `terraform/`). Undefined when none, or several equally near, qualify.
 */
export function terraformConfigurationOf(variables: string, files: ReadonlyMap<string, ReadResult>): string | undefined {
  const set = [...(files.get(variables)?.terraform?.values?.keys() ?? [])];
  const folders = configurationFolders(files);
  const takes = (folder: string) => {
    const declared = declaredVariables(folder, files);
    return set.every((name) => declared.has(name));
  };
  for (let folder = folderOf(variables); ; folder = new URL('..', folder).href) {
    const candidates = folders.filter((candidate) => candidate.startsWith(folder) && takes(candidate));
    if (candidates.includes(folder)) return folder;
    // Among several, the roots (configurations no other calls) are what `-var-file` is given to.
    const called = new Set(candidates.flatMap((candidate) => calledFolders(candidate, files)));
    const roots = candidates.filter((candidate) => !called.has(candidate));
    if (roots.length === 1) return roots[0];
    if (roots.length > 1) return undefined;
    if (new URL('..', folder).href === folder) return undefined;
  }
}

export const terraformDeployments: ProjectPass = {
  id: 'terraform',
  takes: (read) => read.terraform !== undefined,
  // Root configurations: folders of .tf files no other configuration of the workspace calls as a module.
  templates: (files) => {
    const folders = configurationFolders(files);
    const called = new Set(folders.flatMap((folder) => calledFolders(folder, files)));
    return folders.filter((folder) => !called.has(folder) && !isDownloaded(folder));
  },
  isTemplate: (uri, files) => uri.endsWith('/') && configurationFiles(uri, files).length > 0,
  defaultsComplete: (folder, files) => {
    const given = new Set(autoLoaded(folder, files).flatMap((uri) => [...(files.get(uri)?.terraform?.values?.keys() ?? [])]));
    return [...declaredVariables(folder, files)].every(([name, hasDefault]) => hasDefault || given.has(name));
  },
  problems: () => [],
  evaluate: (root, key, files, host) => {
    const facts = emptyFileFacts(`terraform-deployment:${key}`);
    const configHost: ConfigHost = {
      files: (folder) => {
        // Read through the host, so that the deployment is evaluated again when a file of the folder changes; the
        // folder itself is recorded too, for a file added to it.
        host.read(folder);
        const found = configurationFiles(folder, files).map(([uri]): ConfigFile | undefined => {
          const hcl = host.read(uri)?.terraform?.hcl;
          return hcl && { uri, body: hcl.body };
        });
        const read = found.filter((file): file is ConfigFile => file !== undefined);
        return read.length > 0 ? read : undefined;
      },
      downloaded: (folder, key) => downloadedModule(folder, key, host.text(`${folder}.terraform/modules/modules.json`)),
    };
    const own = configHost.files(root.template);
    if (!own) return facts;
    const inputs = new Map<string, ArmValue>();
    for (const uri of [...autoLoaded(root.template, files), ...(root.parameters ? [root.parameters] : [])]) {
      for (const [name, value] of host.read(uri)?.terraform?.values ?? []) inputs.set(name, value);
    }
    const evaluated: EvaluatedResource[] = [];
    const deployment: Deployment = { instances: [], uses: new Map() };
    new Configuration(root.template, own, inputs, { host: configHost, identity: terraformResourceId, evaluated, uses: deployment, root: root.template }).evaluateAll();
    deployment.instances.push(...azureResources(evaluated));
    lowerDeployment(`terraform:${key}`, deployment, facts, root.parameters);
    for (const use of deployment.uses!.values()) {
      facts.valueUses.push({
        source: use.source,
        values: [...use.values],
        ...(root.parameters !== undefined ? { environment: root.parameters } : {}),
        ...(use.unknown !== undefined ? { unknown: use.unknown } : {}),
      });
    }
    return facts;
  },
};
