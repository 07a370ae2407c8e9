// ARM JSON templates as deployments: each template no other template links (templateLink.relativePath) is a root,
// evaluated with its parameters' defaults and lowered through the resource layer. A template Bicep compiled next to
// its .bicep file is that file's output: the .bicep is evaluated, not the JSON.
import { emptyFileFacts } from '../../model/network';
import type { ReadResult } from '../index';
import type { ProjectPass } from '../projectPass';
import { lowerDeployment } from './lowering';
import { evaluateTemplate, linkedTemplates } from './template';
import { type Deployment, property } from './values';

/** The templates to evaluate: not compiled from a .bicep file that the workspace holds. */
function templates(files: ReadonlyMap<string, ReadResult>): [string, ReadResult][] {
  return [...files].filter(([uri, read]) => read.template && !(read.template.generatedByBicep && files.has(uri.replace(/\.json$/i, '.bicep'))));
}

export const templateDeployments: ProjectPass = {
  id: 'arm',
  takes: (read) => read.template !== undefined || read.parameters !== undefined,
  templates: (files) => {
    const found = templates(files);
    const linked = new Set(found.flatMap(([uri, read]) => linkedTemplates(uri, read.template!.value)));
    return found.map(([uri]) => uri).filter((uri) => !linked.has(uri));
  },
  // Any template: a parameters file pairs with the .bicep beside a compiled main.json first (environments.ts).
  isTemplate: (uri, files) => files.get(uri)?.template !== undefined,
  defaultsComplete: (template, files) => {
    const parameters = property(files.get(template)?.template?.value, 'parameters');
    return parameters?.kind !== 'object' || [...parameters.properties.values()].every((declared) => property(declared, 'defaultValue') !== undefined);
  },
  problems: () => [],
  evaluate: (root, key, files, host) => {
    const facts = emptyFileFacts(`arm-deployment:${key}`);
    const template = files.get(root.template)?.template;
    if (!template) return facts;
    const deployment: Deployment = { instances: [] };
    const args = root.parameters === undefined ? undefined : (host.read(root.parameters)?.parameters?.values ?? new Map());
    evaluateTemplate(root.template, template.value, { template: (uri) => host.read(uri)?.template?.value }, deployment, args);
    lowerDeployment(`arm:${key}`, deployment, facts, root.parameters);
    return facts;
  },
};
