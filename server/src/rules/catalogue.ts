// Every rule, in the order findings are reported. Docs and settings are checked against this list.
import { cidrHostBits, invalidCidr, invalidIp } from './addressLiterals';
import { kubenetRouteLimit, podCidrCapacity, subnetCapacity } from './capacity';
import { addressRangeOverlap, reservedRange, serviceCidrTooLarge } from './clusterRanges';
import { dnsServiceIpFirstAddress, dnsServiceIpOutsideServiceCidr } from './dnsServiceIp';
import { deprecatedNetworkSetting } from './deprecatedSettings';
import { externalRangeOverlap } from './externalRanges';
import { pluginFeatureUnsupported } from './featureCompatibility';
import {
  lbAnnotationRequiresInternal,
  lbIpOutsideSubnet,
  lbSubnetNotFound,
  loadBalancerIpDeprecated,
  loadBalancerIpIgnored,
  nodePortRange,
} from './loadBalancer';
import { maxPodsRange, maxPodsWindows } from './maxPods';
import { ciliumIpBlockClusterRange, netpolExceptOutsideCidr, netpolPeerMatchesNothing, netpolSelectsNothing } from './networkPolicies';
import { outboundTypeRequirements } from './outboundType';
import { snatPortCapacity } from './snatPorts';
import { ingressApiDeprecated, ingressBackendMissing, serviceSelectorNoMatch } from './serviceRouting';
import { specialSubnetSize } from './specialSubnets';
import { bicepModuleNotFound, bicepSyntax, fileNotRead, yamlSyntax } from './readProblems';
import type { Finding, Rule } from './rule';
import type { NetworkModel } from '../model/network';
import { subnetOutsideVnet, subnetOverlap } from './vnetLayout';

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
