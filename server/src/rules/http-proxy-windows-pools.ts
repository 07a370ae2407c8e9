// A cluster with an HTTP proxy (httpProxyConfig with a proxy written) and a Windows node pool: the http-proxy doc lists
// AKS clusters with Windows node pools among the scenarios it does not support. What happens then (the Windows nodes
// left without the proxy, or the request refused) is not documented, so the finding is a warning. Judged only for a
// pool whose osType is known.
import { HTTP_PROXY_WINDOWS_POOLS } from '../facts';
import type { NetworkModel } from '../model/network';
import { poolsOf } from '../model/topology';
import { defineRule, type Reported } from './rule';

const WINDOWS = HTTP_PROXY_WINDOWS_POOLS.value.osType.toLowerCase();

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  for (const cluster of model.clusters) {
    const proxy = cluster.httpProxy;
    if (!proxy || !(proxy.httpProxy.known || proxy.httpsProxy.known)) continue;
    const at = proxy.httpProxy.known ? proxy.httpProxy.source : proxy.httpsProxy.known ? proxy.httpsProxy.source : proxy.source;
    for (const pool of poolsOf(model, cluster)) {
      if (!pool.osType.known || pool.osType.value.toLowerCase() !== WINDOWS) continue;
      findings.push({
        message: `Node pool ${pool.name} of cluster ${cluster.name} runs Windows, and the cluster has an HTTP proxy (httpProxyConfig): AKS does not support the HTTP proxy on clusters with Windows node pools.`,
        source: pool.osType.source,
        related: [{ message: `httpProxyConfig of cluster ${cluster.name}`, source: at }],
      });
    }
  }
  return findings;
}

export const httpProxyWindowsPools = defineRule({
  id: 'http-proxy-windows-pools',
  title: 'HTTP proxy on a cluster with Windows node pools',
  defaultSeverity: 'warning',
  facts: [HTTP_PROXY_WINDOWS_POOLS],
  check,
});
