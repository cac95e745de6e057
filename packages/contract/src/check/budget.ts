/**
 * How many requests each family of cases may send out of `budget`: one each in turn, so that every family
 * gets a request before any gets a second. A demand may be `Infinity` (a walk to the last page): such
 * families share what the others leave.
 */
export function splitBudget(demands: readonly number[], budget: number): number[] {
  const given = demands.map(() => 0);
  let left = budget;
  while (left > 0) {
    const wanting = given.flatMap((count, i) => (count < (demands[i] as number) ? [i] : []));
    if (wanting.length === 0) break;
    // Whole rounds at once: a budget of thousands must not cost thousands of passes.
    const rounds = Math.max(1, Math.floor(left / wanting.length));
    for (const i of wanting) {
      const add = Math.min(rounds, (demands[i] as number) - (given[i] as number), left);
      given[i] = (given[i] as number) + add;
      left -= add;
      if (left === 0) break;
    }
  }
  return given;
}
