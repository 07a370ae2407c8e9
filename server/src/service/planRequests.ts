// The Plan IPs requests, by name: the client sends them, the server answers them (their data: PlanPrefill,
// PlanRequest and PlanResponse in planIps.ts). Plain constants, no imports: the client imports them too.

/** The form's prefill for the active file's cluster (params `{ uri }`). */
export const PLAN_PREFILL_REQUEST = 'aksNetworkLens/planPrefill';
/** The plan, its preview and the edit that writes it (params PlanRequest). */
export const PLAN_REQUEST = 'aksNetworkLens/plan';
