// An ipBlock's except ranges must lie strictly inside its cidr, or the API server rejects the policy.
import { containsCidr, formatCidr } from '../cidr/cidr';
import { NETWORK_POLICY_IPBLOCK_EXCEPT } from '../facts';
import { knownValues } from '../model/source';
import { ipBlocksOf } from './policyIpBlocks';
import { defineRule, type Reported } from './rule';

export const netpolExceptOutsideCidr = defineRule({
  id: 'netpol-except-outside-cidr',
  title: 'ipBlock except not inside its cidr',
  defaultSeverity: 'error',
  facts: [NETWORK_POLICY_IPBLOCK_EXCEPT],
  check: (model) =>
    ipBlocksOf(model).flatMap(({ policy, block }): Reported[] => {
      if (!block.cidr.known) return [];
      const cidr = block.cidr.value;
      return knownValues(block.except).flatMap((except): Reported[] => {
        const inside = containsCidr(cidr, except.value);
        if (inside && except.value.prefix > cidr.prefix) return [];
        const why = inside
          ? `is the whole of the ipBlock's cidr ${formatCidr(cidr)}; an except must be strictly smaller`
          : `is not inside the ipBlock's cidr ${formatCidr(cidr)}`;
        return [{ message: `except ${formatCidr(except.value)} of NetworkPolicy ${policy.name} ${why}: the API server rejects the policy.`, source: except.source }];
      });
    }),
});
