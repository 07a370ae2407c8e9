// Building quick fixes: replacing a value where it is written, in the syntax of its file.
import type { Source } from '../model/source';
import type { Fix } from './rule';

/** A value as a literal of the file's language: quoted in Bicep, JSON and Terraform, plain in YAML. */
export function literal(uri: string, value: string | number): string {
  if (typeof value === 'number') return String(value);
  // Terraform's quoted strings escape as JSON's do for the addresses and names fixes write.
  if (/\.(json|tf|tfvars)$/i.test(uri)) return JSON.stringify(value);
  return /\.bicep(param)?$/i.test(uri) ? `'${value.replace(/'/g, "\\'")}'` : value;
}

/** A fix that replaces the written value (a literal, or the expression that computes it) with a new literal. */
export function replaceWith(title: string, source: Source, value: string | number): Fix {
  return { title, edits: [{ source, newText: literal(source.uri, value) }] };
}
