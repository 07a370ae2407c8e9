// Recording an IP plan in the workspace's .aksnetlens.yaml (its `plans` list), for when the workspace holds no
// values the plan could change: the plan is kept, and its ranges are reserved for later plans and fixes.
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { formatCidr } from '../cidr/cidr';
import type { Plan, PlanInput } from '../planner/planner';

/** The plan as an entry of `plans`. */
function planEntry(plan: Plan, input: PlanInput, cluster: string, date: string): Record<string, unknown> {
  const v6 = plan.ipv6;
  return {
    cluster,
    written: date,
    mode: input.mode,
    nodes: input.nodes,
    maxPods: input.maxPods,
    vnet: formatCidr(plan.vnet.cidr),
    subnets: plan.subnets.map((subnet) => {
      const six = v6?.subnets.find((s) => s.name === subnet.name);
      return { name: subnet.name, cidr: formatCidr(subnet.cidr), ...(six ? { cidrIpv6: formatCidr(six.cidr) } : {}) };
    }),
    ...(plan.podCidr ? { podCidr: formatCidr(plan.podCidr.cidr) } : {}),
    serviceCidr: formatCidr(plan.serviceCidr.cidr),
    dnsServiceIP: plan.dnsServiceIp,
    ...(v6 ? { vnetIpv6: formatCidr(v6.vnet.cidr), podCidrIpv6: formatCidr(v6.podCidr.cidr), serviceCidrIpv6: formatCidr(v6.serviceCidr.cidr) } : {}),
  };
}

const HEADER = ' AKS Network Lens workspace settings: ranges outside the workspace, rule severities and recorded IP plans.';

/**
 * The text of .aksnetlens.yaml with the plan recorded: a new file when there is none, else the existing one with
 * the plan added to `plans` (replacing an earlier plan for the same cluster); comments and other keys are kept.
 * An error when the existing file does not parse (nothing is written over it).
 */
export function withPlanRecorded(existing: string | undefined, plan: Plan, input: PlanInput, cluster: string, date: string): { text: string } | { error: string } {
  const parsed = existing !== undefined && existing.trim() !== '' ? parseDocument(existing) : undefined;
  if (parsed && parsed.errors.length > 0) return { error: `.aksnetlens.yaml does not parse (${parsed.errors[0]!.message.split('\n')[0]}); fix it first` };
  const doc: Document = parsed ?? new Document(new YAMLMap());
  if (!parsed) doc.commentBefore = HEADER;
  if (!isMap(doc.contents)) return { error: '.aksnetlens.yaml is not a map of settings' };
  let plans = doc.get('plans');
  if (plans === undefined || plans === null) {
    plans = new YAMLSeq();
    doc.set('plans', plans);
  }
  if (!isSeq(plans)) return { error: 'plans in .aksnetlens.yaml is not a list' };
  plans.items = plans.items.filter((item) => !(isMap(item) && item.get('cluster') === cluster));
  plans.items.push(doc.createNode(planEntry(plan, input, cluster, date)));
  return { text: doc.toString({ lineWidth: 0 }) };
}
