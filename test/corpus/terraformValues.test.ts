// The values a user reads off real Terraform configurations, as the model evaluates them: variables and .tfvars
// environments, locals, local modules (the examples call their module root with `source = "../.."`), count and
// for_each, and the azurerm provider's fields. Each expectation was checked by hand against the files it comes from.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { NetworkModel } from '../../server/src/model/network.ts';
import { loadHclParser } from '../../server/src/readers/terraform/hclParser.ts';
import { parseHcl } from '../../server/src/readers/terraform/hclSyntax.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { CORPUS, cidrs, ip, num, text } from '../helpers/corpusModel.ts';

/** Every .tf and .tfvars file under a folder of the corpus. */
function terraformFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? terraformFiles(full) : /\.(tf|tfvars)$/.test(name) ? [full] : [];
  });
}

/** The model of a repository's Terraform files, read as one workspace (its local modules are among them). */
function terraformModel(repository: string): { model: NetworkModel; workspace: Workspace } {
  const workspace = new Workspace();
  for (const file of terraformFiles(path.join(CORPUS, repository))) workspace.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
  return { model: workspace.analyze().model, workspace };
}

const inFolder = (folder: string) => (entity: { source: { uri: string } }) => entity.source.uri.includes(`/${folder}/`);
const subnetLines = (model: NetworkModel, deployment: string) =>
  model.subnets.filter((s) => s.deployment?.includes(deployment)).map((s) => `${s.vnetKey} ${s.name} ${cidrs(s.prefixes).join(',')} rt=${text(s.routeTable)}`);

describe('evaluated values of real Terraform configurations', () => {
  before(() => loadHclParser());

  it('parses every .tf and .tfvars file of the corpus without a syntax error', () => {
    const files = terraformFiles(CORPUS);
    assert.ok(files.length >= 150, `${files.length} files`);
    const errors = files.flatMap((file) => parseHcl(readFileSync(file, 'utf8'))!.errors.map((error) => `${path.relative(CORPUS, file)}:${error.start} ${error.message}`));
    assert.deepEqual(errors, []);
  });

  it('private-aks-cluster-terraform-devops: three tfvars environments of terraform/, hub and spoke from variable defaults', () => {
    const { model, workspace } = terraformModel('Azure-Samples__private-aks-cluster-terraform-devops');
    assert.deepEqual(
      workspace.environments().map((e) => `${path.basename(e.parameters)} -> ${e.template?.split('/').slice(-2).join('/')}`).sort(),
      ['production.tfvars -> terraform/', 'staging.tfvars -> terraform/', 'test.tfvars -> terraform/'],
    );
    assert.deepEqual(model.clusters.map((c) => c.name).sort(), ['ContosoProdAks', 'ContosoStagAks', 'ContosoTestAks']);
    const test = model.clusters.find((c) => c.name === 'ContosoTestAks')!;
    assert.deepEqual([text(test.networkPlugin), text(test.outboundType), cidrs(test.serviceCidrs).join(), ip(test.dnsServiceIp)], ['azure', 'userDefinedRouting', '10.2.0.0/24', '10.2.0.10']);
    assert.deepEqual(subnetLines(model, 'test.tfvars').sort(), [
      'ContosoTestAksVNet PodSubnet 10.0.32.0/20 rt=?',
      'ContosoTestAksVNet SystemSubnet 10.0.0.0/20 rt=DefaultRouteTable',
      'ContosoTestAksVNet UserSubnet 10.0.16.0/20 rt=DefaultRouteTable',
      'ContosoTestAksVNet VmSubnet 10.0.48.0/20 rt=?',
      'ContosoTestHubVNet AzureBastionSubnet 10.1.1.0/24 rt=?',
      'ContosoTestHubVNet AzureFirewallSubnet 10.1.0.0/24 rt=?',
    ]);
    // The node pool module and the cluster's default pool: max_pods 50, 3 to 10 nodes, on their subnets.
    const pools = model.nodePools.filter((p) => p.clusterKey === test.key).map((p) => `${p.name} ${num(p.count)} ${num(p.minCount)}-${num(p.maxCount)} maxPods=${num(p.maxPods)} ${p.nodeSubnet?.subnetName}`);
    assert.deepEqual(pools.sort(), ['system 3 3-10 maxPods=50 SystemSubnet', 'user 3 3-10 maxPods=50 UserSubnet']);
    // The route to the firewall: its next hop IP is the firewall's private IP, which Azure assigns (unknown).
    assert.deepEqual(model.routeTables.map((t) => `${t.name} ${t.routes.map((r) => `${text(r.addressPrefix)}->${text(r.nextHopType)}`)}`), ['DefaultRouteTable 0.0.0.0/0->VirtualAppliance']);
  });

  it('terraform-azurerm-aks examples: the module root called with "../..", its kubenet default and count/for_each subnets', () => {
    const { model } = terraformModel('Azure__terraform-azurerm-aks');
    // startup: Azure CNI with network_policy azure, service CIDR 10.0.0.0/16, a /24 subnet for 2 nodes of 100 pods.
    const startupPools = model.nodePools.filter(inFolder('examples/startup'));
    assert.equal(startupPools.length, 0, 'the pools are declared in the module root, not the example');
    const startup = model.clusters.filter((c) => model.nodePools.some((p) => p.clusterKey === c.key && p.nodeSubnet?.subnetName === 'azurerm_subnet.test' && p.maxPods.known && p.maxPods.value === 100));
    assert.ok(startup.length >= 1);
    assert.deepEqual([text(startup[0]!.networkPlugin), cidrs(startup[0]!.serviceCidrs).join(), ip(startup[0]!.dnsServiceIp)], ['azure', '10.0.0.0/16', '10.0.0.10']);
    // uai_and_assign_role_on_subnet: its own VNet "vnet" (192.168.0.0/16) and subnet, a kubenet cluster (the module's default plugin).
    const vnet = model.vnets.find((v) => v.name === 'vnet')!;
    assert.deepEqual(cidrs(vnet.addressSpace), ['192.168.0.0/16']);
    const myAks = model.clusters.find((c) => c.name === 'myAks')!;
    assert.equal(text(myAks.networkPlugin), 'kubenet');
    assert.deepEqual(model.nodePools.filter((p) => p.clusterKey === myAks.key).map((p) => `${p.name} ${num(p.count)} ${p.nodeSubnet?.subnetName}`), ['nodepool 2 subnet']);
    // multiple_node_pools: node_pool_subnet[0..2] from count, "10.52.${count.index + 1}.0/24", each a pool of for_each.
    const multiple = model.subnets.filter((s) => s.deployment?.includes('multiple_node_pools')).map((s) => `${s.name} ${cidrs(s.prefixes)}`);
    assert.deepEqual(multiple, [
      'azurerm_subnet.default_node_pool_subnet 10.52.0.0/24',
      'azurerm_subnet.node_pool_subnet[0] 10.52.1.0/24',
      'azurerm_subnet.node_pool_subnet[1] 10.52.2.0/24',
      'azurerm_subnet.node_pool_subnet[2] 10.52.3.0/24',
    ]);
  });

  it('AVM managed cluster module, examples/private: the azapi body built in locals, and agent pools through modules/agentpool', () => {
    const { model } = terraformModel('Azure__terraform-azurerm-avm-res-containerservice-managedcluster');
    const cluster = model.clusters.find((c) => c.name === 'module.private.azapi_resource.this')!;
    assert.ok(cluster, 'the cluster is named by its address: its name comes from a random string');
    assert.deepEqual(
      [text(cluster.networkPlugin), text(cluster.networkPluginMode), cidrs(cluster.podCidrs).join(), cidrs(cluster.serviceCidrs).join(), ip(cluster.dnsServiceIp)],
      ['azure', 'overlay', '100.64.0.0/10', '10.10.200.0/24', '10.10.200.10'],
    );
    assert.equal(cluster.apiVersion, '2026-03-01');
    const pools = model.nodePools.filter((p) => p.clusterKey === cluster.key).map((p) => `${p.name} ${num(p.minCount)}-${num(p.maxCount)} maxPods=${num(p.maxPods)} ${p.nodeSubnet?.subnetName}`);
    assert.deepEqual(pools.sort(), ['default 2-4 maxPods=30 default', 'userpool1 2-4 maxPods=30 unp1']);
    assert.deepEqual(subnetLines(model, 'examples/private').sort(), ['private-vnet apiServerSubnet 10.1.0.0/28 rt=?', 'private-vnet default 10.1.1.0/24 rt=?', 'private-vnet unp1 10.1.2.0/24 rt=?']);
  });

  describe('registry module adapters give what the module itself renders', () => {
    /** A cluster's network values and its pools', as text, from the model of the given files. */
    function summary(model: NetworkModel): string[] {
      return model.clusters.flatMap((cluster) => [
        `cluster ${cluster.name} ${text(cluster.networkPlugin)} ${text(cluster.networkPluginMode)} ${text(cluster.networkPolicy)} ${text(cluster.networkDataplane)} ${text(cluster.outboundType)} pod=${cidrs(cluster.podCidrs)} service=${cidrs(cluster.serviceCidrs)} dns=${ip(cluster.dnsServiceIp)}`,
        ...model.nodePools
          .filter((pool) => pool.clusterKey === cluster.key)
          .map((pool) => `  pool ${num(pool.count)} ${num(pool.minCount)}-${num(pool.maxCount)} maxPods=${num(pool.maxPods)} surge=${text(pool.maxSurge)} subnet=${pool.nodeSubnet?.subnetName ?? '-'}`)
          .sort(),
      ]);
    }

    /** The example folder alone, its module call's source replaced by the registry's. */
    function withRegistrySource(repository: string, example: string, registry: string): NetworkModel {
      const workspace = new Workspace();
      for (const file of terraformFiles(path.join(CORPUS, repository, example))) {
        workspace.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8').replace(/source\s*=\s*"\.\.\/\.\.\/?"/g, `source = "${registry}"`));
      }
      return workspace.analyze().model;
    }

    /** The example with the module root beside it (source = "../..", as the repository has it). */
    function withLocalSource(repository: string, example: string): NetworkModel {
      const workspace = new Workspace();
      const root = path.join(CORPUS, repository);
      for (const file of terraformFiles(root).filter((file) => !file.includes(`${path.sep}examples${path.sep}`) || file.includes(`${path.sep}${example}${path.sep}`))) {
        workspace.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
      }
      return workspace.analyze().model;
    }

    for (const example of ['startup', 'uai_and_assign_role_on_subnet', 'named_cluster']) {
      it(`Azure/aks/azurerm, examples/${example}`, () => {
        const local = summary(withLocalSource('Azure__terraform-azurerm-aks', path.join('examples', example)));
        assert.ok(local.length > 0);
        assert.deepEqual(summary(withRegistrySource('Azure__terraform-azurerm-aks', path.join('examples', example), 'Azure/aks/azurerm')), local);
      });
    }

    it('Azure/avm-res-containerservice-managedcluster/azurerm, examples/private', () => {
      const example = path.join('examples', 'private');
      const local = summary(withLocalSource('Azure__terraform-azurerm-avm-res-containerservice-managedcluster', example));
      assert.ok(local.some((line) => line.includes('overlay')));
      assert.deepEqual(summary(withRegistrySource('Azure__terraform-azurerm-avm-res-containerservice-managedcluster', example, 'Azure/avm-res-containerservice-managedcluster/azurerm')), local);
    });
  });
});
