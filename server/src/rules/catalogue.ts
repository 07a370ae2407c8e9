// Every rule, in the order findings are reported. Docs and settings are checked against this list.
import { cidrHostBits, invalidCidr, invalidIp } from './addressLiterals';
import { kubenetRouteLimit, podCidrCapacity, subnetCapacity } from './capacity';
import { addressRangeOverlap, reservedRange, serviceCidrTooLarge } from './clusterRanges';
import { dnsServiceIpFirstAddress, dnsServiceIpOutsideServiceCidr } from './dnsServiceIp';
import { maxPodsRange, maxPodsWindows } from './maxPods';
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
  reservedRange,
  serviceCidrTooLarge,
  dnsServiceIpOutsideServiceCidr,
  dnsServiceIpFirstAddress,
  subnetCapacity,
  podCidrCapacity,
  kubenetRouteLimit,
  maxPodsRange,
  maxPodsWindows,
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
export function runRules(model: NetworkModel): { findings: Finding[]; failures: RuleFailure[] } {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of RULES) {
    try {
      findings.push(...rule.check(model));
    } catch (error) {
      failures.push({ rule: rule.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  return { findings, failures };
}
