// Fixes that reshape Kubernetes manifests, checked on the parsed result: ingress-api-deprecated rewrites a v1beta1
// Ingress as the v1 object the Kubernetes migration guide describes (YAML block and flow style, CRLF, JSON);
// load-balancer-ip-deprecated moves spec.loadBalancerIP to the azure-load-balancer-ipv4 annotation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Workspace } from '../../server/src/service/workspace.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'rules');
const FIXTURE = path.join(FIXTURES, 'ingress-api-deprecated');

/** The text after applying every fix of the rule in the file. */
function migrated(uri: string, text: string, rule = 'ingress-api-deprecated'): string {
  const workspace = new Workspace();
  workspace.setFile(uri, text);
  const edits = workspace
    .analyze()
    .findings.filter((f) => f.rule === rule)
    .flatMap((f) => f.fixes?.[0]?.edits ?? [])
    .sort((a, b) => b.source.start - a.source.start);
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.source.start) + edit.newText + result.slice(edit.source.end);
  return result;
}

const objects = (text: string) => parseAllDocuments(text).map((doc) => doc.toJS());

describe('Ingress v1beta1 to v1', () => {
  it('rewrites block and flow YAML into the v1 shape, values as written', () => {
    const [shop, admin] = objects(migrated('file:///w/ingress.yaml', readFileSync(path.join(FIXTURE, 'bad.yaml'), 'utf8')));
    assert.equal(shop.apiVersion, 'networking.k8s.io/v1');
    assert.deepEqual(shop.spec.defaultBackend, { service: { name: 'fallback', port: { number: 80 } } });
    assert.equal(shop.spec.backend, undefined);
    assert.deepEqual(shop.spec.rules[0].http.paths, [
      { pathType: 'ImplementationSpecific', path: '/api', backend: { service: { name: 'api', port: { name: 'http' } } } },
      { pathType: 'ImplementationSpecific', path: '/', backend: { service: { name: 'web', port: { number: 8080 } } } },
    ]);
    assert.equal(admin.apiVersion, 'networking.k8s.io/v1');
    assert.deepEqual(admin.spec.rules[0].http.paths, [
      { pathType: 'ImplementationSpecific', path: '/admin', backend: { service: { name: 'admin', port: { number: 443 } } } },
    ]);
  });

  it('keeps JSON valid JSON', () => {
    const text = migrated('file:///w/ingress.json', readFileSync(path.join(FIXTURE, 'bad.json'), 'utf8'));
    const object = JSON.parse(text);
    assert.equal(object.apiVersion, 'networking.k8s.io/v1');
    assert.deepEqual(object.spec.defaultBackend, { service: { name: 'docs', port: { number: 80 } } });
    assert.deepEqual(object.spec.rules[0].http.paths[0], {
      pathType: 'ImplementationSpecific',
      path: '/docs',
      backend: { service: { name: 'docs', port: { name: 'web' } } },
    });
  });

  it('keeps CRLF line endings', () => {
    const text = 'apiVersion: extensions/v1beta1\r\nkind: Ingress\r\nmetadata:\r\n  name: a\r\nspec:\r\n  backend:\r\n    serviceName: web\r\n    servicePort: 80\r\n';
    const result = migrated('file:///w/crlf.yaml', text);
    assert.ok(!/[^\r]\n/.test(result), `only CRLF: ${JSON.stringify(result)}`);
    assert.deepEqual(objects(result)[0].spec, { defaultBackend: { service: { name: 'web', port: { number: 80 } } } });
  });

  it('offers no rewrite when a port is a template placeholder, but still reports the version', () => {
    const text = 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: { name: a }\nspec:\n  backend:\n    serviceName: web\n    servicePort: ${PORT}\n';
    const workspace = new Workspace();
    workspace.setFile('file:///w/t.yaml', text);
    const findings = workspace.analyze().findings.filter((f) => f.rule === 'ingress-api-deprecated');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.fixes, undefined);
  });
});

describe('spec.loadBalancerIP to the annotation', () => {
  const IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';
  it('adds the annotation (creating annotations where missing) and removes the spec field, in block and flow style', () => {
    const text = readFileSync(path.join(FIXTURES, 'load-balancer-ip-deprecated', 'bad.yaml'), 'utf8');
    const result = migrated('file:///w/lb.yaml', text, 'load-balancer-ip-deprecated');
    const services = objects(result);
    assert.deepEqual(services.map((s) => s.metadata.annotations[IPV4]), ['20.50.60.70', '10.240.0.25', '20.50.60.71']);
    assert.equal(services[1].metadata.annotations['service.beta.kubernetes.io/azure-load-balancer-internal'], 'true', 'other annotations stay');
    assert.ok(services.every((s) => s.spec.loadBalancerIP === undefined && s.spec.type === 'LoadBalancer'));
    assert.doesNotMatch(result, /expect: load-balancer-ip-deprecated/, 'the removed line takes its comment with it');
  });

  it('only removes the spec field when the annotation is already there (the annotation wins on AKS)', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    ${IPV4}: "10.0.0.9"\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 10.0.0.8\n`;
    const [service] = objects(migrated('file:///w/a.yaml', text, 'load-balancer-ip-deprecated'));
    assert.deepEqual(service.metadata.annotations, { [IPV4]: '10.0.0.9' });
    assert.equal(service.spec.loadBalancerIP, undefined);
  });
});
