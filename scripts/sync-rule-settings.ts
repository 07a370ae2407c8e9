// Writes what is derived from the rule table (package.json contributes.configuration, schemas/rules.schema.json
// and the README's rule list), so settings, docs and rules come from one place. `--check` fails instead of writing.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/rules/catalogue.ts';

const ROOT = path.join(import.meta.dirname, '..');

/** The JSON schema of `aksNetworkLens.rules`: one optional severity (or off) per rule id. */
export function rulesSchema(): Record<string, unknown> {
  return {
    type: 'object',
    markdownDescription:
      'Severity per rule, or `off`: the level of the rule\'s findings at its default severity; findings the rule grades lower stay lower, and none goes above it. Rule ids and what they check: see the rule pages in `docs/rules/`. Example: `{ "reserved-range": "warning", "max-pods-windows": "off" }`.',
    additionalProperties: false,
    default: {},
    properties: Object.fromEntries(
      RULES.map((rule) => [
        rule.id,
        { type: 'string', enum: ['error', 'warning', 'info', 'off'], description: `${rule.title} (default: ${rule.defaultSeverity}).` },
      ]),
    ),
  };
}

function render(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const check = process.argv.includes('--check');
const packagePath = path.join(ROOT, 'package.json');
const manifest = JSON.parse(readFileSync(packagePath, 'utf8'));
manifest.contributes.configuration.properties['aksNetworkLens.rules'] = rulesSchema();
const schemaPath = path.join(ROOT, 'schemas', 'rules.schema.json');
const schema = { $schema: 'http://json-schema.org/draft-07/schema#', title: 'AKS Network Lens rule settings', ...rulesSchema() };
const workspaceSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'AKS Network Lens workspace file (.aksnetlens.yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    externalRanges: {
      type: 'array',
      description: 'Networks outside the workspace that it connects to (on-premises, peered hubs, other clusters): nothing in the workspace may overlap them, and Plan IPs avoids them.',
      items: {
        type: 'object',
        required: ['name', 'cidr'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', description: 'What the range is, shown in messages.' },
          cidr: { type: 'string', description: 'The range in CIDR notation, e.g. 192.168.0.0/16.', pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' },
        },
      },
    },
    deployments: {
      type: 'array',
      description:
        'Which template each parameters file gives values to, where the file names do not say it (X.parameters.json beside X.bicep). Each parameters file is an environment: the template is checked once per file. Paths are relative to this file.',
      items: {
        type: 'object',
        required: ['template', 'parameters'],
        additionalProperties: false,
        properties: {
          template: { type: 'string', description: 'A .bicep or ARM JSON template, e.g. infra/main.bicep.' },
          parameters: { type: 'array', items: { type: 'string' }, description: 'Its .bicepparam or ARM parameters files, e.g. [env/dev.parameters.json, env/prod.bicepparam].' },
        },
      },
    },
    plans: {
      type: 'array',
      description: 'IP plans written by "AKS Network Lens: Plan IPs" when the workspace had no values to change: their ranges are reserved, so later plans and quick fixes keep clear of them.',
      items: {
        type: 'object',
        required: ['cluster'],
        additionalProperties: false,
        properties: {
          cluster: { type: 'string', description: 'The cluster the plan is for.' },
          written: { type: 'string', description: 'When the plan was written (YYYY-MM-DD).' },
          mode: { type: 'string', enum: ['kubenet', 'azure-cni', 'azure-cni-pod-subnet', 'overlay'], description: 'The network mode the plan is sized for.' },
          nodes: { type: 'integer', description: 'Nodes at full scale the plan is sized for.' },
          maxPods: { type: 'integer', description: 'Pods per node the plan is sized for.' },
          vnet: { $ref: '#/definitions/cidr' },
          subnets: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'cidr'],
              additionalProperties: false,
              properties: { name: { type: 'string' }, cidr: { $ref: '#/definitions/cidr' }, cidrIpv6: { $ref: '#/definitions/cidr' } },
            },
          },
          podCidr: { $ref: '#/definitions/cidr' },
          serviceCidr: { $ref: '#/definitions/cidr' },
          dnsServiceIP: { type: 'string' },
          vnetIpv6: { $ref: '#/definitions/cidr' },
          podCidrIpv6: { $ref: '#/definitions/cidr' },
          serviceCidrIpv6: { $ref: '#/definitions/cidr' },
        },
      },
    },
    rules: rulesSchema(),
  },
  definitions: {
    cidr: { type: 'string', description: 'A range in CIDR notation.', pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' },
  },
};
const workspaceSchemaPath = path.join(ROOT, 'schemas', 'aksnetlens.schema.json');
manifest.contributes.yamlValidation = [{ fileMatch: ['.aksnetlens.yaml', '.aksnetlens.yml'], url: './schemas/aksnetlens.schema.json' }];
const readmePath = path.join(ROOT, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const START = '<!-- rules:start (generated from the rule table by npm run sync-rules) -->';
const END = '<!-- rules:end -->';
const table = [
  '| Rule | Default severity | What |',
  '| --- | --- | --- |',
  ...RULES.map((rule) => `| [\`${rule.id}\`](docs/rules/${rule.id}.md) | ${rule.defaultSeverity} | ${rule.title} |`),
].join('\n');
const before = readme.slice(0, readme.indexOf(START) + START.length);
const after = readme.slice(readme.indexOf(END));
const outputs: [string, string][] = [
  [packagePath, render(manifest)],
  [schemaPath, render(schema)],
  [workspaceSchemaPath, render(workspaceSchema)],
  [readmePath, `${before}\n${table}\n${after}`],
];
let stale = false;
for (const [file, text] of outputs) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // written below
  }
  if (current === text) continue;
  if (check) {
    console.error(`${path.relative(ROOT, file)} is out of date with the rule table: run npm run sync-rules`);
    stale = true;
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
}
process.exitCode = stale ? 1 : 0;
