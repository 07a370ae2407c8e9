// Every number in facts.ts, written once: the private spaces, AKS's default ranges, Azure's reserved addresses
// per subnet (how many and which), the DNS service IP's .10, the maxPods bounds and defaults, and the special
// subnets' sizes are read from facts.ts by the planner, the service, the rules, the capacity formulas, the CLI and
// the client. A source scan (code only, comments dropped) fails when one of these literals is written again.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  AKS_API_SERVER_SUBNET,
  AKS_DEFAULT_RANGES,
  AKS_DNS_SERVICE_IP_OFFSET,
  APPLICATION_GATEWAY_V2_SUBNET,
  AZURE_RESERVED_ADDRESSES,
  AZURE_RESERVED_PER_SUBNET,
  AZURE_SUBNET_SMALLEST_PREFIX_V4,
  MAX_PODS_DEFAULTS,
  MAX_PODS_RANGE,
  MAX_PODS_WINDOWS,
  PRIVATE_ADDRESS_SPACES,
  SPECIAL_SUBNETS,
} from '../../server/src/facts.ts';

const REPO = path.join(import.meta.dirname, '..', '..');
const FOLDERS = ['server/src/planner', 'server/src/service', 'server/src/rules', 'server/src/capacity', 'server/src/cli', 'client/src'];

function sources(): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mts)$/.test(entry.name)) found.push({ file: path.relative(REPO, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  for (const folder of FOLDERS) walk(path.join(REPO, folder));
  return found;
}

/** The code without comments, so that a number in an explanation is not taken for a copy. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const quoted = (values: readonly string[]) => new RegExp(`['"\`](${values.map((v) => v.replace(/[./]/g, '\\$&')).join('|')})['"\`]`);
/** A whole number on its own: not part of a word, an address, a CIDR, a decimal or a percentage. */
const bare = (values: readonly (number | bigint)[]) => new RegExp(`(?<![\\w.\\/#-])(${values.join('|')})(?![\\w.%])`);

const FACTS: { fact: string; pattern: RegExp; sample: string }[] = [
  { fact: 'PRIVATE_ADDRESS_SPACES', pattern: quoted(PRIVATE_ADDRESS_SPACES.value), sample: "cidr('172.16.0.0/12')" },
  { fact: 'AKS_DEFAULT_RANGES', pattern: quoted(Object.values(AKS_DEFAULT_RANGES.value)), sample: "const DEFAULT_POD_CIDR = cidr('10.244.0.0/16');" },
  {
    fact: 'AZURE_RESERVED_ADDRESSES / AZURE_RESERVED_PER_SUBNET',
    pattern: new RegExp(
      `(?<![\\w.])(${[AZURE_RESERVED_ADDRESSES.value.first - 1n, AZURE_RESERVED_ADDRESSES.value.first, AZURE_RESERVED_PER_SUBNET.value].join('|')})n\\b|-\\s*${AZURE_RESERVED_PER_SUBNET.value}(?![\\w.])`,
    ),
    sample: 'if (offset <= 3n || ip.value === lastAddress(subnet).value)',
  },
  { fact: 'AKS_DNS_SERVICE_IP_OFFSET', pattern: new RegExp(`\\+\\s*${AKS_DNS_SERVICE_IP_OFFSET.value}n\\b`), sample: 'value: serviceBlock.network + 10n' },
  {
    fact: 'MAX_PODS_RANGE / MAX_PODS_DEFAULTS / MAX_PODS_WINDOWS',
    pattern: bare([...new Set([MAX_PODS_RANGE.value.max, MAX_PODS_WINDOWS.value, ...Object.values(MAX_PODS_DEFAULTS.value).filter((n) => n >= 100)])]),
    sample: 'input.maxPods < 10 || input.maxPods > 250',
  },
  {
    fact: 'SPECIAL_SUBNETS / AKS_API_SERVER_SUBNET / APPLICATION_GATEWAY_V2_SUBNET / AZURE_SUBNET_SMALLEST_PREFIX_V4',
    pattern: new RegExp(
      `\\/(${[...new Set([...SPECIAL_SUBNETS.value.map((s) => s.minimumPrefix), AKS_API_SERVER_SUBNET.value.minimumPrefix, AZURE_SUBNET_SMALLEST_PREFIX_V4.value])].join('|')})\\b|` +
        bare([APPLICATION_GATEWAY_V2_SUBNET.value.maxInstances, AZURE_SUBNET_SMALLEST_PREFIX_V4.value]).source,
    ),
    sample: "add('apiserver', 9, 'API server VNet integration: a /28 at least', 28)",
  },
];

describe('every number in facts.ts, written once', () => {
  it('scans the planner, service, rules, capacity, CLI and client sources', () => {
    const files = sources().map((s) => s.file);
    for (const folder of FOLDERS) assert.ok(files.some((file) => file.startsWith(`${folder}/`)), `no sources under ${folder}`);
    assert.ok(files.includes('server/src/planner/planner.ts') && files.includes('client/src/planIps.ts'));
  });

  it('each pattern catches the copy it is for', () => {
    for (const { fact, pattern, sample } of FACTS) assert.match(sample, pattern, `${fact}: the pattern misses ${sample}`);
    // And leaves alone what merely looks alike: an IPv4 family test, a /24 per node, a CIDR of another range.
    for (const { fact, pattern } of FACTS) {
      for (const innocent of ["v.value.family === 4", "`pods from a private /${prefix} per node`", "cidr('10.224.0.0/12')", 'const width = 150 + 28;']) {
        assert.doesNotMatch(innocent, pattern, `${fact}: the pattern takes ${innocent} for a copy`);
      }
    }
  });

  it('finds none of them written outside facts.ts', () => {
    const copies: string[] = [];
    for (const { file, text } of sources()) {
      code(text)
        .split('\n')
        .forEach((line, index) => {
          for (const { fact, pattern } of FACTS) if (pattern.test(line)) copies.push(`${file}:${index + 1}: ${line.trim()} (use ${fact})`);
        });
    }
    assert.deepEqual(copies, []);
  });
});
