/**
 * One line per distinct problem. evaluate() reports per product, so a host that refuses
 * every connection, or a domain where no host answers, would say the same thing once per
 * product; here problems that differ only in the product become one problem naming all
 * its products ("kms1:1688 failed windows-10-11, office-2016: bind_rejected ...").
 */
/** What grouping needs of a problem (evaluate()'s findings and check's own). */
export interface Problem {
  severity: string;
  code?: string;
  domain?: string;
  host?: string;
  product?: string;
  message: string;
}

export type GroupedProblem<P extends Problem = Problem> = P & {
  /** Every product the problem concerns, in the order first seen (when it concerns products). */
  products?: string[];
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The message with the product slug taken out: the slug as a word of its own (after a
 * space, before `:`, `,`, a space or the end), never a part of a host name.
 */
function template(problem: Problem): { before: string; after: string } | null {
  if (problem.product === undefined) return null;
  const word = new RegExp(`(?<= )${escapeRegExp(problem.product)}(?=[:, ]|$)`);
  const match = word.exec(problem.message);
  if (match === null) return null;
  return {
    before: problem.message.slice(0, match.index),
    after: problem.message.slice(match.index + problem.product.length),
  };
}

export function groupProblems<P extends Problem>(problems: readonly P[]): GroupedProblem<P>[] {
  const out: GroupedProblem<P>[] = [];
  const groups = new Map<
    string,
    { problem: GroupedProblem<P>; shape: { before: string; after: string } }
  >();
  for (const problem of problems) {
    const shape = template(problem);
    if (shape === null) {
      out.push(problem);
      continue;
    }
    const key = JSON.stringify([
      problem.code ?? '',
      problem.severity,
      problem.domain ?? '',
      problem.host ?? '',
      shape.before,
      shape.after,
    ]);
    const group = groups.get(key);
    if (group) {
      group.problem.products?.push(problem.product as string);
      continue;
    }
    const grouped: GroupedProblem<P> = { ...problem, products: [problem.product as string] };
    groups.set(key, { problem: grouped, shape });
    out.push(grouped);
  }
  for (const { problem, shape } of groups.values()) {
    const products = problem.products ?? [];
    if (products.length > 1) {
      problem.message = `${shape.before}${products.join(', ')}${shape.after}`;
      delete problem.product;
    }
  }
  return out;
}
