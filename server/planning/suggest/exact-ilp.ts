/**
 * The exact method: the integer program, solved by HiGHS (WebAssembly, the
 * `highs` package) within a time limit.
 *
 *   max coverage, k sites:   max  sum_g w_g y_g
 *   fewest sites, need W:    min  sum_j x_j   s.t. sum_g w_g y_g >= W
 *   both:  y_g <= sum_{j covers g} x_j,  sum_j x_j <= k,  x binary, 0 <= y <= 1
 *
 * y may stay continuous: at an optimum it is 1 exactly where a chosen site
 * covers g. The rows are demand groups (demand-groups.ts: units covered by
 * the same candidates, merged), which shrinks the matrix without changing
 * any optimum; HiGHS's presolve does the rest. The model goes to HiGHS as
 * CSC arrays through its persistent API (the grouped coverage sets already
 * are the columns) rather than as CPLEX LP text through `solve`: the text
 * would be tens of MB for a city, and the persistent API also takes the
 * starting solution and reports the dual bound.
 * The heuristic's answer is given as the starting incumbent, so a stop at
 * the time limit returns at least that, with HiGHS's dual bound. Each solve
 * loads a fresh HiGHS instance (about 60 ms) so the WebAssembly memory of a
 * large model is released with it.
 *
 * The objective is whole (weights are counts), so the gap tolerances are set
 * to prove optimality to less than one unit of weight: "optimal" is exact.
 */
import type { Highs } from 'highs';
import { GrowableArray } from '../../../kernel/growable-array.ts';
import type { DemandGroups } from './demand-groups.ts';

export interface ExactProblem {
  /** The coverage sets with their demand grouped (demand-groups.ts); columns are the sets' rows. */
  groups: DemandGroups;
  /** Sites allowed (max coverage: exactly the k asked; fewest sites: the cap). */
  k: number;
  /** Fewest sites: the weight to gain; absent for max coverage. */
  need?: number;
  /** A feasible answer to start from (rows). */
  start?: readonly number[];
  timeLimitS: number;
}

export interface ExactResult {
  status: 'optimal' | 'time_limit' | 'infeasible';
  /** Chosen rows (empty when none was found). */
  rows: number[];
  /** HiGHS's proven bound on the objective (max coverage: upper bound on weight; fewest sites: lower bound on sites); NaN when it gave none. */
  bound: number;
  /** Model size after merging demand units. */
  model: { columns: number; rows: number; nonzeros: number };
  ms: number;
}

/**
 * A fresh HiGHS instance. Node loads the package's ES build, whose default
 * export is the loader; its types describe the CommonJS build, hence the cast.
 */
async function loadHighs(): Promise<Highs> {
  const module = (await import('highs')) as unknown as { default: () => Promise<Highs> };
  return module.default();
}

/** Solves the program of `problem` (see the module header). */
export async function solveExact(problem: ExactProblem): Promise<ExactResult> {
  const started = performance.now();
  const { groups, k, need } = problem;
  const C = groups.candidateOffset.length - 1;
  const G = groups.count;
  const groupWeight = groups.weight;
  const target = need !== undefined;
  // Rows: one per group, the site count, and (fewest sites) the weight to reach.
  const countRow = G;
  const needRow = G + 1;
  const numRows = target ? G + 2 : G + 1;
  const numCols = C + G;

  // Columns x_j: -1 in each group row it covers, +1 in the count row.
  const starts = new Int32Array(numCols + 1);
  const indices = new GrowableArray(new Int32Array(groups.candidateGroups.length + C + 2 * G));
  const values = new GrowableArray(new Float64Array(indices.data.length));
  for (let c = 0; c < C; c++) {
    for (let q = groups.candidateOffset[c]!, end = groups.candidateOffset[c + 1]!; q < end; q++) {
      indices.push(groups.candidateGroups[q]!);
      values.push(-1);
    }
    indices.push(countRow);
    values.push(1);
    starts[c + 1] = indices.length;
  }
  // Columns y_g: +1 in its group row, w_g in the weight row.
  for (let g = 0; g < G; g++) {
    indices.push(g);
    values.push(1);
    if (target) {
      indices.push(needRow);
      values.push(groupWeight[g]!);
    }
    starts[C + g + 1] = indices.length;
  }

  const highs = await loadHighs();
  const inf = highs.infinity;
  const colCost = new Float64Array(numCols);
  if (target) colCost.fill(1, 0, C);
  else for (let g = 0; g < G; g++) colCost[C + g] = groupWeight[g]!;
  const rowLower = new Float64Array(numRows).fill(-inf);
  const rowUpper = new Float64Array(numRows);
  rowUpper[countRow] = k;
  if (target) {
    rowLower[needRow] = need;
    rowUpper[needRow] = inf;
  }
  const integrality = new Int32Array(numCols);
  integrality.fill(highs.constants.variableType.integer, 0, C);

  const model = highs.createModel({
    numCols,
    numRows,
    sense: target ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows, numCols, starts, indices: indices.view(), values: values.view() },
    integrality,
  });
  const nonzeros = indices.length;
  try {
    model.options.set({
      output_flag: false,
      // HiGHS overruns its limit by up to about a fifth (it finishes the node and the postsolve it is in).
      time_limit: Math.max(0.5, 0.8 * (problem.timeLimitS - (performance.now() - started) / 1000)),
      mip_rel_gap: 0,
      // Objectives are whole numbers: a gap below one unit proves the optimum.
      mip_abs_gap: 0.5,
      random_seed: 0,
    });
    if (problem.start && problem.start.length > 0) model.setSolution({ colValue: startValues(groups, C, numCols, problem.start) });
    model.run();
    const status = model.getModelStatus();
    const codes = highs.constants.modelStatus;
    const rows: number[] = [];
    const hasSolution = status === codes.optimal || Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    if (hasSolution) {
      const x = model.getSolution().colValue;
      for (let c = 0; c < C; c++) if (x[c]! > 0.5) rows.push(c);
    }
    const dual = Number(model.info.get('mip_dual_bound'));
    return {
      status: status === codes.optimal ? 'optimal' : status === codes.infeasible ? 'infeasible' : 'time_limit',
      rows,
      bound: Number.isFinite(dual) ? dual : NaN,
      model: { columns: numCols, rows: numRows, nonzeros },
      ms: performance.now() - started,
    };
  } finally {
    model.dispose();
  }
}

/** A full column vector for the start rows: x = 1 on them, y_g = 1 on the groups they cover. */
function startValues(groups: DemandGroups, C: number, numCols: number, start: readonly number[]): Float64Array {
  const values = new Float64Array(numCols);
  for (const c of start) {
    values[c] = 1;
    for (let q = groups.candidateOffset[c]!, end = groups.candidateOffset[c + 1]!; q < end; q++) values[C + groups.candidateGroups[q]!] = 1;
  }
  return values;
}
