// Which clients a public LoadBalancer Service lets in, as AKS reads them: spec.loadBalancerSourceRanges or the
// allowed-IP-ranges annotation; every source when neither is written.
import { type Cidr, parseCidr } from '../cidr/cidr';
import { LOAD_BALANCER_SOURCE_FILTERING } from '../facts';
import type { KubernetesService } from './network';
import type { Known, Value } from './source';

/** The clients a public LoadBalancer Service lets in: every source, written CIDRs, or not known (and why). */
export type AllowedSources =
  | { readonly kind: 'any' }
  | { readonly kind: 'ranges'; readonly ranges: readonly Known<Cidr>[] }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * A Service's allowed sources: spec.loadBalancerSourceRanges, else the azure-allowed-ip-ranges annotation (comma
 * separated); a service-tag annotation, an entry that cannot be read or both forms at once leave them unknown.
 */
export function allowedSourcesOf(service: KubernetesService): AllowedSources {
  const { allowedIpRanges, allowedServiceTags } = LOAD_BALANCER_SOURCE_FILTERING.value;
  const tags = service.annotations.get(allowedServiceTags);
  if (tags) return { kind: 'unknown', reason: `annotation ${allowedServiceTags} names service tags, whose addresses are not known here` };
  const spec = service.loadBalancerSourceRanges;
  const annotated = service.annotations.get(allowedIpRanges);
  if (spec.length > 0 && annotated) return { kind: 'unknown', reason: `both spec.loadBalancerSourceRanges and annotation ${allowedIpRanges} are written` };
  if (annotated && !annotated.known) return { kind: 'unknown', reason: `annotation ${allowedIpRanges} cannot be evaluated` };
  const entries: Value<string>[] = spec.length > 0 ? [...spec] : [];
  if (annotated?.known) {
    for (const text of annotated.value.split(/[\s,]+/).filter(Boolean)) entries.push({ known: true, value: text, source: annotated.source });
    if (entries.length === 0) return { kind: 'any' };
  }
  if (entries.length === 0) return { kind: 'any' };
  const ranges: Known<Cidr>[] = [];
  for (const entry of entries) {
    if (!entry.known) return { kind: 'unknown', reason: `a source range cannot be evaluated (${entry.reason})` };
    const parsed = parseCidr(entry.value.trim());
    if (!parsed.ok) return { kind: 'unknown', reason: `source range ${entry.value} is not a CIDR` };
    ranges.push({ known: true, value: parsed.cidr, source: entry.source });
  }
  return { kind: 'ranges', ranges };
}
