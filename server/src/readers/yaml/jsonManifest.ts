// JSON files: Kubernetes manifests (an object or a List with apiVersion and kind) are read like YAML, since
// JSON is YAML; ARM deployment templates and parameters files (their `$schema`) become resource values with
// sources, evaluated with the other templates of the workspace (readers/arm/templateDeployments.ts, and
// readers/environments.ts for which template a parameters file feeds). Any other JSON (package.json, …)
// contributes nothing, and a JSON file that does not parse is not reported: JSON is not a
// language of this tool unless it is one of these.
import { type Node, parseDocument } from 'yaml';
import { emptyFileFacts, type FileFacts } from '../../model/network';
import { isArmTemplate, isBicepGenerated } from '../arm/template';
import { type ArmValue, asString, property, unknownValue } from '../arm/values';
import { unreadableReason } from '../fileText';
import { armValueOf } from './armValues';
import { PARSE_OPTIONS, readYamlFile } from './yamlReader';

/** An ARM template read from a JSON file. */
export interface TemplateFile {
  readonly value: ArmValue;
  /** Compiled by Bicep from a `.bicep` file (metadata._generator): that file is evaluated, not this one. */
  readonly generatedByBicep: boolean;
}

/** True when the parsed JSON looks like a Kubernetes object or list. */
function isKubernetesManifest(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  return typeof apiVersion === 'string' && typeof kind === 'string';
}

/** True when the JSON's `$schema` is of the kind (deploymentTemplate, deploymentParameters). */
const hasSchema = (value: unknown, kind: string) =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { $schema?: unknown }).$schema === 'string' &&
  new RegExp(`${kind}\\.json#?$`, 'i').test((value as { $schema: string }).$schema);

/**
 * A parameters file's values by parameter name: `parameters.<name>.value`; a Key Vault `reference` is unknown (the
 * secret is read at deployment).
 */
function parameterValues(file: ArmValue | undefined): ParametersFile {
  const values = new Map<string, ArmValue>();
  const template = asString(property(property(file, 'metadata'), 'template'));
  const parameters = property(file, 'parameters');
  if (parameters?.kind !== 'object') return { values, ...(template !== undefined ? { template } : {}) };
  for (const [name, entry] of parameters.properties) {
    const value = property(entry, 'value');
    if (value) values.set(name, value);
    else if (property(entry, 'reference')) values.set(name, unknownValue(`parameter '${name}' is a Key Vault reference, read at deployment`, entry.source));
  }
  return { values, ...(template !== undefined ? { template } : {}) };
}

/** An ARM parameters file: values by parameter name, and the template its `metadata.template` names, if it does. */
export interface ParametersFile {
  readonly values: ReadonlyMap<string, ArmValue>;
  readonly template?: string;
  /** `.bicepparam`'s `extends './base.bicepparam'`: the file whose values this one starts from (relative path). */
  readonly extends?: string;
}

/** The parsed JSON, or undefined when the text is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

/**
 * The text with its `//` and `/* *\/` comments (outside strings) turned into spaces, line breaks kept, so every offset
 * stays where it was written. Resource Manager accepts such comments in templates and parameters files.
 */
function blankComments(text: string): string {
  // UTF-16 code units, as offsets count: one space per unit keeps the length.
  const chars = text.split('');
  let inString = false;
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '/' && (chars[i + 1] === '/' || chars[i + 1] === '*')) {
      const block = chars[i + 1] === '*';
      let j = i;
      for (; j < chars.length; j++) {
        if (!block && (chars[j] === '\n' || chars[j] === '\r')) break;
        const closes = block && j > i + 2 && text[j - 1] === '*' && text[j] === '/';
        if (chars[j] !== '\n' && chars[j] !== '\r') chars[j] = ' ';
        if (closes) break;
      }
      i = j;
    }
  }
  return chars.join('');
}

/** Reads a .json file: a Kubernetes manifest's facts, an ARM template, an ARM parameters file, or nothing. */
export function readJsonFile(uri: string, text: string): { facts: FileFacts; template?: TemplateFile; parameters?: ParametersFile } {
  if (unreadableReason(text)) return { facts: emptyFileFacts(uri) };
  const plain = parseJson(text);
  // Not JSON as written: an ARM template or parameters file with comments is read with them blanked out.
  const blanked = plain === undefined ? blankComments(text) : undefined;
  const parsed = plain ?? (blanked === undefined ? undefined : parseJson(blanked));
  if (parsed === undefined) return { facts: emptyFileFacts(uri) };
  if (plain !== undefined && isKubernetesManifest(parsed)) return { facts: readYamlFile(uri, text) };
  const template = hasSchema(parsed, 'deploymentTemplate');
  if (!template && !hasSchema(parsed, 'deploymentParameters')) return { facts: emptyFileFacts(uri) };
  const facts = emptyFileFacts(uri);
  const doc = parseDocument(blanked ?? text, PARSE_OPTIONS);
  const value = armValueOf({ uri, facts, doc, text }, doc.contents as Node | null, Number.MAX_SAFE_INTEGER);
  if (!template) return { facts, parameters: parameterValues(value) };
  if (!value || !isArmTemplate(value)) return { facts };
  return { facts, template: { value, generatedByBicep: isBicepGenerated(value) } };
}
