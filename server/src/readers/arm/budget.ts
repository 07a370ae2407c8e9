// The step budget of one evaluation (a Bicep deployment with its modules, an ARM template with its nested
// deployments, a Terraform configuration with its modules). Each expression evaluated is a step, and a value
// built costs its size, so loops of loops, module fan-out and doubling strings or arrays end with unknown values
// instead of running for hours. The counts are plain numbers that tests read (never the clock): that an
// evaluation did no more work than its budget allows, and said where it stopped.

export type Evaluator = 'bicep' | 'arm-template' | 'terraform';

export interface EvaluationBudget {
  readonly evaluator: Evaluator;
  /** The file the evaluation started from. */
  readonly root: string;
  /** Steps the evaluation may spend. */
  readonly limit: number;
  /** The reason of the unknown values given once the budget is spent. */
  readonly reason: string;
  /** Steps spent: never more than `limit`. */
  readonly steps: number;
  /** Requests for steps refused once the budget was spent; each gave an unknown value. */
  readonly refused: number;
  /** True once a request was refused: evaluation stopped there, with `reason`, and every later request is refused. */
  readonly stopped: boolean;
}

/** The evaluator's side: the same object, writable. */
type Counter = { -readonly [K in keyof EvaluationBudget]: EvaluationBudget[K] };

/** Budgets created while a test meters evaluations; undefined otherwise (nothing is kept). */
let metered: EvaluationBudget[] | undefined;

/** A new budget for one evaluation. */
export function newBudget(evaluator: Evaluator, root: string, limit: number, reason: string): EvaluationBudget {
  const budget: Counter = { evaluator, root, limit, reason, steps: 0, refused: 0, stopped: false };
  metered?.push(budget);
  return budget;
}

/**
 * Spends `cost` steps (one for an expression, a built value's size): true when they fit in the budget, false
 * once it is spent, and then the caller gives an unknown value with the budget's `reason`.
 */
export function spend(budget: EvaluationBudget, cost: number): boolean {
  const counter = budget as Counter;
  if (!counter.stopped && counter.steps + cost <= counter.limit) {
    counter.steps += cost;
    return true;
  }
  counter.refused++;
  counter.stopped = true;
  return false;
}

/**
 * Keeps every budget created from now on, for a test; the returned function stops keeping them and gives them.
 * Not for the product: nothing in the server or CLI meters.
 */
export function meterEvaluations(): () => readonly EvaluationBudget[] {
  const budgets: EvaluationBudget[] = [];
  const outer = metered;
  metered = budgets;
  return () => {
    metered = outer;
    outer?.push(...budgets);
    return budgets;
  };
}
