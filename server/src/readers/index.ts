// Chooses the reader for a file by its name, or by the editor's language for a document without one.
import type { FileFacts } from '../model/network';
import { bicepDeployments, parseBicepFile, readBicepParams } from './bicep/bicepReader';
import { templateDeployments } from './arm/templateDeployments';
import type { ProjectPass } from './projectPass';
import type { Program } from './bicep/syntax';
import { type ParametersFile, readJsonFile, type TemplateFile } from './yaml/jsonManifest';
import { readWorkspaceSettings } from './workspaceSettings';
import { readYamlDocuments, type YamlDocumentCache } from './yaml/yamlDocumentCache';
import { readYamlFile } from './yaml/yamlReader';
import { readTerraformFile, readTerraformJsonVariables, type TerraformFile, terraformDeployments } from './terraform/terraformReader';

/** What reading one file gives: its own facts, and for Bicep the program that deployments are evaluated from. */
export interface ReadResult {
  readonly languageId: string;
  readonly facts: FileFacts;
  readonly program?: Program;
  /** For an ARM template (a JSON file with its `$schema`): its values, evaluated with the workspace's templates. */
  readonly template?: TemplateFile;
  /** For an ARM parameters file: its values by parameter name, one environment of the template it feeds. */
  readonly parameters?: ParametersFile;
  /** For a Terraform file: its syntax, and a variables file's values (a configuration is evaluated by its folder). */
  readonly terraform?: TerraformFile;
  /** For an open YAML file: what the next read after an edit can reuse (yaml/yamlDocumentCache.ts). */
  readonly documents?: YamlDocumentCache;
}

/** How to read: `open` for a document being edited, with its previous read, so unchanged parts are reused. */
export interface ReadOptions {
  readonly open?: boolean;
  readonly previous?: ReadResult;
  /** The editor's language for the document: picks the reader when the name does not (an untitled document). */
  readonly languageId?: string;
}

/**
 * A reader: the files it handles, and whether what it gives for a file on disk is plain data, so that another
 * thread can read the file and send the result over (service/readerPool.ts): facts yes, a Bicep program no
 * (deployments are evaluated from the programs of several files together).
 */
interface Reader {
  readonly pattern: RegExp;
  /** The language of documents this reader takes whatever their name (none for a reader of one file name). */
  readonly language?: string;
  readonly read: (uri: string, text: string, options: ReadOptions) => ReadResult;
  readonly apart: boolean;
}

const READERS: readonly Reader[] = [
  // The workspace settings file before the generic YAML reader.
  { pattern: /(^|[/\\])\.aksnetlens\.ya?ml$/i, read: (uri, text) => ({ languageId: 'yaml', facts: readWorkspaceSettings(uri, text) }), apart: true },
  {
    pattern: /\.ya?ml$/i,
    language: 'yaml',
    apart: true,
    read: (uri, text, { open, previous }) => {
      if (!open) return { languageId: 'yaml', facts: readYamlFile(uri, text) };
      const { facts, cache } = readYamlDocuments(uri, text, previous?.documents);
      return { languageId: 'yaml', facts, documents: cache };
    },
  },
  { pattern: /\.bicep$/i, language: 'bicep', read: (uri, text) => ({ languageId: 'bicep', ...parseBicepFile(uri, text) }), apart: false },
  // An environment of a Bicep template (`using './main.bicep'`): its values, evaluated with its template's deployments.
  { pattern: /\.bicepparam$/i, language: 'bicep-params', read: (uri, text) => ({ languageId: 'bicep-params', ...readBicepParams(uri, text) }), apart: false },
  // Terraform (the language ids of HashiCorp's extension): a configuration is its folder's .tf files, evaluated together.
  { pattern: /\.tf$/i, language: 'terraform', read: (uri, text) => ({ languageId: 'terraform', ...readTerraformFile(uri, text) }), apart: false },
  { pattern: /\.tfvars$/i, language: 'terraform-vars', read: (uri, text) => ({ languageId: 'terraform-vars', ...readTerraformFile(uri, text) }), apart: false },
  { pattern: /\.tfvars\.json$/i, read: (uri, text) => ({ languageId: 'json', ...readTerraformJsonVariables(uri, text) }), apart: false },
  // Kubernetes manifests (PodList, NamespaceList dumps) and ARM templates; other JSON contributes nothing.
  { pattern: /\.json$/i, language: 'json', read: (uri, text) => ({ languageId: 'json', ...readJsonFile(uri, text) }), apart: true },
];

/** True when some reader understands files of this name. */
export function isSupportedFile(uriOrPath: string): boolean {
  return READERS.some((reader) => reader.pattern.test(uriOrPath));
}

/** True when a file on disk of this name can be read on another thread (its reader gives plain data). */
export function canReadApart(uriOrPath: string): boolean {
  return READERS.find((reader) => reader.pattern.test(uriOrPath))?.apart ?? false;
}

/** Reads a file, or undefined when no reader handles it. */
export function readFile(uri: string, text: string, options: ReadOptions = {}): ReadResult | undefined {
  const reader = READERS.find((r) => r.pattern.test(uri)) ?? READERS.find((r) => r.language !== undefined && r.language === options.languageId);
  return reader?.read(uri, text, options);
}

/** The cross-file passes, in the order their facts join the model. */
export const PROJECT_PASSES: readonly ProjectPass[] = [bicepDeployments, templateDeployments, terraformDeployments];
