// Real corpus files read into one workspace, and their model values as short text: the corpus value tests' tools.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Cidr, formatCidr, formatIp, type IpAddress } from '../../server/src/cidr/cidr.ts';
import type { NetworkModel } from '../../server/src/model/network.ts';
import type { Value } from '../../server/src/model/source.ts';
import { loadFromDisk } from '../../server/src/service/diskFiles.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

export const CORPUS = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

/** The model of corpus files (paths relative to the corpus), modules outside them loaded from disk. */
export function modelOf(...files: string[]): NetworkModel {
  const workspace = new Workspace(loadFromDisk);
  for (const file of files) {
    const full = path.join(CORPUS, file);
    workspace.setFile(pathToFileURL(full).href, readFileSync(full, 'utf8'));
  }
  return workspace.analyze().model;
}

export const cidrs = (values: Value<Cidr>[]) => values.map((v) => (v.known ? formatCidr(v.value) : '?'));
export const ip = (value: Value<IpAddress>) => (value.known ? formatIp(value.value) : '?');
export const text = (value: Value<string>) => (value.known ? value.value : '?');
export const num = (value: Value<number>) => (value.known ? value.value : '?');
