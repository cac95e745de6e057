import type { CheckReport } from "./check.js";

export type ReportFormat = "text" | "json" | "junit";

const paint = (colour: boolean, code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[39m` : text);

/** Renders a report; `secret` (the token) is removed from every line, whatever the server echoed. */
export function formatReport(
  report: CheckReport,
  format: ReportFormat,
  options: { colour?: boolean; secret?: string } = {},
) {
  const text =
    format === "json"
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === "junit"
        ? junit(report)
        : plain(report, options.colour ?? false);
  return options.secret ? text.replaceAll(options.secret, "[redacted]") : text;
}

function plain(report: CheckReport, colour: boolean) {
  const lines = [`Checking ${report.baseUrl} for organization ${JSON.stringify(report.org)}`];
  const problems = new Map<string, { count: number; where: Set<string> }>();
  for (const check of report.checks) {
    const mark = check.ok ? paint(colour, 32, "✓") : paint(colour, 31, "✗");
    const count = check.violations.length;
    lines.push(
      `${mark} ${check.name}: ${check.summary}${count ? ` (${count} violation${count === 1 ? "" : "s"})` : ""}`,
    );
    for (const violation of check.violations) {
      const key = `${violation.operation} ${violation.place}: ${violation.message}`;
      const entry = problems.get(key) ?? { count: 0, where: new Set<string>() };
      entry.count++;
      entry.where.add(check.name);
      problems.set(key, entry);
    }
  }
  if (problems.size > 0) {
    lines.push("", "Violations:");
    for (const [key, { count }] of problems) lines.push(`  ${key}${count > 1 ? ` (×${count})` : ""}`);
  }
  const summary = `${report.checks.length} checks: ${report.passed} passed, ${report.failed} failed`;
  lines.push("", report.failed === 0 ? paint(colour, 32, summary) : paint(colour, 31, summary));
  return `${lines.join("\n")}\n`;
}

const xml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );

function junit(report: CheckReport) {
  const cases = report.checks.map((check) => {
    const open = `    <testcase classname="sentry-org-api.check" name="${xml(check.name)}">`;
    if (check.ok) return `${open}</testcase>`;
    const details = check.violations.map((v) => `${v.operation} ${v.place}: ${v.message}`).join("\n");
    return `${open}\n      <failure message="${xml(check.summary)}">${xml(details)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${report.checks.length}" failures="${report.failed}">`,
    `  <testsuite name="${xml(`${report.baseUrl} ${report.org}`)}" tests="${report.checks.length}" failures="${report.failed}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
