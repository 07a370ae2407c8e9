// `netlens plan`: an address plan for a cluster, as text or JSON.
import { parseArgs } from 'node:util';
import { formatCidr, formatCount, parseCidr, type Cidr } from '../cidr/cidr';
import { PLAN_GROWTH_DEFAULT, type Plan, type PlanInput, type PlanMode, planAddresses, type PlannedRange } from '../planner/planner';
import { AZURE_RESERVED_PER_SUBNET, MAX_PODS_RANGE } from '../facts';
import { type Command, usageError } from './command';

const MODES: readonly PlanMode[] = ['kubenet', 'azure-cni', 'azure-cni-pod-subnet', 'overlay'];

export const planCommand: Command = {
  name: 'plan',
  synopsis: 'plan --mode kubenet|azure-cni|azure-cni-pod-subnet|overlay --nodes N --max-pods P [options]',
  usage: `Usage: netlens plan --mode kubenet|azure-cni|azure-cni-pod-subnet|overlay [--dataplane cilium]
                    --nodes N --max-pods P [--surge S] [--ilb K] [--growth F]
                    [--within CIDR] [--avoid CIDR,...] [--dual-stack] [--format text|json]

Plans a non-overlapping, correctly sized address space for an AKS cluster: VNet, node (and pod)
subnets, pod CIDR, service CIDR and DNS service IP. Sizes count Azure's ${AZURE_RESERVED_PER_SUBNET.value} reserved addresses per
subnet, surge nodes for upgrades (default 1) and room to grow (--growth); each plan line says
how many nodes it is sized for: those asked for now plus the headroom.

  --nodes N       nodes at full scale (sum of autoscaler maxima)
  --max-pods P    pods per node (${MAX_PODS_RANGE.value.min}-${MAX_PODS_RANGE.value.max})
  --surge S       surge nodes during upgrades (default 1)
  --ilb K         static internal load balancer IPs in the node subnet (default 0)
  --growth F      room to grow: subnets and pod CIDR sized for F x nodes (default ${PLAN_GROWTH_DEFAULT};
                  1 for no headroom)
  --within CIDR   plan inside this VNet or block
  --avoid LIST    comma-separated CIDRs the plan must not overlap (IPv4 or IPv6)
  --dual-stack    IPv4 and IPv6 (overlay only): a /64 per subnet in a unique local /56,
                  IPv6 pod and service CIDRs

Exit codes: 0 a plan was found, 1 no plan fits, 2 usage error.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          mode: { type: 'string' },
          dataplane: { type: 'string' },
          nodes: { type: 'string' },
          'max-pods': { type: 'string' },
          surge: { type: 'string' },
          ilb: { type: 'string' },
          growth: { type: 'string' },
          within: { type: 'string' },
          avoid: { type: 'string' },
          'dual-stack': { type: 'boolean' },
          format: { type: 'string', default: 'text' },
        },
      });
    } catch (error) {
      return usageError(io, planCommand, error instanceof Error ? error.message : String(error));
    }
    const v = parsed.values;
    const fail = (message: string) => usageError(io, planCommand, message);
    if (!MODES.includes(v.mode as PlanMode)) return fail(`--mode must be one of ${MODES.join(', ')}.`);
    if (v.dataplane !== undefined && v.dataplane !== 'cilium' && v.dataplane !== 'azure') return fail(`--dataplane must be cilium or azure.`);
    const whole = (name: string, text: string | undefined, fallback?: number): number | string => {
      if (text === undefined) return fallback ?? `--${name} is required.`;
      return /^\d+$/.test(text) ? Number(text) : `--${name} must be a whole number, not '${text}'.`;
    };
    const nodes = whole('nodes', v.nodes);
    const maxPods = whole('max-pods', v['max-pods']);
    const surge = whole('surge', v.surge, 1);
    const ilb = whole('ilb', v.ilb, 0);
    for (const value of [nodes, maxPods, surge, ilb]) if (typeof value === 'string') return fail(value);
    const growth = v.growth === undefined ? PLAN_GROWTH_DEFAULT : Number(v.growth);
    if (!Number.isFinite(growth) || growth < 1) return fail(`--growth must be a number of at least 1, not '${v.growth}'.`);
    const cidrOption = (text: string, option: string): Cidr | string => {
      const result = parseCidr(text);
      return result.ok ? result.cidr : `${option}: ${result.error}.`;
    };
    const within = v.within === undefined ? undefined : cidrOption(v.within, '--within');
    if (typeof within === 'string') return fail(within);
    const avoid: Cidr[] = [];
    for (const text of (v.avoid ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '')) {
      const range = cidrOption(text, '--avoid');
      if (typeof range === 'string') return fail(range);
      avoid.push(range);
    }
    if (v.format !== 'text' && v.format !== 'json') return fail(`unknown format '${v.format}': use text or json.`);
    const input: PlanInput = {
      mode: v.mode as PlanMode,
      ...(v.dataplane ? { dataplane: v.dataplane as 'azure' | 'cilium' } : {}),
      nodes: nodes as number,
      maxPods: maxPods as number,
      surge: surge as number,
      internalLoadBalancerIps: ilb as number,
      growth,
      ...(within ? { within } : {}),
      ...(v['dual-stack'] ? { dualStack: true } : {}),
      avoid,
    };
    const result = planAddresses(input);
    if (!result.ok) {
      io.err.write(`netlens: no plan fits: ${result.error}.\n`);
      return 1;
    }
    io.out.write(v.format === 'json' ? planJson(result.plan) : planText(result.plan));
    return 0;
  },
};

function rangeJson(range: PlannedRange) {
  return { name: range.name, cidr: formatCidr(range.cidr), required: range.required, usable: Number(range.usable), reason: range.reason };
}

function planJson(plan: Plan): string {
  return (
    JSON.stringify(
      {
        vnet: rangeJson(plan.vnet),
        subnets: plan.subnets.map(rangeJson),
        podCidr: plan.podCidr ? rangeJson(plan.podCidr) : null,
        serviceCidr: rangeJson(plan.serviceCidr),
        dnsServiceIP: plan.dnsServiceIp,
        ...(plan.ipv6
          ? {
              ipv6: {
                vnet: rangeJson(plan.ipv6.vnet),
                subnets: plan.ipv6.subnets.map(rangeJson),
                podCidr: rangeJson(plan.ipv6.podCidr),
                serviceCidr: rangeJson(plan.ipv6.serviceCidr),
              },
            }
          : {}),
      },
      null,
      2,
    ) + '\n'
  );
}

function planText(plan: Plan): string {
  const line = (label: string, range: PlannedRange, counts: string) => `${label.padEnd(22)} ${formatCidr(range.cidr).padEnd(18)} ${counts}\n    ${range.reason}`;
  const lines = [
    line('VNet', plan.vnet, `${formatCount(plan.vnet.usable)} addresses`),
    ...plan.subnets.map((s) => line(`subnet ${s.name}`, s, `${formatCount(BigInt(s.required))} needed of ${formatCount(s.usable)} usable`)),
    ...(plan.podCidr ? [line('pod CIDR', plan.podCidr, `${formatCount(BigInt(plan.podCidr.required))} node ranges needed of ${formatCount(plan.podCidr.usable)}`)] : []),
    line('service CIDR', plan.serviceCidr, `${formatCount(plan.serviceCidr.usable)} addresses`),
    `${'DNS service IP'.padEnd(22)} ${plan.dnsServiceIp}`,
    ...(plan.ipv6
      ? [
          line('VNet (IPv6)', plan.ipv6.vnet, ''),
          ...plan.ipv6.subnets.map((s) => line(`subnet ${s.name} (IPv6)`, s, '')),
          line('pod CIDR (IPv6)', plan.ipv6.podCidr, ''),
          line('service CIDR (IPv6)', plan.ipv6.serviceCidr, ''),
        ]
      : []),
  ];
  return lines.join('\n') + '\n';
}
