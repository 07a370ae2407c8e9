// Terraform configurations read into the one model: variables, locals and cidrsubnet evaluated with their sources,
// azurerm resources lowered through the Azure resource layer (subnet references, node pools on their cluster, route
// table associations), the provider's kubenet default, .tfvars files as environments, local modules, azapi bodies.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { formatCidr } from '../../server/src/cidr/cidr.ts';
import type { NetworkModel } from '../../server/src/model/network.ts';
import { loadHclParser } from '../../server/src/readers/terraform/hclParser.ts';
import { parseHcl } from '../../server/src/readers/terraform/hclSyntax.ts';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeActionsFor } from '../../server/src/service/codeActions.ts';
import { hoverAt } from '../../server/src/service/hover.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const MAIN = `variable "vnet_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "node_count" {
  default = 3
}

locals {
  subnets = {
    aks = cidrsubnet(var.vnet_cidr, 8, 1)
    app = cidrsubnet(var.vnet_cidr, 8, 2)
  }
}

resource "azurerm_virtual_network" "spoke" {
  name          = "vnet-spoke"
  address_space = [var.vnet_cidr]
}

resource "azurerm_subnet" "this" {
  for_each             = local.subnets
  name                 = "snet-\${each.key}"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = [each.value]
}

resource "azurerm_route_table" "egress" {
  name = "rt-egress"
  route {
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.0.1.4"
  }
}

resource "azurerm_subnet_route_table_association" "nodes" {
  for_each       = azurerm_subnet.this
  subnet_id      = each.value.id
  route_table_id = azurerm_route_table.egress.id
}

resource "azurerm_kubernetes_cluster" "aks" {
  name = "aks-tf"
  default_node_pool {
    name           = "system"
    node_count     = var.node_count
    max_pods       = 30
    vnet_subnet_id = azurerm_subnet.this["aks"].id
  }
  network_profile {
    network_plugin = "azure"
    service_cidr   = "10.41.0.0/16"
    dns_service_ip = "10.41.0.10"
    outbound_type  = "userDefinedRouting"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  vnet_subnet_id        = azurerm_subnet.this["app"].id
  auto_scaling_enabled  = true
  min_count             = 1
  max_count             = 10
}
`;

function workspaceOf(files: Record<string, string>): Workspace {
  const workspace = new Workspace();
  for (const [path, text] of Object.entries(files)) workspace.setFile(`file:///w/${path}`, text);
  return workspace;
}

const prefixes = (model: NetworkModel) => model.subnets.map((s) => `${s.name}=${s.prefixes.map((p) => (p.known ? formatCidr(p.value) : '?')).join(',')}`).sort();

describe('Terraform', () => {
  before(() => loadHclParser());

  it('parses HCL with positions and keeps the rest of a half-typed file', () => {
    const file = parseHcl('resource "a" "b" {\n  x = foo(1,\n}\n\nvariable "v" { default = 1 }\n')!;
    assert.ok(file.errors.length > 0);
    assert.ok(file.body.blocks.some((block) => block.type === 'variable' && block.labels[0] === 'v'));
  });

  it('evaluates variables, locals, cidrsubnet and for_each, and lowers VNets, subnets and their route table', () => {
    const model = workspaceOf({ 'infra/main.tf': MAIN }).analyze().model;
    assert.deepEqual(
      model.vnets.map((v) => v.name),
      ['vnet-spoke'],
    );
    assert.deepEqual(prefixes(model), ['snet-aks=10.40.1.0/24', 'snet-app=10.40.2.0/24']);
    const aks = model.subnets.find((s) => s.name === 'snet-aks')!;
    assert.equal(aks.vnetKey, 'vnet-spoke');
    assert.ok(aks.routeTable.known && aks.routeTable.value === 'rt-egress', JSON.stringify(aks.routeTable));
    const app = model.subnets.find((s) => s.name === 'snet-app')!;
    assert.ok(app.routeTable.known && app.routeTable.value === 'rt-egress');
    assert.deepEqual(
      model.routeTables.flatMap((t) => t.routes.map((r) => (r.addressPrefix.known ? r.addressPrefix.value : '?'))),
      ['0.0.0.0/0'],
    );
  });

  it('points a computed prefix at the expression that computes it, and a variable at its default', () => {
    const model = workspaceOf({ 'infra/main.tf': MAIN }).analyze().model;
    const prefix = model.subnets.find((s) => s.name === 'snet-aks')!.prefixes[0]!;
    assert.ok(prefix.known);
    assert.equal(MAIN.slice(prefix.source.start, prefix.source.end), 'cidrsubnet(var.vnet_cidr, 8, 1)');
    const space = model.vnets[0]!.addressSpace[0]!;
    assert.ok(space.known);
    assert.equal(MAIN.slice(space.source.start, space.source.end), '"10.40.0.0/16"');
  });

  it('joins the cluster, its default pool and a node pool resource, each on its subnet', () => {
    const model = workspaceOf({ 'infra/main.tf': MAIN }).analyze().model;
    assert.equal(model.clusters.length, 1);
    const cluster = model.clusters[0]!;
    assert.ok(cluster.networkPlugin.known && cluster.networkPlugin.value === 'azure');
    assert.ok(cluster.outboundType.known && cluster.outboundType.value === 'userDefinedRouting');
    const pools = model.nodePools.map((p) => `${p.name}:${p.clusterKey === cluster.key}:${p.nodeSubnet?.subnetName}:${p.count.known ? p.count.value : '-'}:${p.maxCount.known ? p.maxCount.value : '-'}`).sort();
    assert.deepEqual(pools, ['system:true:snet-aks:3:-', 'user:true:snet-app:-:10']);
  });

  it('reads a cluster without network_profile as kubenet, the provider default', () => {
    const model = workspaceOf({ 'main.tf': 'resource "azurerm_kubernetes_cluster" "k" {\n  name = "k"\n}\n' }).analyze().model;
    const plugin = model.clusters[0]!.networkPlugin;
    assert.ok(plugin.known && plugin.value === 'kubenet', JSON.stringify(plugin));
  });

  it('evaluates each .tfvars file as an environment, with terraform.tfvars applied to all', () => {
    const workspace = workspaceOf({
      'infra/main.tf': MAIN.replace('default = "10.40.0.0/16"', ''),
      'infra/terraform.tfvars': 'node_count = 5\n',
      'infra/dev.tfvars': 'vnet_cidr = "10.60.0.0/16"\n',
      'infra/prod.tfvars': 'vnet_cidr = "10.70.0.0/16"\nnode_count = 20\n',
    });
    const model = workspace.analyze().model;
    const clusters = model.clusters.map((c) => c.environment).sort();
    assert.deepEqual(clusters, ['file:///w/infra/dev.tfvars', 'file:///w/infra/prod.tfvars']);
    const vnets = model.vnets.map((v) => (v.addressSpace[0]?.known ? formatCidr(v.addressSpace[0].value) : '?')).sort();
    assert.deepEqual(vnets, ['10.60.0.0/16', '10.70.0.0/16']);
    const counts = model.nodePools.filter((p) => p.name === 'system').map((p) => (p.count.known ? p.count.value : '?')).sort();
    assert.deepEqual(counts, [20, 5]);
    assert.deepEqual(
      workspace.environments().map((e) => `${e.parameters}->${e.template}`).sort(),
      ['file:///w/infra/dev.tfvars->file:///w/infra/', 'file:///w/infra/prod.tfvars->file:///w/infra/'],
    );
  });

  it('reads .tfvars.json files as Terraform does: an environment, or applied to all when auto-loaded', () => {
    const workspace = workspaceOf({
      'infra/main.tf': MAIN.replace('default = "10.40.0.0/16"', ''),
      'infra/terraform.tfvars.json': JSON.stringify({ node_count: 7 }),
      'infra/qa.tfvars.json': `{\n  "vnet_cidr": "10.65.0.0/16"\n}\n`,
    });
    const model = workspace.analyze().model;
    assert.deepEqual(prefixes(model), ['snet-aks=10.65.1.0/24', 'snet-app=10.65.2.0/24']);
    assert.deepEqual(model.nodePools.filter((p) => p.name === 'system').map((p) => (p.count.known ? p.count.value : '?')), [7]);
    const space = model.vnets[0]!.addressSpace[0]!;
    assert.ok(space.known && space.source.uri === 'file:///w/infra/qa.tfvars.json', 'the value points into the .tfvars.json file');
  });

  it('finds the configuration a tfvars file in another folder feeds by the variables it sets', () => {
    const workspace = workspaceOf({
      'terraform/main.tf': MAIN.replace('default = "10.40.0.0/16"', ''),
      'tfvars/test/test.tfvars': 'vnet_cidr = "10.80.0.0/16"\n',
    });
    assert.deepEqual(workspace.environments(), [{ parameters: 'file:///w/tfvars/test/test.tfvars', template: 'file:///w/terraform/' }]);
    assert.deepEqual(prefixes(workspace.analyze().model), ['snet-aks=10.80.1.0/24', 'snet-app=10.80.2.0/24']);
  });

  it('binds a local module\'s inputs and follows its outputs', () => {
    const model = workspaceOf({
      'root/main.tf': `module "net" {
  source = "./modules/net"
  cidr   = "10.90.0.0/16"
}
resource "azurerm_kubernetes_cluster" "aks" {
  name = "aks-mod"
  default_node_pool {
    name           = "sys"
    node_count     = 2
    vnet_subnet_id = module.net.subnet_id
  }
  network_profile {
    network_plugin = "azure"
  }
}
`,
      'root/modules/net/main.tf': `variable "cidr" {}
resource "azurerm_virtual_network" "v" {
  name          = "vnet-mod"
  address_space = [var.cidr]
}
resource "azurerm_subnet" "nodes" {
  name                 = "nodes"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = [cidrsubnet(var.cidr, 8, 0)]
}
output "subnet_id" {
  value = azurerm_subnet.nodes.id
}
`,
    }).analyze().model;
    assert.deepEqual(prefixes(model), ['nodes=10.90.0.0/24']);
    assert.equal(model.nodePools[0]?.nodeSubnet?.subnetName, 'nodes');
    assert.equal(model.nodePools[0]?.nodeSubnet?.vnetKey, 'vnet-mod');
  });

  it('reads a registry module where terraform init downloaded it, and never evaluates that copy as a root', () => {
    const NET = `variable "cidr" {}
resource "azurerm_virtual_network" "v" {
  name          = "vnet-registry"
  address_space = [var.cidr]
}
resource "azurerm_subnet" "nodes" {
  name                 = "nodes"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = [cidrsubnet(var.cidr, 8, 3)]
}
output "subnet_id" {
  value = azurerm_subnet.nodes.id
}
`;
    const model = workspaceOf({
      'root/main.tf': `module "net" {
  source  = "example/net/azurerm"
  version = "1.0.0"
  cidr    = "10.91.0.0/16"
}
`,
      'root/.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'net', Source: 'registry.terraform.io/example/net/azurerm', Version: '1.0.0', Dir: '.terraform/modules/net' }] }),
      'root/.terraform/modules/net/main.tf': NET,
    }).analyze().model;
    assert.deepEqual(prefixes(model), ['nodes=10.91.3.0/24']);
    assert.equal(model.vnets.length, 1);
  });

  it('understands Azure/aks/azurerm from its inputs when it is not downloaded, and leaves other registry modules unknown', () => {
    const model = workspaceOf({
      'main.tf': `${MAIN.slice(0, MAIN.indexOf('resource "azurerm_kubernetes_cluster"'))}
module "aks" {
  source                    = "Azure/aks/azurerm"
  version                   = "9.4.0"
  cluster_name              = "aks-registry"
  vnet_subnet               = { id = azurerm_subnet.this["aks"].id }
  network_plugin            = "azure"
  agents_max_pods           = 40
  agents_count              = 4
  net_profile_outbound_type = "userDefinedRouting"
  node_pools = {
    user = { name = "user", vnet_subnet = { id = azurerm_subnet.this["app"].id }, node_count = 2, max_pods = 50 }
  }
}
module "other" {
  source = "someone/thing/azurerm"
}
output "aks" {
  value = module.aks.aks_id
}
`,
    }).analyze().model;
    const cluster = model.clusters.find((c) => c.name === 'aks-registry')!;
    assert.ok(cluster.networkPlugin.known && cluster.networkPlugin.value === 'azure');
    const pools = model.nodePools.filter((p) => p.clusterKey === cluster.key).map((p) => `${p.name}:${p.nodeSubnet?.subnetName}:${p.count.known ? p.count.value : '?'}:${p.maxPods.known ? p.maxPods.value : '?'}`);
    assert.deepEqual(pools.sort(), ['nodepool:snet-aks:4:40', 'user:snet-app:2:50']);
    assert.equal(model.clusters.length, 1, 'the unknown module adds nothing');
  });

  it('lowers an azapi_resource body as the ARM resource it is', () => {
    const model = workspaceOf({
      'main.tf': `resource "azapi_resource" "aks" {
  type = "Microsoft.ContainerService/managedClusters@2024-09-01"
  name = "aks-azapi"
  body = {
    properties = {
      networkProfile = { networkPlugin = "azure", networkPluginMode = "overlay", podCidr = "192.168.0.0/16" }
      agentPoolProfiles = [{ name = "sys", count = 3 }]
    }
  }
}
`,
    }).analyze().model;
    const cluster = model.clusters[0]!;
    assert.equal(cluster.name, 'aks-azapi');
    assert.ok(cluster.networkPluginMode.known && cluster.networkPluginMode.value === 'overlay');
    assert.ok(cluster.podCidrs[0]?.known && formatCidr(cluster.podCidrs[0].value) === '192.168.0.0/16');
    assert.equal(cluster.apiVersion, '2024-09-01');
  });

  it('leaves a variable without a value unknown, and reports nothing on it', () => {
    const workspace = workspaceOf({ 'main.tf': MAIN.replace('default = "10.40.0.0/16"', '') });
    const { model, findings } = workspace.analyze();
    assert.ok(model.subnets.every((s) => s.prefixes.every((p) => !p.known)));
    assert.deepEqual(findings.filter((f) => f.severity !== 'info').map((f) => f.rule), []);
  });

  it('is one model with Kubernetes YAML: an internal load balancer IP is checked against a subnet declared in Terraform', () => {
    const service = (ip: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    service.beta.kubernetes.io/azure-load-balancer-internal-subnet: snet-app
    service.beta.kubernetes.io/azure-load-balancer-ipv4: ${ip}
spec:
  type: LoadBalancer
`;
    const outside = workspaceOf({ 'infra/main.tf': MAIN, 'k8s/web.yaml': service('10.40.9.20') }).analyze().findings;
    const finding = outside.find((f) => f.rule === 'lb-ip-outside-subnet');
    assert.ok(finding, JSON.stringify(outside.map((f) => f.rule)));
    assert.match(finding.message, /10\.40\.2\.0\/24/);
    assert.equal(finding.source.uri, 'file:///w/k8s/web.yaml');
    const inside = workspaceOf({ 'infra/main.tf': MAIN, 'k8s/web.yaml': service('10.40.2.20') }).analyze().findings;
    assert.deepEqual(inside.filter((f) => f.rule === 'lb-ip-outside-subnet'), []);
  });

  it('hovers: a cidrsubnet() call with its range and counts, a variable with its value, a data source saying why it is unknown', () => {
    const text = `${MAIN}
data "azurerm_subnet" "shared" {
  name                 = "snet-shared"
  virtual_network_name = "vnet-hub"
}
locals {
  shared_prefix = data.azurerm_subnet.shared.address_prefixes[0]
}
`;
    const workspace = workspaceOf({ 'main.tf': text });
    const hover = (needle: string) => {
      const hovered = hoverAt(workspace, 'file:///w/main.tf', workspace.document('file:///w/main.tf')!.positionAt(text.indexOf(needle) + 2));
      return hovered && typeof hovered.contents === 'object' && 'value' in hovered.contents ? hovered.contents.value : '';
    };
    assert.match(hover('cidrsubnet(var.vnet_cidr, 8, 1)'), /evaluates to 10\.40\.1\.0\/24[\s\S]*Usable in an Azure subnet: 251/);
    assert.match(hover('var.node_count'), /evaluates to `3`/);
    assert.match(hover('data.azurerm_subnet.shared.address_prefixes'), /read from Azure when Terraform plans/);
  });

  it("fixes a cidrsubnet() that is too small by changing its new bits and number, keeping the variable", () => {
    const text = readFileSync(path.join(import.meta.dirname, '..', '..', 'examples', 'terraform', 'main.tf'), 'utf8');
    const workspace = workspaceOf({ 'main.tf': text });
    const uri = 'file:///w/main.tf';
    const finding = workspace.findingsFor(uri).find((f) => f.rule === 'subnet-capacity')!;
    assert.equal(text.slice(finding.source.start, finding.source.end), 'cidrsubnet(var.vnet_cidr, 12, 1)');
    const document = workspace.document(uri)!;
    const actions = codeActionsFor(workspace, uri, { start: document.positionAt(finding.source.start), end: document.positionAt(finding.source.end) });
    const edits = actions.flatMap((action) => action.edit?.changes?.[uri] ?? []).map((edit) => edit.newText);
    assert.deepEqual(edits, ['cidrsubnet(var.vnet_cidr, 8, 0)']);
  });

  it('a # netlens-disable-next-line comment silences a finding on the next line', () => {
    const text = readFileSync(path.join(import.meta.dirname, '..', '..', 'examples', 'terraform', 'main.tf'), 'utf8');
    assert.equal(workspaceOf({ 'main.tf': text }).findingsFor('file:///w/main.tf').filter((f) => f.rule === 'subnet-capacity').length, 1);
    const silenced = text.replace('  node_subnet  = cidrsubnet', '  # netlens-disable-next-line subnet-capacity\n  node_subnet  = cidrsubnet');
    assert.deepEqual(workspaceOf({ 'main.tf': silenced }).findingsFor('file:///w/main.tf').filter((f) => f.rule === 'subnet-capacity'), []);
  });

  it('Plan IPs from a .tfvars file plans that environment and edits the values it writes', async () => {
    const { planIps, planPrefill } = await import('../../server/src/service/planIps.ts');
    const workspace = workspaceOf({
      'infra/main.tf': MAIN.replace('default = "10.40.0.0/16"', '').replace('service_cidr   = "10.41.0.0/16"', 'service_cidr   = var.service_cidr').replace('variable "node_count" {', 'variable "service_cidr" {}\n\nvariable "node_count" {'),
      'infra/dev.tfvars': 'vnet_cidr    = "10.60.0.0/16"\nservice_cidr = "10.40.0.0/16"\n',
    });
    const uri = 'file:///w/infra/dev.tfvars';
    const prefill = planPrefill(workspace, uri);
    assert.equal(prefill.within, '10.60.0.0/16');
    const plan = planIps(workspace, { uri, mode: 'azure-cni', nodes: 3, maxPods: 30, within: prefill.within });
    assert.ok(plan.ok, JSON.stringify(plan));
    const edits = plan.edit?.changes?.[uri] ?? [];
    assert.ok(edits.some((edit) => /^"\d+\.\d+\.\d+\.\d+\/\d+"$/.test(edit.newText)), `a quoted CIDR written into dev.tfvars: ${JSON.stringify(plan.edit)}`);
  });

  it('re-evaluates a configuration when a file is added to its folder', () => {
    const workspace = workspaceOf({ 'infra/main.tf': MAIN });
    assert.equal(workspace.analyze().model.clusters.length, 1);
    workspace.setFile('file:///w/infra/second.tf', 'resource "azurerm_kubernetes_cluster" "two" {\n  name = "two"\n}\n');
    assert.equal(workspace.analyze().model.clusters.length, 2);
  });
});
