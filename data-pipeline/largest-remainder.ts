/**
 * Integer apportionment: splitting a whole number (a grid's households or
 * persons) into whole parts proportional to weights, so that the parts sum
 * to it exactly. Rounding each share on its own would not: 10 households over
 * three equal buildings round to 3 + 3 + 3 = 9. The largest-remainder method
 * (Hamilton's) floors every share and gives the ones left over to the largest
 * fractional parts; every part is then within 1 of its exact share, and a
 * larger weight never gets a smaller part.
 */

/**
 * Parts of `total` proportional to `weights`, summing exactly to `total`.
 * Weights <= 0 (or NaN) get 0, unless no weight is positive: then the total
 * is split equally. Ties between equal remainders go to the lower index, so
 * the result depends on nothing but the input.
 */
export function largestRemainder(total: number, weights: ArrayLike<number>): Int32Array {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number >= 0, got ${total}`);
  const n = weights.length;
  const parts = new Int32Array(n);
  if (total === 0) return parts;
  if (n === 0) throw new RangeError(`cannot split ${total} over no weights`);
  let sum = 0;
  for (let i = 0; i < n; i++) if (weights[i]! > 0) sum += weights[i]!;
  const weightOf = sum > 0 ? (i: number) => (weights[i]! > 0 ? weights[i]! : 0) : () => 1;
  if (!(sum > 0)) sum = n;
  const remainder = new Float64Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const quota = (total * weightOf(i)) / sum;
    const whole = Math.floor(quota);
    parts[i] = whole;
    remainder[i] = quota - whole;
    given += whole;
  }
  let left = total - given;
  if (left === 0) return parts;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => remainder[b]! - remainder[a]! || a - b);
  // left < n in exact arithmetic; the loop keeps the sum exact even if rounding of the quotas says otherwise.
  for (let k = 0; left > 0; k = (k + 1) % n, left--) {
    const i = order[k]!;
    parts[i] = parts[i]! + 1;
  }
  return parts;
}

/**
 * `total` split as evenly as possible over `n` slots in a row, the larger
 * parts spread along the row rather than bunched at its start: slot k gets
 * floor((k + 1) * total / n) - floor(k * total / n). Sums exactly to `total`.
 */
export function evenSplit(total: number, n: number): Int32Array {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number >= 0, got ${total}`);
  const parts = new Int32Array(n);
  if (total === 0) return parts;
  if (n <= 0) throw new RangeError(`cannot split ${total} over ${n} slots`);
  for (let k = 0; k < n; k++) parts[k] = Math.floor(((k + 1) * total) / n) - Math.floor((k * total) / n);
  return parts;
}
