// ARM JSON templates through the resource layer: expressions, copy loops, conditions, nested and linked deployments.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCidr } from '../../server/src/cidr/cidr.ts';
import type { FileFacts } from '../../server/src/model/network.ts';
import { readFile, type ReadResult } from '../../server/src/readers/index.ts';
import { templateDeployments } from '../../server/src/readers/arm/templateDeployments.ts';
import { deploymentRoots, parseRootKey } from '../../server/src/readers/environments.ts';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** Every root template's facts, read and evaluated as the workspace does. */
function evaluate(files: Record<string, unknown>): { roots: string[]; facts: FileFacts[] } {
  const reads = new Map<string, ReadResult>();
  for (const [name, json] of Object.entries(files)) reads.set(`file:///w/${name}`, readFile(`file:///w/${name}`, typeof json === 'string' ? json : JSON.stringify(json, null, 2))!);
  const host = { read: (uri: string) => reads.get(uri), text: () => undefined, notRead: () => undefined };
  const roots = deploymentRoots(templateDeployments.templates(reads), reads, (template) => templateDeployments.defaultsComplete(template, reads), (uri) => templateDeployments.isTemplate(uri, reads));
  return { roots, facts: roots.map((key) => templateDeployments.evaluate(parseRootKey(key), key, reads, host)) };
}

const prefixes = (facts: FileFacts) => facts.subnets.map((s) => `${s.name} ${s.prefixes.map((p) => (p.known ? formatCidr(p.value) : `?`)).join(',')}`);

const VNET_LOOP = {
  $schema: SCHEMA,
  parameters: { vnetCidr: { type: 'string', defaultValue: '10.10.0.0/16' }, count: { type: 'int', defaultValue: 3 } },
  variables: { vnetName: "[concat('vnet-', 'loop')]" },
  resources: [
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: '2023-11-01',
      name: "[variables('vnetName')]",
      properties: {
        addressSpace: { addressPrefixes: ["[parameters('vnetCidr')]"] },
        copy: [{ name: 'subnets', count: "[parameters('count')]", input: { name: "[format('snet-{0}', copyIndex('subnets'))]", properties: { addressPrefix: "[cidrSubnet(parameters('vnetCidr'), 24, copyIndex('subnets'))]" } } }],
      },
    },
    {
      type: 'Microsoft.Network/virtualNetworks/subnets',
      apiVersion: '2023-11-01',
      name: "[concat(variables('vnetName'), '/extra')]",
      properties: { addressPrefix: "[cidrSubnet(parameters('vnetCidr'), 23, 0)]" },
    },
  ],
};

describe('ARM JSON templates', () => {
  it('expands a property copy loop of subnets from cidrSubnet, and a child subnet named parent/child', () => {
    const { facts } = evaluate({ 'azuredeploy.json': VNET_LOOP });
    assert.deepEqual(facts[0]!.vnets.map((v) => [v.name, v.addressSpace.map((a) => (a.known ? formatCidr(a.value) : '?'))]), [['vnet-loop', ['10.10.0.0/16']]]);
    // extra (10.10.0.0/23) overlaps snet-0 and snet-1: the subnet-overlap rule's input.
    assert.deepEqual(prefixes(facts[0]!), ['snet-0 10.10.0.0/24', 'snet-1 10.10.1.0/24', 'snet-2 10.10.2.0/24', 'extra 10.10.0.0/23']);
    assert.ok(facts[0]!.subnets.every((s) => s.vnetKey === 'vnet-loop'));
  });

  it('points a computed value at the expression string a user would edit, and a parameter default at itself', () => {
    const text = JSON.stringify(VNET_LOOP, null, 2);
    const { facts } = evaluate({ 'azuredeploy.json': text });
    const [vnet] = facts[0]!.vnets;
    const space = vnet!.addressSpace[0]!;
    assert.equal(space.known && text.slice(space.source.start, space.source.end), '"10.10.0.0/16"');
    const extra = facts[0]!.subnets.find((s) => s.name === 'extra')!.prefixes[0]!;
    assert.equal(extra.source && text.slice(extra.source.start, extra.source.end), `"[cidrSubnet(parameters('vnetCidr'), 23, 0)]"`);
  });

  it('leaves out resources behind false or unknown conditions and loops over unknown counts; a parameter without default is unknown', () => {
    const template = {
      $schema: SCHEMA,
      parameters: { deployExtra: { type: 'bool' }, prefix: { type: 'string' } },
      resources: [
        { type: 'Microsoft.Network/virtualNetworks', name: 'never', condition: "[equals(1, 2)]", properties: {} },
        { type: 'Microsoft.Network/virtualNetworks', name: 'maybe', condition: "[parameters('deployExtra')]", properties: {} },
        { type: 'Microsoft.Network/virtualNetworks', name: 'always', condition: "[and(true(), not(false()))]", properties: { addressSpace: { addressPrefixes: ["[parameters('prefix')]"] } } },
      ],
    };
    const { facts } = evaluate({ 'a.json': template });
    assert.deepEqual(facts[0]!.vnets.map((v) => v.name), ['always']);
    const [space] = facts[0]!.vnets[0]!.addressSpace;
    assert.match(!space!.known ? space!.reason : '', /parameter 'prefix' has no default value/);
  });

  it('follows nested deployments: inline (outer and inner scope) and linked by relativePath; a linked template is no root', () => {
    const linked = { $schema: SCHEMA, parameters: { name: { type: 'string' } }, resources: [{ type: 'Microsoft.Network/virtualNetworks', name: "[parameters('name')]", properties: {} }] };
    const main = {
      $schema: SCHEMA,
      variables: { outer: 'vnet-outer' },
      resources: [
        { type: 'Microsoft.Resources/deployments', name: 'inline', properties: { template: { resources: [{ type: 'Microsoft.Network/virtualNetworks', name: "[variables('outer')]", properties: {} }] } } },
        {
          type: 'Microsoft.Resources/deployments',
          name: 'inner',
          properties: {
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { n: { value: 'vnet-inner' } },
            template: { $schema: SCHEMA, parameters: { n: { type: 'string' } }, resources: [{ type: 'Microsoft.Network/virtualNetworks', name: "[parameters('n')]", properties: {} }] },
          },
        },
        { type: 'Microsoft.Resources/deployments', name: 'link', properties: { templateLink: { relativePath: 'nested/vnet.json' }, parameters: { name: { value: 'vnet-linked' } } } },
      ],
    };
    const { roots, facts } = evaluate({ 'main.json': main, 'nested/vnet.json': linked });
    assert.deepEqual(roots, ['file:///w/main.json']);
    assert.deepEqual(facts[0]!.vnets.map((v) => v.name), ['vnet-outer', 'vnet-inner', 'vnet-linked']);
  });

  it('joins a pool to its subnet through concat(resourceId(...), ...) and skips a main.json Bicep compiled beside its main.bicep', () => {
    const template = {
      $schema: SCHEMA,
      metadata: { _generator: { name: 'bicep', version: '0.30.0' } },
      variables: { subnetId: "[concat(resourceId('Microsoft.Network/virtualNetworks', 'vnet-j'), '/subnets/', 'nodes')]" },
      resources: [
        { type: 'Microsoft.ContainerService/managedClusters', apiVersion: '2024-05-01', name: 'aks-j', properties: { agentPoolProfiles: [{ name: 'sys', count: 2, vnetSubnetID: "[variables('subnetId')]" }] } },
      ],
    };
    const alone = evaluate({ 'main.json': template });
    assert.deepEqual(alone.facts[0]!.nodePools.map((p) => [p.name, p.nodeSubnet?.vnetKey, p.nodeSubnet?.subnetName]), [['sys', 'vnet-j', 'nodes']]);
    const beside = evaluate({ 'main.json': template, 'main.bicep': "param x string = 'y'\n" });
    assert.deepEqual(beside.roots, []);
    // Compiled, but alone (as quickstart templates are published): its parameters file feeds it.
    const parameters = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', parameters: {} };
    assert.deepEqual(evaluate({ 'main.json': template, 'main.parameters.json': parameters }).roots, ['file:///w/main.json', 'file:///w/main.json|environment=file:///w/main.parameters.json']);
  });

  it('reads languageVersion 2.0 templates: resources by symbolic name (also in an inline nested template), `existing` ones only referenced', () => {
    const template = {
      $schema: SCHEMA,
      languageVersion: '2.0',
      parameters: { vnetName: { type: 'string', defaultValue: 'vnet-hub' } },
      resources: {
        hub: { existing: true, type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-11-01', name: "[parameters('vnetName')]" },
        nodes: {
          type: 'Microsoft.Network/virtualNetworks/subnets',
          apiVersion: '2023-11-01',
          name: "[format('{0}/{1}', parameters('vnetName'), 'nodes')]",
          properties: { addressPrefix: '10.20.0.0/22' },
          dependsOn: ['hub'],
        },
        spoke: { type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-11-01', name: 'vnet-spoke', properties: { addressSpace: { addressPrefixes: ['10.21.0.0/16'] } } },
        aks: {
          type: 'Microsoft.ContainerService/managedClusters',
          apiVersion: '2024-09-01',
          name: 'aks-2',
          properties: { agentPoolProfiles: [{ name: 'sys', count: 2, vnetSubnetID: "[resourceId('Microsoft.Network/virtualNetworks/subnets', parameters('vnetName'), 'nodes')]" }] },
          dependsOn: ['nodes'],
        },
        inner: {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'inner',
          properties: {
            mode: 'Incremental',
            template: { $schema: SCHEMA, languageVersion: '2.0', resources: { vnet: { type: 'Microsoft.Network/virtualNetworks', name: 'vnet-nested', properties: {} } } },
          },
        },
      },
    };
    const { roots, facts } = evaluate({ 'main.json': template });
    assert.deepEqual(roots, ['file:///w/main.json']);
    // The existing hub is not a VNet this deployment declares (its address space is not here); its subnet is.
    assert.deepEqual(facts[0]!.vnets.map((v) => v.name), ['vnet-spoke', 'vnet-nested']);
    assert.deepEqual(facts[0]!.subnets.map((s) => [s.vnetKey, s.name]), [['vnet-hub', 'nodes']]);
    assert.deepEqual(facts[0]!.nodePools.map((p) => [p.name, p.nodeSubnet?.vnetKey, p.nodeSubnet?.subnetName]), [['sys', 'vnet-hub', 'nodes']]);
  });

  it("evaluates lambdas (map and filter with lambdaVariables) and tryGet, as bicep build writes for loops and '.?'", () => {
    const { facts } = evaluate({
      'azuredeploy.json': {
        $schema: SCHEMA,
        parameters: {
          subnets: {
            type: 'array',
            defaultValue: [
              { name: 'nodes', prefix: '10.20.0.0/22', routed: true },
              { name: 'pods', prefix: '10.20.4.0/22' },
              { name: 'unused', prefix: '10.20.8.0/22', skip: true },
            ],
          },
        },
        variables: {
          // Bicep: [for s in filter(subnets, s => !(s.?skip ?? false)): { name: s.name, properties: { addressPrefix: s.prefix } }]
          kept: "[filter(parameters('subnets'), lambda('s', not(coalesce(tryGet(lambdaVariables('s'), 'skip'), false()))))]",
          subnets: "[map(variables('kept'), lambda('s', 'i', createObject('name', format('{0}-{1}', lambdaVariables('s').name, lambdaVariables('i')), 'properties', createObject('addressPrefix', lambdaVariables('s').prefix))))]",
        },
        resources: [
          {
            type: 'Microsoft.Network/virtualNetworks',
            apiVersion: '2023-11-01',
            name: 'vnet-lambda',
            properties: { addressSpace: { addressPrefixes: ['10.20.0.0/16'] }, subnets: "[variables('subnets')]" },
          },
        ],
      },
    });
    assert.deepEqual(prefixes(facts[0]!), ['nodes-0 10.20.0.0/22', 'pods-1 10.20.4.0/22']);
  });

  it('tryGet: the value its keys reach, null where one is missing, unknown where the value is', () => {
    const { facts } = evaluate({
      'azuredeploy.json': {
        $schema: SCHEMA,
        parameters: { network: { type: 'object', defaultValue: { spaces: ['10.30.0.0/16'] } }, later: { type: 'object' } },
        resources: [
          {
            type: 'Microsoft.Network/virtualNetworks',
            apiVersion: '2023-11-01',
            name: 'vnet-try',
            properties: {
              addressSpace: {
                addressPrefixes: [
                  "[tryGet(parameters('network'), 'spaces', 0)]",
                  "[coalesce(tryGet(parameters('network'), 'extra', 0), '10.31.0.0/16')]",
                  "[tryGet(parameters('later'), 'space')]",
                ],
              },
            },
          },
        ],
      },
    });
    const space = facts[0]!.vnets[0]!.addressSpace.map((a) => (a.known ? formatCidr(a.value) : `unknown: ${a.reason}`));
    assert.deepEqual(space.slice(0, 2), ['10.30.0.0/16', '10.31.0.0/16']);
    assert.match(space[2]!, /^unknown: parameter 'later' has no default value/);
  });

  it("reads a nested deployment's outputs through reference(...).outputs.x.value, as Bicep compiles a module's, wherever the deployment is written", () => {
    const network = {
      $schema: SCHEMA,
      parameters: { prefix: { type: 'string' }, tag: { type: 'string', defaultValue: 'mod' } },
      resources: [
        {
          type: 'Microsoft.Network/virtualNetworks',
          apiVersion: '2023-11-01',
          name: "[format('vnet-{0}', parameters('tag'))]",
          properties: { addressSpace: { addressPrefixes: ["[parameters('prefix')]"] }, subnets: [{ name: 'aks', properties: { addressPrefix: "[cidrSubnet(parameters('prefix'), 26, 0)]" } }] },
        },
      ],
      outputs: { aksSubnetId: { type: 'string', value: "[resourceId('Microsoft.Network/virtualNetworks/subnets', format('vnet-{0}', parameters('tag')), 'aks')]" } },
    };
    const cluster = (subnet: string) => ({
      type: 'Microsoft.ContainerService/managedClusters',
      apiVersion: '2024-09-01',
      name: 'aks',
      properties: { agentPoolProfiles: [{ name: 'system', count: 3, vnetSubnetID: subnet }], networkProfile: { networkPlugin: 'azure' } },
    });
    const deployment = {
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: "[format('{0}-network', 'main')]",
      properties: { expressionEvaluationOptions: { scope: 'inner' }, mode: 'Incremental', parameters: { prefix: { value: '10.60.0.0/16' } }, template: network },
    };
    const { facts } = evaluate({
      'azuredeploy.json': {
        $schema: SCHEMA,
        // The cluster is written before the deployment it reads.
        resources: [cluster("[reference(resourceId('Microsoft.Resources/deployments', 'main-network'), '2022-09-01').outputs.aksSubnetId.value]"), deployment],
      },
      'v2.json': {
        $schema: SCHEMA,
        languageVersion: '2.0',
        resources: { network: { ...deployment, name: 'v2-network' }, aks: { ...cluster("[reference('network').outputs.aksSubnetId.value]"), name: 'aks-v2' } },
      },
      'unknown.json': { $schema: SCHEMA, resources: [cluster("[reference(resourceId('Microsoft.Network/virtualNetworks', 'x')).subnets[0].id]")] },
      // Named after the deployment, known only when it runs: the deployment whose name is written alike.
      'named.json': {
        $schema: SCHEMA,
        resources: [
          { ...deployment, name: "[take(format('{0}-nsg', deployment().name), 64)]", properties: { ...deployment.properties, parameters: { prefix: { value: '10.61.0.0/16' }, tag: { value: 'other' } } } },
          { ...cluster("[reference(resourceId('Microsoft.Resources/deployments', take(format('{0}-network', deployment().name), 64)), '2022-09-01').outputs.aksSubnetId.value]"), name: 'aks-named' },
          { ...deployment, name: "[take(format('{0}-network', deployment().name), 64)]" },
        ],
      },
    });
    const pools = facts.flatMap((f) => f.nodePools.map((p) => `${p.clusterName} ${p.nodeSubnet ? `${p.nodeSubnet.by} ${'vnetKey' in p.nodeSubnet ? p.nodeSubnet.vnetKey : ''}/${p.nodeSubnet.subnetName}` : `unknown: ${p.nodeSubnetUnknown?.reason}`}`));
    assert.deepEqual(pools.sort(), ['aks resourceId vnet-mod/aks', 'aks unknown: reference() is computed at deployment', 'aks-named resourceId vnet-mod/aks', 'aks-v2 resourceId vnet-mod/aks']);
    // aks-named's pool is in vnet-mod, the deployment written alike, not in the first one (vnet-other).
  });

  it('reads JSON that is neither a template, a parameters file nor a manifest as nothing', () => {
    const read = readFile('file:///w/package.json', JSON.stringify({ name: 'x', version: '1.0.0' }))!;
    assert.equal(read.template, undefined);
    assert.equal(read.parameters, undefined);
    assert.equal(read.facts.vnets.length, 0);
  });

  it('evaluates a template once per parameters file that feeds it, and with its defaults only when they are complete', () => {
    const template = {
      $schema: SCHEMA,
      parameters: { vnetCidr: { type: 'string' } },
      resources: [{ type: 'Microsoft.Network/virtualNetworks', name: 'vnet-e', properties: { addressSpace: { addressPrefixes: ["[parameters('vnetCidr')]"] } } }],
    };
    const parameters = (cidr: string) => ({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', parameters: { vnetCidr: { value: cidr } } });
    const dev = JSON.stringify(parameters('10.1.0.0/16'), null, 2);
    const { roots, facts } = evaluate({ 'azuredeploy.json': template, 'azuredeploy.parameters.json': dev, 'azuredeploy.parameters.prod.json': parameters('10.2.0.0/16'), 'other.parameters.json': parameters('10.9.0.0/16') });
    assert.deepEqual(roots, [
      'file:///w/azuredeploy.json|environment=file:///w/azuredeploy.parameters.json',
      'file:///w/azuredeploy.json|environment=file:///w/azuredeploy.parameters.prod.json',
    ]);
    const spaces = facts.map((f) => f.vnets.map((v) => v.addressSpace.map((a) => (a.known ? formatCidr(a.value) : '?')).join()));
    assert.deepEqual(spaces, [['10.1.0.0/16'], ['10.2.0.0/16']]);
    // The value keeps its place in the parameters file: a finding it causes is reported there.
    const [space] = facts[0]!.vnets[0]!.addressSpace;
    assert.equal(space!.source!.uri, 'file:///w/azuredeploy.parameters.json');
    assert.equal(dev.slice(space!.source!.start, space!.source!.end), '"10.1.0.0/16"');
  });

  it("joins a pool to its subnet through format('{0}/subnets/{1}', resourceId(...), ...), as Bicep compiles '${vnet.id}/subnets/x'", () => {
    const pool = (name: string, id: string) => ({ name, count: 2, vnetSubnetID: id });
    const template = {
      $schema: SCHEMA,
      variables: { vnetName: 'vnet-f' },
      resources: [
        {
          type: 'Microsoft.ContainerService/managedClusters',
          apiVersion: '2024-09-01',
          name: 'aks-f',
          properties: {
            agentPoolProfiles: [
              pool('compiled', "[format('{0}/subnets/nodes', resourceId('Microsoft.Network/virtualNetworks', variables('vnetName')))]"),
              pool('args', "[format('{0}/subnets/{1}', resourceId('Microsoft.Network/virtualNetworks', 'vnet-f'), 'pods')]"),
              // The id not at the start: a plain string, which names no subnet.
              pool('inside', "[format('x{0}/subnets/nodes', resourceId('Microsoft.Network/virtualNetworks', 'vnet-f'))]"),
            ],
          },
        },
      ],
    };
    const { facts } = evaluate({ 'azuredeploy.json': template });
    assert.deepEqual(
      facts[0]!.nodePools.map((p) => [p.name, p.nodeSubnet?.vnetKey, p.nodeSubnet?.subnetName]),
      [['compiled', 'vnet-f', 'nodes'], ['args', 'vnet-f', 'pods'], ['inside', undefined, undefined]],
    );
  });

  it('names a child nested in its parent under its full type by the last segment of its full name', () => {
    const template = {
      $schema: SCHEMA,
      variables: { vnetName: 'vnet-n' },
      resources: [
        {
          type: 'Microsoft.Network/virtualNetworks',
          apiVersion: '2023-11-01',
          name: "[variables('vnetName')]",
          properties: { addressSpace: { addressPrefixes: ['10.30.0.0/16'] } },
          resources: [
            // ARM asks a nested child's name for as many segments as its type: `vnet/subnet` with the full type.
            { type: 'Microsoft.Network/virtualNetworks/subnets', apiVersion: '2023-11-01', name: "[concat(variables('vnetName'), '/nodes')]", properties: { addressPrefix: '10.30.0.0/24' } },
            { type: 'subnets', apiVersion: '2023-11-01', name: 'pods', properties: { addressPrefix: '10.30.1.0/24' } },
          ],
        },
        {
          type: 'Microsoft.ContainerService/managedClusters',
          apiVersion: '2024-09-01',
          name: 'aks-n',
          properties: { agentPoolProfiles: [{ name: 'sys', count: 2, vnetSubnetID: "[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), 'nodes')]" }] },
        },
      ],
    };
    const { facts } = evaluate({ 'azuredeploy.json': template });
    assert.deepEqual(facts[0]!.subnets.map((s) => [s.vnetKey, s.name]), [['vnet-n', 'nodes'], ['vnet-n', 'pods']]);
    assert.deepEqual(facts[0]!.nodePools.map((p) => [p.name, p.nodeSubnet?.vnetKey, p.nodeSubnet?.subnetName]), [['sys', 'vnet-n', 'nodes']]);
  });

  it('reads a template with // and /* */ comments, which Resource Manager allows, keeping offsets into the written text', () => {
    const text = [
      '{',
      `  "$schema": "${SCHEMA}", // the URL's slashes are no comment`,
      '  /* A spoke \u{1F310}: one VNet, /* not nested',
      '     one subnet. */',
      '  "parameters": { "space": { "type": "string", "defaultValue": "10.40.0.0/16" } },',
      '  "resources": [',
      '    {',
      '      "type": "Microsoft.Network/virtualNetworks", // pinned below',
      '      "apiVersion": "2023-11-01",',
      '      "name": "vnet-c",',
      '      "properties": {',
      `        "addressSpace": { "addressPrefixes": [ "[parameters('space')]" /* from the parameter */ ] },`,
      '        "subnets": [ { "name": "a/*b*/c", "properties": { "addressPrefix": "10.40.0.0/24" } } ]',
      '      }',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    const { roots, facts } = evaluate({ 'azuredeploy.json': text });
    assert.deepEqual(roots, ['file:///w/azuredeploy.json']);
    // A comment's characters inside a string are the string's.
    assert.deepEqual(prefixes(facts[0]!), ['a/*b*/c 10.40.0.0/24']);
    const space = facts[0]!.vnets[0]!.addressSpace[0]!;
    assert.equal(space.known && text.slice(space.source.start, space.source.end), '"10.40.0.0/16"');
  });
});
