// What explain must agree on with the flow engine, for one model: every pair the explainer lists allows exactly
// what the flow list says (`unknown` where the flow is unknown), every listed flow (but the ingress controller's) is
// explained, the groups of a pair cover every port once, and each direction's verdict comes with a reason of its
// effect: an allowing rule or default where it allows, a denying rule or a policy's default deny where it denies.
// Shared by test/unit/flowsExplain.test.ts and test/corpus/netpolExplain.test.ts.
import assert from 'node:assert/strict';
import { analyzeFlows, INGRESS_CONTROLLER, UNKNOWN_CONNECTION } from '../../server/src/flows/engine.ts';
import { type ConnectionExplanation, createExplainer, type DirectionExplanation } from '../../server/src/flows/explain.ts';
import { PortSet } from '../../server/src/flows/ports.ts';
import type { NetworkModel } from '../../server/src/model/network.ts';

function checkDirection(explanation: ConnectionExplanation, ports: PortSet, name: string, direction: DirectionExplanation): void {
  const where = `${explanation.src} => ${explanation.dst} ${ports.toString()} ${name}`;
  const effect = direction.allowed ? 'allow' : 'deny';
  const reasons = JSON.stringify(direction.reasons.map((reason) => [reason.kind, reason.effect, reason.policy?.name, reason.rule?.number]));
  assert.ok(
    direction.reasons.some((reason) => reason.effect === effect),
    `${where}: ${direction.allowed ? 'allowed' : 'denied'} without a reason that ${effect}s: ${reasons}`,
  );
}

/** Checks one explanation against the flow's connection (`No Connections` when the pair is not listed). */
export function checkExplanation(explanation: ConnectionExplanation, conn: string): void {
  const pair = `${explanation.src} => ${explanation.dst}`;
  if (explanation.unknown !== undefined) assert.equal(conn, UNKNOWN_CONNECTION, `${pair}: explained as unknown (${explanation.unknown})`);
  else assert.equal(explanation.allowed.isEmpty() ? 'No Connections' : explanation.allowed.toString(), conn.replace(/ \(with .*\)$/, ''), pair);
  let covered = PortSet.EMPTY;
  for (const group of explanation.groups) {
    assert.ok(covered.intersect(group.ports).isEmpty(), `${pair}: ${group.ports.toString()} in two groups`);
    covered = covered.union(group.ports);
    assert.equal(group.allowed, explanation.allowed.contains(group.ports), `${pair}: group ${group.ports.toString()} verdict`);
    assert.equal(group.allowed, group.egress.allowed && group.ingress.allowed, `${pair}: ${group.ports.toString()} both directions`);
    checkDirection(explanation, group.ports, 'egress', group.egress);
    checkDirection(explanation, group.ports, 'ingress', group.ingress);
  }
  assert.ok(covered.isAll(), `${pair}: the groups cover ${covered.toString()}`);
}

/** Checks every pair of a model; returns how many pairs were explained. */
export function checkModel(model: NetworkModel): number {
  const { flows } = analyzeFlows(model);
  const conns = new Map(flows.map((flow) => [`${flow.src} => ${flow.dst}`, flow.conn]));
  const explained = new Set<string>();
  for (const explanation of createExplainer(model).explainAll()) {
    const key = `${explanation.src} => ${explanation.dst}`;
    explained.add(key);
    checkExplanation(explanation, conns.get(key) ?? 'No Connections');
  }
  for (const flow of flows) {
    if (flow.src !== INGRESS_CONTROLLER) assert.ok(explained.has(`${flow.src} => ${flow.dst}`), `flow ${flow.src} => ${flow.dst} is not explained`);
  }
  return explained.size;
}
