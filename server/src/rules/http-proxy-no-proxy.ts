// A cluster's httpProxyConfig whose noProxy lets in-cluster traffic go to the proxy: it lacks the in-cluster suffixes
// (.svc, .cluster.local) or one of the cluster's node subnet, pod or service ranges; and noProxy entries with a `*.`
// wildcard, which AKS does not support. What AKS adds to noProxy itself is not documented (UNCONFIRMED), so every
// finding is a warning. Judged only when every noProxy entry is known.
import { type Cidr, containsCidr, formatCidr, parseCidr } from '../cidr/cidr';
import { HTTP_PROXY_NO_PROXY } from '../facts';
import type { NetworkModel } from '../model/network';
import { clusterRanges } from '../model/queries';
import { type Known, knownValues } from '../model/source';
import { nodeSubnetsOf } from '../model/topology';
import { defineRule, type Reported } from './rule';

const PROXY = HTTP_PROXY_NO_PROXY.value;

/** A domain entry as the suffix it matches: `.svc`, `svc` and `*.svc` all match names under svc. */
const suffixOf = (entry: string) => entry.trim().toLowerCase().replace(/^\*?\./, '');

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  for (const cluster of model.clusters) {
    const proxy = cluster.httpProxy;
    if (!proxy || !(proxy.httpProxy.known || proxy.httpsProxy.known)) continue;
    if (proxy.noProxy.some((entry) => !entry.known)) continue;
    const entries = knownValues(proxy.noProxy);
    for (const entry of entries.filter((e) => e.value.trim().startsWith(PROXY.wildcardPrefix))) {
      findings.push({
        message: `noProxy entry ${entry.value} uses a * wildcard attached to a domain suffix, which AKS does not support: write the suffix (${entry.value.trim().slice(1)}).`,
        source: entry.source,
      });
    }
    const suffixes = new Set(entries.map((e) => suffixOf(e.value)));
    const missingSuffixes = PROXY.inClusterSuffixes.filter((suffix) => {
      const wanted = suffixOf(suffix);
      // `svc.cluster.local` serves Service names under cluster.local.
      return !suffixes.has(wanted) && !(wanted === 'cluster.local' && suffixes.has('svc.cluster.local'));
    });
    const blocks = entries.flatMap((e) => {
      const parse = parseCidr(e.value.trim().includes('/') ? e.value.trim() : `${e.value.trim()}/32`);
      return parse.ok ? [parse.cidr] : [];
    });
    const ranges: { label: string; range: Known<Cidr> }[] = [
      ...nodeSubnetsOf(model, cluster).flatMap((subnet) => knownValues(subnet.prefixes).map((range) => ({ label: `node subnet ${subnet.name}`, range }))),
      ...clusterRanges(cluster).map(({ label, range }) => ({ label: label.toLowerCase().replace('cidr', 'CIDR'), range })),
    ];
    const missingRanges = ranges.filter(({ range }) => !blocks.some((block) => containsCidr(block, range.value)));
    if (missingSuffixes.length === 0 && missingRanges.length === 0) continue;
    const lacks = [
      ...missingSuffixes.map((suffix) => `${suffix} (in-cluster names)`),
      ...missingRanges.map(({ label, range }) => `${formatCidr(range.value)} (${label})`),
    ];
    findings.push({
      message:
        `httpProxyConfig of cluster ${cluster.name}: noProxy lacks ${lacks.join(', ')}, so that traffic may go to the proxy. ` +
        `AKS is reported to add the node, pod and service ranges itself, but not .cluster.local; its documentation does not list what it adds.`,
      source: proxy.noProxyField.known ? proxy.noProxyField.source : proxy.httpProxy.known ? proxy.httpProxy.source : proxy.httpsProxy.known ? proxy.httpsProxy.source : proxy.source,
    });
  }
  return findings;
}

export const httpProxyNoProxy = defineRule({
  id: 'http-proxy-no-proxy',
  title: 'HTTP proxy noProxy without the in-cluster names and ranges',
  defaultSeverity: 'warning',
  facts: [HTTP_PROXY_NO_PROXY],
  check,
});
