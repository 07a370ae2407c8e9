// The values a user reads off real ARM JSON templates, as the model evaluates them (parameter defaults, variables,
// resourceId and concat, nested resources). Each expectation was checked by hand against the file it comes from.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { clusterCoverage } from '../../server/src/capacity/coverage.ts';
import { readFile } from '../../server/src/readers/index.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { CORPUS, cidrs, ip, modelOf, num, text } from '../helpers/corpusModel.ts';

/** Every .json file under a folder. */
function jsonFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return jsonFiles(full);
    return name.endsWith('.json') ? [full] : [];
  });
}

describe('evaluated values of real ARM templates', () => {
  it('application-gateway-kubernetes-ingress deploy/azuredeploy.json: VNet, subnets, Azure CNI cluster on kubesubnet', () => {
    const model = modelOf('Azure__application-gateway-kubernetes-ingress/deploy/azuredeploy.json');
    assert.deepEqual(model.vnets.map((v) => cidrs(v.addressSpace)), [['10.0.0.0/8']]);
    assert.deepEqual(model.subnets.map((s) => `${s.name} ${cidrs(s.prefixes)}`), ['kubesubnet 10.0.0.0/16', 'appgwsubnet 10.1.0.0/16']);
    const [cluster] = model.clusters;
    assert.deepEqual([text(cluster!.networkPlugin), cidrs(cluster!.serviceCidrs), ip(cluster!.dnsServiceIp)], ['azure', ['10.2.0.0/16'], '10.2.0.10']);
    assert.deepEqual(model.nodePools.map((p) => `${p.name} count=${num(p.count)} subnet=${p.nodeSubnet?.subnetName}`), ['agentpool count=3 subnet=kubesubnet']);
    assert.equal(clusterCoverage(model, cluster!).capacityChecked, true);
  });

  it('the Windows variant: a Linux and a Windows pool of one node each, maxPods 30', () => {
    const model = modelOf('Azure__application-gateway-kubernetes-ingress/deploy/azuredeploywindowscluster.json');
    assert.deepEqual(
      model.nodePools.map((p) => `${p.name} count=${num(p.count)} maxPods=${num(p.maxPods)} ${text(p.osType)}`),
      ['agentpool count=1 maxPods=30 Linux', 'winpl count=1 maxPods=30 Windows'],
    );
  });

  it('quickstart microsoft.kubernetes/aks: the cluster and its pool, on an AKS-managed network', () => {
    const model = modelOf('Azure__azure-quickstart-templates/quickstarts/microsoft.kubernetes/aks/azuredeploy.json');
    assert.deepEqual(model.clusters.map((c) => c.name), ['aks101cluster']);
    assert.deepEqual(model.nodePools.map((p) => `${p.name} count=${num(p.count)}`), ['agentpool count=3']);
    assert.match(clusterCoverage(model, model.clusters[0]!).gaps.map((g) => g.reason).join('\n'), /AKS-managed virtual network/);
  });

  it('quickstart microsoft.kubernetes/aks with its azuredeploy.parameters.json: the environment\'s values', () => {
    const model = modelOf(
      'Azure__azure-quickstart-templates/quickstarts/microsoft.kubernetes/aks/azuredeploy.json',
      'Azure__azure-quickstart-templates/quickstarts/microsoft.kubernetes/aks/azuredeploy.parameters.json',
    );
    // clusterName GEN-UNIQUE comes from the parameters file (its default is aks101cluster); only that environment
    // is deployed, since dnsPrefix and the admin key have no default.
    assert.deepEqual(model.clusters.map((c) => [c.name, c.environment?.split('/').pop()]), [['GEN-UNIQUE', 'azuredeploy.parameters.json']]);
    assert.deepEqual(model.nodePools.map((p) => `${p.name} count=${num(p.count)}`), ['agentpool count=3']);
  });

  it('every ARM template of the corpus reads as a template and evaluates', () => {
    const templates = jsonFiles(CORPUS).filter((file) => /deploymentTemplate\.json/.test(readFileSync(file, 'utf8').slice(0, 400)));
    assert.ok(templates.length >= 15, `${templates.length} templates`);
    for (const file of templates) {
      const read = readFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
      assert.ok(read?.template, `${path.relative(CORPUS, file)} reads as a template`);
    }
    const workspace = new Workspace();
    for (const file of templates) workspace.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
    assert.deepEqual(workspace.analyze().failures, []);
  });

  it('every ARM parameters file of the corpus reads as one, with values', () => {
    const files = jsonFiles(CORPUS).filter((file) => /deploymentParameters\.json/.test(readFileSync(file, 'utf8').slice(0, 400)));
    assert.ok(files.length >= 25, `${files.length} parameters files`);
    for (const file of files) {
      const read = readFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
      assert.ok(read?.parameters && read.parameters.values.size > 0, `${path.relative(CORPUS, file)} reads as a parameters file`);
      assert.deepEqual(read.facts.problems, []);
    }
  });
});
