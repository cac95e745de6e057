import { redactToken } from "@sentry-org-api/types/protocol";
import type { CheckProgress, CheckReport, CheckResult } from "./check.js";

export type ReportFormat = "text" | "json" | "junit";

const paint = (colour: boolean, code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[39m` : text);

/** Renders a report; `secret` (the token) is removed from every line, whatever the server echoed. */
export function formatReport(
  report: CheckReport,
  format: ReportFormat,
  options: { colour?: boolean; secret?: string } = {},
) {
  const colour = options.colour ?? false;
  const text =
    format === "json"
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === "junit"
        ? junit(report)
        : [
            textReport.header(report.baseUrl, report.org),
            ...report.checks.map((check) => textReport.check(check, colour)),
            textReport.footer(report, colour),
          ].join("");
  return options.secret ? redactToken(options.secret, "[redacted]")(text) : text;
}

/** The text report in the pieces the `check` command prints as the run goes; each ends with a newline. */
export const textReport = {
  header: (baseUrl: string, org: string) => `Checking ${baseUrl} for organization ${JSON.stringify(org)}\n`,

  check(check: CheckResult, colour: boolean) {
    const mark =
      check.outcome === "passed" ? paint(colour, 32, "✓") : check.outcome === "failed" ? paint(colour, 31, "✗") : "○";
    const count = check.violations.length;
    return `${mark} ${check.name}: ${check.summary}${count ? ` (${count} violation${count === 1 ? "" : "s"})` : ""}\n`;
  },

  wait: ({ ms, reason }: Extract<CheckProgress, { type: "wait" }>) =>
    `waiting ${Math.ceil(ms / 1000)} s for the rate-limit window (${reason})\n`,

  /** The violations grouped and counted across checks, why the run stopped, and the summary. */
  footer(report: CheckReport, colour: boolean) {
    const lines: string[] = [];
    const problems = new Map<string, number>();
    for (const check of report.checks) {
      for (const violation of check.violations) {
        const key = `${violation.operation} ${violation.place}: ${violation.message}`;
        problems.set(key, (problems.get(key) ?? 0) + 1);
      }
    }
    if (problems.size > 0) {
      lines.push("", "Violations:");
      for (const [key, count] of problems) lines.push(`  ${key}${count > 1 ? ` (×${count})` : ""}`);
    }
    lines.push("");
    if (report.stopped) lines.push(`Stopped: ${report.stopped.message}`);
    const notRun = report.notRun > 0 ? `, ${report.notRun} not run` : "";
    const summary = `${report.checks.length} checks: ${report.passed} passed, ${report.failed} failed${notRun}`;
    lines.push(paint(colour, report.failed > 0 ? 31 : report.notRun > 0 ? 33 : 32, summary));
    return `${lines.join("\n")}\n`;
  },
};

const xml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );

function junit(report: CheckReport) {
  const cases = report.checks.map((check) => {
    const open = `    <testcase classname="sentry-org-api.check" name="${xml(check.name)}">`;
    if (check.outcome === "passed") return `${open}</testcase>`;
    if (check.outcome === "not run")
      return `${open}\n      <skipped message="${xml(report.stopped?.message ?? "not run")}"/>\n    </testcase>`;
    const details = check.violations.map((v) => `${v.operation} ${v.place}: ${v.message}`).join("\n");
    return `${open}\n      <failure message="${xml(check.summary)}">${xml(details)}</failure>\n    </testcase>`;
  });
  const counts = `tests="${report.checks.length}" failures="${report.failed}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${counts}>`,
    `  <testsuite name="${xml(`${report.baseUrl} ${report.org}`)}" ${counts} skipped="${report.notRun}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
