/**
 * The evaluation of the current state, computed once per state generation: a scrape
 * renders several families from it, the poller logs its changes, and the state only
 * changes between rounds.
 */
import { evaluate, type Evaluation } from './evaluate.js';
import type { PlannedProduct } from './plan.js';
import type { MonitorState } from './state.js';
import { buildStatusView } from './status-view.js';

const cache = new WeakMap<
  MonitorState,
  { generation: number; products: readonly PlannedProduct[]; evaluation: Evaluation }
>();

export function evaluationOf(state: MonitorState, products: readonly PlannedProduct[]): Evaluation {
  const hit = cache.get(state);
  if (hit && hit.generation === state.generation && hit.products === products)
    return hit.evaluation;
  const evaluation = evaluate(buildStatusView(state, products, { historyLimit: 0 }));
  cache.set(state, { generation: state.generation, products, evaluation });
  return evaluation;
}
