// Every rule, in the order findings are reported, and the runner. Each rule is a file named by its id (rules/<id>.ts,
// written with defineRule); `npm run new-rule <id>` adds one here. Docs and settings are generated from this list.
import { addressRangeOverlap } from './address-range-overlap';
import { agcSubnet } from './agc-subnet';
import { apiServerSubnet } from './api-server-subnet';
import { appgwKubenetRouteTable } from './appgw-kubenet-route-table';
import { appgwSubnetShared } from './appgw-subnet-shared';
import { bicepModuleNotFound } from './bicep-module-not-found';
import { bicepSyntax } from './bicep-syntax';
import { cidrHostBits } from './cidr-host-bits';
import { ciliumCidrClusterRange } from './cilium-cidr-cluster-range';
import { ciliumIpBlockClusterRange } from './cilium-ipblock-cluster-range';
import { ciliumPolicyNotCiliumDataplane } from './cilium-policy-not-cilium-dataplane';
import { deprecatedNetworkSetting } from './deprecated-network-setting';
import { dnsServiceIpFirstAddress } from './dns-service-ip-first-address';
import { dnsServiceIpOutsideServiceCidr } from './dns-service-ip-outside-service-cidr';
import { externalRangeOverlap } from './external-range-overlap';
import { fileNotRead } from './file-not-read';
import { firewallFrontendIps } from './firewall-frontend-ips';
import { firewallMissingAksEgress } from './firewall-missing-aks-egress';
import { httpProxyNoProxy } from './http-proxy-no-proxy';
import { httpProxyWindowsPools } from './http-proxy-windows-pools';
import { ingressApiDeprecated } from './ingress-api-deprecated';
import { ingressBackendMissing } from './ingress-backend-missing';
import { invalidCidr } from './invalid-cidr';
import { invalidIp } from './invalid-ip';
import { kubenetRouteLimit } from './kubenet-route-limit';
import { lbAnnotationRequiresInternal } from './lb-annotation-requires-internal';
import { lbIpOutsideSubnet } from './lb-ip-outside-subnet';
import { lbPlsAnnotations } from './lb-pls-annotations';
import { lbPlsSubnetNetworkPolicies } from './lb-pls-subnet-network-policies';
import { lbPublicBehindFirewall } from './lb-public-behind-firewall';
import { lbSubnetNotFound } from './lb-subnet-not-found';
import { loadBalancerIpDeprecated } from './load-balancer-ip-deprecated';
import { loadBalancerIpIgnored } from './load-balancer-ip-ignored';
import { maxPodsRange } from './max-pods-range';
import { maxPodsWindows } from './max-pods-windows';
import { netpolExceptOutsideCidr } from './netpol-except-outside-cidr';
import { netpolPeerMatchesNothing } from './netpol-peer-matches-nothing';
import { netpolSelectsNothing } from './netpol-selects-nothing';
import { nodePortRange } from './node-port-range';
import { nsgBlocksApiServerSubnet } from './nsg-blocks-api-server-subnet';
import { nsgBlocksOverlayTraffic } from './nsg-blocks-overlay-traffic';
import { nsgDeniesLbProbes } from './nsg-denies-lb-probes';
import { nsgDeniesLbServicePort } from './nsg-denies-lb-service-port';
import { outboundTypeRequirements } from './outbound-type-requirements';
import { pluginFeatureUnsupported } from './plugin-feature-unsupported';
import { podCidrCapacity } from './pod-cidr-capacity';
import { privateEndpointPoliciesBypassed } from './private-endpoint-policies-bypassed';
import { privateLinkServiceSubnetPolicies } from './private-link-service-subnet-policies';
import { reservedRange } from './reserved-range';
import { serviceCidrTooLarge } from './service-cidr-too-large';
import { serviceSelectorNoMatch } from './service-selector-no-match';
import { snatPortCapacity } from './snat-port-capacity';
import { specialSubnetSize } from './special-subnet-size';
import { subnetCapacity } from './subnet-capacity';
import { subnetOutsideVnet } from './subnet-outside-vnet';
import { subnetOverlap } from './subnet-overlap';
import { terraformSyntax } from './terraform-syntax';
import { udrNextHopNotFirewall } from './udr-next-hop-not-firewall';
import { yamlSyntax } from './yaml-syntax';
import type { Finding, Rule } from './rule';
import type { NetworkModel } from '../model/network';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  bicepSyntax,
  bicepModuleNotFound,
  fileNotRead,
  invalidCidr,
  invalidIp,
  cidrHostBits,
  subnetOutsideVnet,
  subnetOverlap,
  addressRangeOverlap,
  externalRangeOverlap,
  reservedRange,
  serviceCidrTooLarge,
  dnsServiceIpOutsideServiceCidr,
  dnsServiceIpFirstAddress,
  subnetCapacity,
  podCidrCapacity,
  kubenetRouteLimit,
  maxPodsRange,
  maxPodsWindows,
  specialSubnetSize,
  pluginFeatureUnsupported,
  outboundTypeRequirements,
  snatPortCapacity,
  deprecatedNetworkSetting,
  lbIpOutsideSubnet,
  lbSubnetNotFound,
  lbAnnotationRequiresInternal,
  loadBalancerIpDeprecated,
  loadBalancerIpIgnored,
  nodePortRange,
  serviceSelectorNoMatch,
  ingressBackendMissing,
  ingressApiDeprecated,
  netpolSelectsNothing,
  netpolPeerMatchesNothing,
  netpolExceptOutsideCidr,
  ciliumIpBlockClusterRange,
  terraformSyntax,
  nsgDeniesLbProbes,
  udrNextHopNotFirewall,
  ciliumPolicyNotCiliumDataplane,
  ciliumCidrClusterRange,
  firewallMissingAksEgress,
  agcSubnet,
  apiServerSubnet,
  lbPlsSubnetNetworkPolicies,
  httpProxyNoProxy,
  appgwSubnetShared,
  httpProxyWindowsPools,
  firewallFrontendIps,
  nsgBlocksOverlayTraffic,
  appgwKubenetRouteTable,
  lbPublicBehindFirewall,
  lbPlsAnnotations,
  privateEndpointPoliciesBypassed,
  nsgBlocksApiServerSubnet,
  nsgDeniesLbServicePort,
  privateLinkServiceSubnetPolicies,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}

/** A rule that threw: the other rules' findings still stand. */
export interface RuleFailure {
  readonly rule: string;
  readonly error: string;
}

/** Runs every rule on the model; a rule that throws is recorded, not fatal. */
export function runRules(model: NetworkModel, rules: readonly Rule[] = RULES): { findings: Finding[]; failures: RuleFailure[] } {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  // A module deployed twice (a loop, or the same module called twice) yields the same finding twice: keep one.
  const seen = new Set<string>();
  for (const rule of rules) {
    try {
      for (const finding of rule.check(model)) {
        const key = `${finding.rule}|${finding.source.uri}|${finding.source.start}|${finding.source.end}|${finding.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(finding);
      }
    } catch (error) {
      failures.push({ rule: rule.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  return { findings, failures };
}
