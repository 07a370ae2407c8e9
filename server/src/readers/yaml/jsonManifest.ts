// JSON files: Kubernetes manifests (an object or a List with apiVersion and kind) are read like YAML, since
// JSON is YAML; ARM deployment templates (their `$schema`) become resource values with sources, evaluated with the
// other templates of the workspace (readers/arm/templateDeployments.ts). Any other JSON (parameter files,
// package.json, …) contributes nothing, and a JSON file that does not parse is not reported: JSON is not a
// language of this tool unless it is one of these.
import { type Node, parseDocument } from 'yaml';
import { emptyFileFacts, type FileFacts } from '../../model/network';
import { isArmTemplate, isBicepGenerated } from '../arm/template';
import type { ArmValue } from '../arm/values';
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

const isTemplateSchema = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { $schema?: unknown }).$schema === 'string' && /deploymentTemplate\.json#?$/i.test((value as { $schema: string }).$schema);

/** Reads a .json file: a Kubernetes manifest's facts, an ARM template, or nothing. */
export function readJsonFile(uri: string, text: string): { facts: FileFacts; template?: TemplateFile } {
  if (unreadableReason(text)) return { facts: emptyFileFacts(uri) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { facts: emptyFileFacts(uri) };
  }
  if (isKubernetesManifest(parsed)) return { facts: readYamlFile(uri, text) };
  if (!isTemplateSchema(parsed)) return { facts: emptyFileFacts(uri) };
  const facts = emptyFileFacts(uri);
  const doc = parseDocument(text, PARSE_OPTIONS);
  const value = armValueOf({ uri, facts, doc, text }, doc.contents as Node | null, Number.MAX_SAFE_INTEGER);
  if (!value || !isArmTemplate(value)) return { facts };
  return { facts, template: { value, generatedByBicep: isBicepGenerated(value) } };
}
