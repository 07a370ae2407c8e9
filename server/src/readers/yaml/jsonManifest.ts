// JSON files: Kubernetes manifests (an object or a List with apiVersion and kind) are read like YAML, since
// JSON is YAML. Any other JSON (ARM templates, parameter files, package.json, …) contributes nothing, and a
// JSON file that does not parse is not reported: JSON is not a language of this tool unless it is a manifest.
import { emptyFileFacts, type FileFacts } from '../../model/network';
import { unreadableReason } from '../fileText';
import { readYamlFile } from './yamlReader';

/** True when the parsed JSON looks like a Kubernetes object or list. */
function isKubernetesManifest(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  return typeof apiVersion === 'string' && typeof kind === 'string';
}

/** Reads a .json file: a Kubernetes manifest's facts, or nothing. */
export function readJsonManifest(uri: string, text: string): FileFacts {
  if (unreadableReason(text)) return emptyFileFacts(uri);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return emptyFileFacts(uri);
  }
  return isKubernetesManifest(parsed) ? readYamlFile(uri, text) : emptyFileFacts(uri);
}
