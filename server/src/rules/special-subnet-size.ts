// Subnets that Azure services require by name must be large enough for them (graded per service in facts.ts).
import { formatCidr } from '../cidr/cidr';
import { SPECIAL_SUBNETS } from '../facts';
import { knownValues } from '../model/source';
import { defineRule, type Reported } from './rule';

export const specialSubnetSize = defineRule({
  id: 'special-subnet-size',
  title: 'Special-purpose subnet smaller than its service needs',
  defaultSeverity: 'error',
  facts: [SPECIAL_SUBNETS],
  check: (model) =>
    model.subnets.flatMap((subnet): Reported[] => {
      const special = SPECIAL_SUBNETS.value.find((s) => s.name.toLowerCase() === subnet.name.toLowerCase());
      if (!special) return [];
      return knownValues(subnet.prefixes)
        .filter((prefix) => prefix.value.family === 4 && prefix.value.prefix > special.minimumPrefix)
        .map((prefix) => ({
          severity: special.severity,
          message: `${special.name} ${formatCidr(prefix.value)} is too small: ${special.service} ${special.requirement} (at least /${special.minimumPrefix}).`,
          source: prefix.source,
        }));
    }),
});
