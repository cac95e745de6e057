import { redactToken } from "@sentry-org-api/types/protocol";
import type { CheckProgress, CheckReport } from "./check.js";
import type { CheckResult, Finding } from "./verdicts.js";

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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A finding as lines: what was expected and received, where, an excerpt, and the `curl` that shows it again. */
function findingLines(finding: Finding): string[] {
  const received = finding.status === null ? "no answer" : String(finding.status);
  const lines = [`expected ${finding.expected}; got ${received}`];
  if (finding.message) lines.push(`at ${finding.place}: ${finding.message}`);
  if (finding.excerpt !== undefined) lines.push(`excerpt ${JSON.stringify(finding.excerpt)}`);
  lines.push(finding.curl);
  return lines;
}

const title = (check: CheckResult, finding: Finding) =>
  `${check.name}, ${finding.case}${finding.count > 1 ? ` (and ${plural(finding.count - 1, "more answer")})` : ""}`;

/** The findings of every check of one kind, each titled, then its lines indented; the unlisted counted. */
function findingSection(report: CheckReport, kind: "failures" | "warnings"): string[] {
  const lines: string[] = [];
  for (const check of report.checks) {
    for (const finding of check[kind]) {
      lines.push(`  ${title(check, finding)}`, ...findingLines(finding).map((line) => `      ${line}`));
    }
    const more = check.unlisted[kind];
    if (more > 0) lines.push(`  ${check.name}: ${more} more, not listed`);
  }
  return lines;
}

/** The text report in the pieces the `check` command prints as the run goes; each ends with a newline. */
export const textReport = {
  header: (baseUrl: string, org: string) => `Checking ${baseUrl} for organization ${JSON.stringify(org)}\n`,

  check(check: CheckResult, colour: boolean) {
    const mark =
      check.outcome === "passed" ? paint(colour, 32, "✓") : check.outcome === "failed" ? paint(colour, 31, "✗") : "○";
    const warnings = check.warnings.length + check.unlisted.warnings;
    return `${mark} ${check.name}: ${check.summary}${warnings ? ` (${plural(warnings, "warning")})` : ""}\n`;
  },

  wait: ({ ms, reason }: Extract<CheckProgress, { type: "wait" }>) =>
    `waiting ${Math.ceil(ms / 1000)} s for the rate-limit window (${reason})\n`,

  /** The failures and warnings with how to reproduce each, why the run stopped, and the summary. */
  footer(report: CheckReport, colour: boolean) {
    const lines: string[] = [];
    const failures = findingSection(report, "failures");
    if (failures.length > 0) lines.push("", "Failures:", ...failures);
    const warnings = findingSection(report, "warnings");
    if (warnings.length > 0) lines.push("", "Warnings:", ...warnings);
    lines.push("");
    if (report.stopped) lines.push(`Stopped: ${report.stopped.message}`);
    const notRun = report.notRun > 0 ? `, ${report.notRun} not run` : "";
    const warned = report.warnings > 0 ? `, ${plural(report.warnings, "warning")}` : "";
    const took = `${plural(report.requests, "request")} in ${(report.durationMs / 1000).toFixed(1)} s`;
    const summary = `${report.checks.length} checks: ${report.passed} passed, ${report.failed} failed${notRun}${warned} (${took})`;
    lines.push(paint(colour, report.failed > 0 ? 31 : report.notRun > 0 ? 33 : 32, summary));
    return `${lines.join("\n")}\n`;
  },
};

/** What XML 1.0 allows in a document; not even a character reference may name anything else. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `text` escaped for XML; a character XML forbids (a server may send U+FFFF) becomes U+FFFD. */
const xml = (text: string) =>
  text
    .replace(NOT_XML_CHAR, "\uFFFD")
    .replace(
      /[<>&"']/g,
      (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] as string,
    );

/** Each finding of one kind as text: its case, then its lines. */
const details = (check: CheckResult, kind: "failures" | "warnings") =>
  [
    ...check[kind].map((finding) => [title(check, finding), ...findingLines(finding).map((l) => `  ${l}`)].join("\n")),
    ...(check.unlisted[kind] > 0 ? [`${check.unlisted[kind]} more, not listed`] : []),
  ].join("\n");

/** One test case per check and operation; warnings go to the case's system-out. */
function junit(report: CheckReport) {
  const cases = report.checks.map((check) => {
    const open = `    <testcase classname="sentry-org-api.check.${xml(check.check)}" name="${xml(check.name)}">`;
    const warnings =
      check.warnings.length > 0 ? `\n      <system-out>${xml(details(check, "warnings"))}</system-out>` : "";
    if (check.outcome === "passed") return warnings ? `${open}${warnings}\n    </testcase>` : `${open}</testcase>`;
    if (check.outcome === "not run") {
      const reason = report.stopped?.message ?? check.summary;
      return `${open}\n      <skipped message="${xml(reason)}"/>${warnings}\n    </testcase>`;
    }
    const failure = `<failure message="${xml(check.summary)}">${xml(details(check, "failures"))}</failure>`;
    return `${open}\n      ${failure}${warnings}\n    </testcase>`;
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
