/**
 * The evaluation of the current state, computed once per state generation: a scrape
 * renders several families from it, the poller logs its changes at every round's end.
 * Every probe result moves the generation, so the evaluation after one keeps the parts
 * of the hosts and domains it did not touch (evaluate-memo.ts), found by identity as their
 * views are kept while their state is the same (evaluate-view.ts).
 */
import { evaluate, type Evaluation } from './evaluate.js';
import { EvaluationMemo } from './evaluate-memo.js';
import type { PlannedProduct } from './plan.js';
import type { MonitorState } from './state.js';
import { EvaluationViews } from './evaluate-view.js';

const cache = new WeakMap<
  MonitorState,
  {
    generation: number;
    products: readonly PlannedProduct[];
    evaluation: Evaluation;
    memo: EvaluationMemo;
    views: EvaluationViews;
  }
>();

export function evaluationOf(state: MonitorState, products: readonly PlannedProduct[]): Evaluation {
  const hit = cache.get(state);
  if (hit && hit.generation === state.generation && hit.products === products)
    return hit.evaluation;
  const memo = hit?.memo ?? new EvaluationMemo();
  const views = hit?.views ?? new EvaluationViews();
  const view = views.view(state, products);
  const evaluation = evaluate(view, memo.parts(view));
  cache.set(state, { generation: state.generation, products, evaluation, memo, views });
  return evaluation;
}
