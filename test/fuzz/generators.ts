// Generated inputs for the fuzz tests: Bicep programs from a small grammar (params, vars, loops, conditions,
// modules that call each other, every builtin the evaluator knows, with address-like values), and YAML/JSON
// objects made of the keys and kinds the readers look for.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { addressText, numberText } from './fuzzSupport.ts';

// ---------------------------------------------------------------------------------------------------------
// Bicep

const BUILTINS = [
  'parseCidr', 'cidrSubnet', 'cidrHost', 'any', 'concat', 'format', 'split', 'join', 'first', 'last', 'length', 'empty', 'contains',
  'union', 'array', 'toLower', 'toUpper', 'replace', 'string', 'int', 'bool', 'json', 'take', 'skip', 'range', 'substring',
  'startsWith', 'endsWith', 'min', 'max', 'coalesce', 'items', 'map', 'filter', 'loadTextContent', 'loadJsonContent', 'resourceId',
  'subscriptionResourceId', 'tenantResourceId', 'resourceGroup', 'subscription', 'deployment', 'guid', 'uniqueString', 'reduce', 'sort',
  'sys.cidrSubnet', 'az.resourceGroup',
];
const NAMES = ['p0', 'p1', 'p2', 'p3', 'v0', 'v1', 'v2', 'v3', 'vnet', 'sub', 'aks', 'm0', 'i', 'x', 'undeclared'];

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${').replace(/\n/g, '\\n')}'`;
}

const bicepString = fc.oneof(
  { weight: 4, arbitrary: addressText.map(quote) },
  { weight: 1, arbitrary: fc.constantFrom("''", "'a'", "'10.0.0.0/8'", "'azure'", "'overlay'", "'kubenet'", "'cilium'", "'Windows'", "'userDefinedRouting'", "'mod.bicep'", "'../x.json'", "'/etc/hostname'", "'\\u{1F600}'", "'''\nmulti\n'''") },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map(quote) },
);
const bicepInt = fc.oneof(fc.integer({ min: -3, max: 300 }).map(String), fc.constantFrom('0', '8', '16', '24', '32', '33', '128', '2147483647', '2147483648', '9999999999999999999999'));
/** Loop counts: mostly small (a case stays fast), sometimes anything. */
const loopInt = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 4 }).map(String) }, { weight: 1, arbitrary: bicepInt });

/** A Bicep expression: `depth` bounds the nesting. */
export const bicepExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, maxDepth: 5 },
    { weight: 5, arbitrary: bicepString },
    { weight: 3, arbitrary: bicepInt },
    { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null') },
    { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
    { weight: 2, arbitrary: fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 4 }), tie('expr')).map(([a, e]) => `'${a.replace(/['\\$]/g, '')}\${${e}}/24'`) },
    { weight: 2, arbitrary: fc.array(tie('expr'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`) },
    { weight: 1, arbitrary: fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[\n${items.map((i) => `  ${i}\n`).join('')}]`) },
    { weight: 2, arbitrary: fc.array(fc.tuple(fc.constantFrom('a', 'name', 'addressPrefix', "'x-y'", 'properties', 'id'), tie('expr')), { maxLength: 3 }).map((entries) => `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`) },
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...BUILTINS), fc.array(tie('expr'), { maxLength: 4 })).map(([name, args]) => `${name}(${args.join(', ')})`) },
    { weight: 2, arbitrary: fc.tuple(tie('expr'), fc.constantFrom('.name', '.id', '.properties', '.properties.subnets', '.?x', '[0]', '[?1]', "['a']", '[i]', '.outputs', '::child', '.length')).map(([e, m]) => `${e}${m}`) },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`) },
    { weight: 2, arbitrary: fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||', '??', '=~'), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('!', '-'), tie('expr')).map(([op, e]) => `${op}${e}`) },
    { weight: 1, arbitrary: tie('expr').map((e) => `(${e})`) },
    { weight: 2, arbitrary: fc.tuple(tie('expr'), tie('expr'), fc.boolean()).map(([src, body, filter]) => `[for (x, i) in ${src}: ${filter ? 'if (i < 2) ' : ''}${body}]`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('map', 'filter', 'sort', 'reduce'), tie('expr'), tie('expr')).map(([f, src, body]) => `${f}(${src}, x => ${body})`) },
  ),
})).expr;

const resourceBody = (expr: fc.Arbitrary<string>) =>
  fc.record({
    vnetName: expr,
    space: expr,
    subnetSource: expr,
    subnetPrefix: expr,
    loopCount: loopInt,
    newBits: bicepInt,
    condition: expr,
    aksName: expr,
    count: expr,
    maxPods: expr,
    plugin: fc.oneof(expr, fc.constantFrom("'azure'", "'kubenet'", "'none'")),
    mode: fc.oneof(expr, fc.constantFrom("'overlay'", "''")),
    podCidr: expr,
    serviceCidr: expr,
    dns: expr,
    outbound: fc.oneof(expr, fc.constantFrom("'loadBalancer'", "'userDefinedRouting'", "'managedNATGateway'")),
    subnetRef: fc.constantFrom('sub[0].id', 'vnet.properties.subnets[0].id', "resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'sn0')", 'p0', "'${vnet.id}/subnets/sn1'"),
    moduleArg: expr,
    moduleLoop: loopInt,
    output: expr,
  });

/** A Bicep file: params, vars, a VNet with looped subnets, a conditional cluster, a module call and an output. */
function bicepFile(moduleTarget: string, self: boolean): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(bicepExpression, { minLength: 4, maxLength: 4 }), fc.array(bicepExpression, { minLength: 4, maxLength: 4 }), resourceBody(bicepExpression), fc.boolean(), fc.boolean())
    .map(([params, vars, r, withModule, decorated]) =>
      [
        ...params.map((value, n) => `${decorated && n === 0 ? "@description('a')\n@minLength(1)\n" : ''}param p${n} ${['string', 'int', 'array', 'object'][n]}${n === 3 && !self ? '' : ` = ${value}`}`),
        ...vars.map((value, n) => `var v${n} = ${value}`),
        `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {`,
        `  name: ${r.vnetName}`,
        `  properties: {`,
        `    addressSpace: { addressPrefixes: ${r.space} }`,
        `    subnets: [for (x, i) in ${r.subnetSource}: { name: 'sn\${i}', properties: { addressPrefix: ${r.subnetPrefix} } }]`,
        `  }`,
        `}`,
        `resource sub 'Microsoft.Network/virtualNetworks/subnets@2023-11-01' = [for i in range(0, ${r.loopCount}): {`,
        `  parent: vnet`,
        `  name: 'extra\${i}'`,
        `  properties: { addressPrefix: cidrSubnet(${r.space}[0], ${r.newBits}, i) }`,
        `}]`,
        `resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = if (${r.condition}) {`,
        `  name: ${r.aksName}`,
        `  properties: {`,
        `    agentPoolProfiles: [`,
        `      { name: 'system', count: ${r.count}, maxPods: ${r.maxPods}, vnetSubnetID: ${r.subnetRef} }`,
        `    ]`,
        `    networkProfile: {`,
        `      networkPlugin: ${r.plugin}`,
        `      networkPluginMode: ${r.mode}`,
        `      podCidr: ${r.podCidr}`,
        `      serviceCidr: ${r.serviceCidr}`,
        `      dnsServiceIP: ${r.dns}`,
        `      outboundType: ${r.outbound}`,
        `    }`,
        `  }`,
        `}`,
        ...(withModule
          ? [
              `module m0 '${moduleTarget}' = [for i in range(0, ${r.moduleLoop}): {`,
              `  name: 'm\${i}'`,
              `  params: { p0: ${r.moduleArg}, p1: i, p3: { cidr: ${r.space} } }`,
              `}]`,
            ]
          : []),
        `output o0 string = ${r.output}`,
        '',
      ].join('\n'),
    );
}

/** Two files: main.bicep calling mod.bicep, which may call itself or main.bicep back (cycles). */
export const bicepWorkspace: fc.Arbitrary<Record<string, string>> = fc
  .tuple(bicepFile('mod.bicep', false), fc.constantFrom('mod.bicep', 'main.bicep', 'missing.bicep', 'br/public:avm/x:1.0', '../../etc/hostname'), fc.boolean())
  .chain(([main, modTarget, withMod]) =>
    (withMod ? bicepFile(modTarget, true) : fc.constant(undefined)).map((mod) => ({
      'main.bicep': main,
      ...(mod === undefined ? {} : { 'mod.bicep': mod }),
    })),
  );

// ---------------------------------------------------------------------------------------------------------
// YAML and JSON objects

const KINDS: [string, string][] = [
  ['network.azure.com/v1api20240301', 'VirtualNetwork'],
  ['network.azure.com/v1api20240301', 'VirtualNetworksSubnet'],
  ['network.azure.com/v1api20240301', 'RouteTable'],
  ['network.azure.com/v1api20240301', 'NatGateway'],
  ['containerservice.azure.com/v20250801', 'ManagedCluster'],
  ['containerservice.azure.com/v1api20240901', 'ManagedClustersAgentPool'],
  ['infrastructure.cluster.x-k8s.io/v1beta1', 'AzureManagedControlPlane'],
  ['infrastructure.cluster.x-k8s.io/v1beta1', 'AzureManagedMachinePool'],
  ['infrastructure.cluster.x-k8s.io/v1beta1', 'AzureCluster'],
  ['cluster.x-k8s.io/v1beta1', 'Cluster'],
  ['v1', 'Service'],
  ['v1', 'Pod'],
  ['v1', 'Namespace'],
  ['v1', 'List'],
  ['v1', 'PodList'],
  ['apps/v1', 'Deployment'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['cilium.io/v2', 'CiliumNetworkPolicy'],
];
const KEYS = [
  'name', 'namespace', 'labels', 'annotations', 'spec', 'owner', 'addressSpace', 'addressPrefixes', 'addressPrefix', 'subnets', 'networkProfile',
  'networkPlugin', 'networkPluginMode', 'networkPolicy', 'networkDataplane', 'podCidr', 'podCidrs', 'serviceCidr', 'serviceCidrs', 'dnsServiceIP',
  'outboundType', 'agentPoolProfiles', 'count', 'maxCount', 'minCount', 'maxPods', 'osType', 'vnetSubnetReference', 'armId', 'podSubnetReference',
  'clusterNetwork', 'pods', 'services', 'cidrBlocks', 'virtualNetwork', 'cidrBlock', 'type', 'loadBalancerIP', 'ports', 'port', 'nodePort',
  'targetPort', 'selector', 'matchLabels', 'podSelector', 'namespaceSelector', 'ingress', 'egress', 'from', 'to', 'ipBlock', 'cidr', 'except',
  'policyTypes', 'rules', 'http', 'paths', 'backend', 'service', 'items', 'template', 'metadata', 'containers', 'upgradeSettings', 'maxSurge',
  'service.beta.kubernetes.io/azure-load-balancer-internal', 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet', 'app', 'routes',
];

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const leaf: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: addressText },
  { weight: 2, arbitrary: numberText.map((n) => (Number.isFinite(Number(n)) ? Number(n) : n)) },
  { weight: 1, arbitrary: fc.constantFrom('azure', 'kubenet', 'overlay', 'cilium', 'LoadBalancer', 'ClusterIP', 'NodePort', 'true', 'Windows', 'Ingress', 'Egress', 'web', 'a') },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
);

const tree: fc.Arbitrary<Json> = fc.letrec<{ node: Json }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 6, withCrossShrink: true },
    { weight: 3, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(tie('node'), { maxLength: 4 }) },
    { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 5 }) },
  ),
})).node;

const object = fc.tuple(fc.constantFrom(...KINDS), fc.constantFrom('a', 'vnet', 'nodes', 'aks', 'web'), fc.dictionary(fc.constantFrom(...KEYS), tree, { maxKeys: 6 })).map(
  ([[apiVersion, kind], name, spec]): Json => ({ apiVersion, kind, metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec, items: [spec] }),
);

/** A YAML stream of objects (or a JSON document) and the file name it is read as. */
export const manifestFile: fc.Arbitrary<{ name: string; text: string }> = fc
  .tuple(fc.array(object, { minLength: 1, maxLength: 4 }), fc.constantFrom('yaml', 'yaml', 'yaml', 'json', 'aksnetlens'))
  .map(([objects, format]) => {
    if (format === 'json') return { name: 'manifest.json', text: JSON.stringify(objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects }) };
    if (format === 'aksnetlens') {
      const cidrs = objects.flatMap((o) => JSON.stringify(o).match(/[0-9a-f.:]+\/\d+/g) ?? []);
      const externalRanges = cidrs.map((cidr, i) => ({ name: `n${i}`, cidr }));
      return { name: '.aksnetlens.yaml', text: stringify({ externalRanges, rules: { 'subnet-overlap': 'warning', 'reserved-range': 'off' } }) + objects.map((o) => `---\n${stringify(o)}`).join('') };
    }
    return { name: 'manifest.yaml', text: objects.map((o) => stringify(o)).join('---\n') };
  });
