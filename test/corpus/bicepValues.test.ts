// The values a user reads off real Bicep files, as the model evaluates them (defaults, modules, loops,
// cidrSubnet). Each expectation was checked by hand against the file it comes from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { NetworkModel } from '../../server/src/model/network.ts';
import { loadFromDisk } from '../../server/src/service/diskFiles.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { CORPUS, cidrs, ip, modelOf, num, text } from '../helpers/corpusModel.ts';

const subnets = (model: NetworkModel) => model.subnets.map((s) => `${s.name} ${cidrs(s.prefixes).join(',')}`);
const pools = (model: NetworkModel) =>
  model.nodePools.map((p) => `${p.name} count=${num(p.count)} min=${num(p.minCount)} max=${num(p.maxCount)} maxPods=${num(p.maxPods)} ${text(p.osType)}`);

describe('evaluated values of real Bicep files', () => {
  it('aks-baseline-automation spoke.bicep: VNet and subnets passed to the CARML module', () => {
    const model = modelOf('Azure__aks-baseline-automation/IaC/bicep/rg-spoke/spoke.bicep');
    assert.deepEqual(model.vnets.map((v) => `${v.name} ${cidrs(v.addressSpace)}`), ['vnet-spoke-BU0001A0008-00 10.240.0.0/16']);
    assert.deepEqual(subnets(model), [
      'snet-clusternodes 10.240.0.0/22',
      'snet-clusteringressservices 10.240.4.0/28',
      'snet-applicationgateway 10.240.4.16/28',
      'snet-privatelinkendpoints 10.240.4.32/28',
    ]);
  });

  it('aks-baseline-automation cluster.bicep: network profile and pools through the CARML module', () => {
    const model = modelOf('Azure__aks-baseline-automation/IaC/bicep/rg-spoke/cluster.bicep');
    const [cluster] = model.clusters;
    assert.equal(model.clusters.length, 1);
    assert.deepEqual(
      [text(cluster!.networkPlugin), text(cluster!.networkPolicy), text(cluster!.outboundType)],
      ['azure', 'azure', 'userDefinedRouting'],
    );
    assert.deepEqual(cidrs(cluster!.serviceCidrs), ['172.16.0.0/16']);
    assert.equal(ip(cluster!.dnsServiceIp), '172.16.0.10');
    assert.deepEqual(pools(model), ['npsystem count=3 min=3 max=4 maxPods=30 Linux', 'npuser01 count=2 min=2 max=5 maxPods=30 Linux']);
  });

  it('AKS-Construction main.bicep with its defaults: CNI, service range, DNS IP, CostOptimised system pool', () => {
    const model = modelOf('Azure__AKS-Construction/bicep/main.bicep');
    const [cluster] = model.clusters;
    assert.equal(text(cluster!.networkPlugin), 'azure');
    assert.deepEqual(cidrs(cluster!.podCidrs), [], 'podCidr is json(null) unless kubenet or overlay');
    assert.deepEqual(cidrs(cluster!.serviceCidrs), ['172.10.0.0/16']);
    assert.equal(ip(cluster!.dnsServiceIp), '172.10.0.10');
    assert.equal(model.vnets.length, 0, 'custom_vnet defaults to false');
    assert.equal(pools(model)[0], 'agentpool count=1 min=1 max=3 maxPods=30 Linux');
  });

  it('AKS-Construction networkforbyo.bicep: network.bicep defaults bound through the module, subnets built with union()', () => {
    const model = modelOf('Azure__AKS-Construction/samples/networkforbyo.bicep');
    assert.deepEqual(model.vnets.map((v) => cidrs(v.addressSpace)), [['10.240.0.0/16']]);
    assert.deepEqual(subnets(model).sort(), ['aks-sn 10.240.0.0/22', 'appgw-sn 10.240.4.0/26', 'privatelinks-sn 10.240.4.192/26']);
  });

  it('AVM virtual-network max test: cidrSubnet() subnets passed into the module twice', () => {
    const model = modelOf('Azure__bicep-registry-modules/avm/res/network/virtual-network/tests/e2e/max/main.test.bicep');
    assert.deepEqual(model.vnets.map((v) => cidrs(v.addressSpace)), [['10.0.0.0/16'], ['10.0.0.0/16']]);
    assert.deepEqual(subnets(model), [
      'GatewaySubnet 10.0.0.0/24',
      '#_namePrefix_#-az-subnet-x-001 10.0.1.0/24',
      '#_namePrefix_#-az-subnet-x-002 10.0.2.0/24',
      '#_namePrefix_#-az-subnet-x-003 10.0.3.0/24',
      '#_namePrefix_#-az-subnet-x-004 10.0.4.0/24',
      'AzureBastionSubnet 10.0.5.0/24',
      'AzureFirewallSubnet 10.0.6.0/24',
    ]);
  });

  it('aks-baseline-automation hub-default.bicep: hub address space and special subnets from param defaults', () => {
    const model = modelOf('Azure__aks-baseline-automation/IaC/bicep/rg-hub/hub-default.bicep');
    assert.deepEqual(model.vnets.map((v) => cidrs(v.addressSpace)), [['10.200.0.0/24']]);
    assert.deepEqual([...new Set(subnets(model))], [
      'AzureFirewallSubnet 10.200.0.0/26',
      'GatewaySubnet 10.200.0.64/27',
      'AzureBastionSubnet 10.200.0.96/27',
    ]);
  });

  it('AKS docs BYO CNI snippet: plugin none with a pod CIDR and a node count param', () => {
    const model = modelOf('MicrosoftDocs__azure-aks-docs/articles/aks/use-byo-cni.bicepblock1.bicep');
    const [cluster] = model.clusters;
    assert.equal(text(cluster!.networkPlugin), 'none');
    assert.deepEqual(cidrs(cluster!.podCidrs), ['10.2.0.0/16']);
    assert.deepEqual(pools(model).map((p) => p.split(' ').slice(0, 2).join(' ')), ['nodepool1 count=3']);
  });

  it('reports no finding on any of these files besides the modules the corpus left out', () => {
    const workspace = new Workspace(loadFromDisk);
    for (const file of [
      'Azure__aks-baseline-automation/IaC/bicep/rg-spoke/spoke.bicep',
      'Azure__AKS-Construction/samples/networkforbyo.bicep',
      'Azure__bicep-registry-modules/avm/res/network/virtual-network/tests/e2e/max/main.test.bicep',
    ]) {
      const full = path.join(CORPUS, file);
      workspace.setFile(pathToFileURL(full).href, readFileSync(full, 'utf8'));
    }
    const rules = new Set(workspace.analyze().findings.map((f) => f.rule));
    rules.delete('bicep-module-not-found');
    assert.deepEqual([...rules], []);
  });
});
