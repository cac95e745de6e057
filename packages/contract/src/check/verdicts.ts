import type { OperationId } from "../spec.js";
import { clip, MAX_TEXT } from "./bounded-text.js";
import type { CheckName } from "./catalogue.js";
import { RESPONSE_CHECKS } from "./checks/responses.js";
import type { Exchange } from "./requester.js";

/** What one check found wrong (or, as a warning, lenient) in one answer, with what it takes to see it again. */
export interface Finding {
  /** The case: `per_page=0 (below the minimum 1)`, `page 3`, `no token`. */
  case: string;
  expected: string;
  /** The status received; `null` when no answer came. */
  status: number | null;
  /** Where: `status`, `header Link`, `body/3/email`, `items`. */
  place: string;
  message: string;
  /** A short piece of what the server sent at that place. */
  excerpt?: string;
  /** The request as a `curl` command, the token as `$SENTRY_TOKEN`. */
  curl: string;
  /** How many answers showed this same finding (same place and message). */
  count: number;
}

export interface CheckResult {
  /** `check operation`, such as `pagination_unique_ids listOrganizationMembers`. */
  name: string;
  check: CheckName;
  operation: OperationId;
  /** `not run`: no answer was judged, because the run stopped or the request budget left none for it. */
  outcome: "passed" | "failed" | "not run";
  ok: boolean;
  /** How many answers it judged and how many failed, or why it did not run. */
  summary: string;
  /** The first few distinct findings; `unlisted` counts the rest. */
  failures: Finding[];
  warnings: Finding[];
  unlisted: { failures: number; warnings: number };
}

/** Distinct findings listed per check and operation, failures and warnings each: a report stays small. */
const MAX_LISTED = 3;
const MAX_EXCERPT = 120;
const AGGREGATED: ReadonlySet<CheckName> = new Set(RESPONSE_CHECKS);

interface Tally {
  judged: number;
  failed: number;
  findings: Map<string, Finding>[];
}

export type Judgement = Omit<Finding, "case" | "status" | "curl" | "count">;

/** The findings of every check on every operation, as the run makes them. */
export class Verdicts {
  readonly #tallies = new Map<string, Tally>();

  #tally(check: CheckName, operation: OperationId): Tally {
    const key = `${check} ${operation}`;
    let tally = this.#tallies.get(key);
    if (!tally) {
      tally = { judged: 0, failed: 0, findings: [new Map(), new Map()] };
      this.#tallies.set(key, tally);
    }
    return tally;
  }

  /** `check` looked at `exchange`'s answer and found `failures` (none: it holds) and `warnings`. */
  judge(check: CheckName, exchange: Exchange, failures: Judgement[], warnings: Judgement[] = []) {
    const tally = this.#tally(check, exchange.request.operation);
    tally.judged++;
    if (failures.length > 0) tally.failed++;
    for (const [kind, list] of [failures, warnings].entries()) {
      const findings = tally.findings[kind] as Map<string, Finding>;
      for (const judgement of list) {
        const place = clip(judgement.place);
        const message = clip(judgement.message);
        // What the validator finds is counted across answers; what a case check finds is that case's own defect.
        const key = `${place}\n${message}\n${AGGREGATED.has(check) ? "" : exchange.request.label}`;
        const known = findings.get(key);
        if (known) {
          known.count++;
          continue;
        }
        findings.set(key, {
          case: clip(exchange.request.label),
          expected: judgement.expected,
          status: exchange.answer?.status ?? null,
          place,
          message,
          ...(judgement.excerpt !== undefined && { excerpt: clip(judgement.excerpt, MAX_EXCERPT) }),
          curl: clip(exchange.curl, 2 * MAX_TEXT),
          count: 1,
        });
      }
    }
  }

  /**
   * The result of `check` on `operation`. `stopped`: the run ended while this operation's cases ran, so a
   * check that found nothing wrong is not run rather than passed.
   */
  result(check: CheckName, operation: OperationId, notRun?: string): CheckResult {
    const tally = this.#tally(check, operation);
    const [failures, warnings] = tally.findings.map((findings) => [...findings.values()]) as [Finding[], Finding[]];
    const listed = (all: Finding[]) => all.slice(0, MAX_LISTED);
    const unlisted = {
      failures: Math.max(0, failures.length - MAX_LISTED),
      warnings: Math.max(0, warnings.length - MAX_LISTED),
    };
    const base = { name: `${check} ${operation}`, check, operation, unlisted };
    if (failures.length === 0 && (notRun !== undefined || tally.judged === 0)) {
      return {
        ...base,
        outcome: "not run",
        ok: false,
        summary: notRun ?? "nothing to judge",
        failures: [],
        warnings: listed(warnings),
      };
    }
    const answers = `${tally.judged} answer${tally.judged === 1 ? "" : "s"}`;
    const ok = failures.length === 0;
    return {
      ...base,
      outcome: ok ? "passed" : "failed",
      ok,
      summary: ok ? answers : `${tally.failed} of ${answers} failed`,
      failures: listed(failures),
      warnings: listed(warnings),
    };
  }
}
