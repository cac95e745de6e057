import type { ResponseValidator, Violation } from "../../validate/validator.js";
import { DEFAULT_MAX_BODY_BYTES } from "../../validate/validator.js";
import { boundedJson } from "../bounded-text.js";
import type { CheckName } from "../catalogue.js";
import { type Exchange, serverDetail } from "../requester.js";
import type { Judgement, Verdicts } from "../verdicts.js";

/** The checks that judge every answer, whatever case asked for it. */
export const RESPONSE_CHECKS = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_headers_conformance",
  "response_schema_conformance",
] as const satisfies readonly CheckName[];

/** Which response check a violation of the validator belongs to, by its place. */
const checkOf = ({ place }: Violation): CheckName =>
  place === "status"
    ? "status_code_conformance"
    : place === "header Content-Type"
      ? "content_type_conformance"
      : place.startsWith("header ")
        ? "response_headers_conformance"
        : "response_schema_conformance";

/** What the server sent at a validator's place: the value a body pointer names, a header, or the error's detail. */
function excerptAt(exchange: Exchange, place: string): string | undefined {
  const { answer, json } = exchange;
  if (!answer) return undefined;
  if (place.startsWith("header ")) return answer.headers.get(place.slice("header ".length)) ?? undefined;
  if (place === "status") return serverDetail(json) ?? answer.body.slice(0, 200);
  // The whole body is cut before it is quoted: it may be megabytes.
  if (place === "body" || json === undefined) return answer.body.slice(0, 200);
  if (!place.startsWith("body/")) return undefined;
  let value: unknown = json;
  // The pointer names the failing value itself, or the object missing a property: show that much, cut short.
  for (const key of place.slice("body".length).split("/").slice(1)) {
    if (typeof value !== "object" || value === null) break;
    value = (value as Record<string, unknown>)[key.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return value === undefined ? undefined : boundedJson(value, 200);
}

const EXPECTED: Record<(typeof RESPONSE_CHECKS)[number], string> = {
  not_a_server_error: "an answer that is not a 5xx",
  status_code_conformance: "a status the spec documents",
  content_type_conformance: "the documented Content-Type",
  response_headers_conformance: "the documented headers",
  response_schema_conformance: "a body valid against the documented schema",
};

/**
 * Judges one answer by the selected response checks: the validator's violations, sorted by place into the
 * check each belongs to. A method the spec does not document has no schema to hold its answer to.
 */
export function judgeResponse(
  exchange: Exchange,
  origin: string,
  selected: ReadonlySet<CheckName>,
  validator: ResponseValidator,
  verdicts: Verdicts,
) {
  const { answer, request } = exchange;
  const judge = (check: (typeof RESPONSE_CHECKS)[number], failures: Judgement[]) => {
    if (selected.has(check)) verdicts.judge(check, exchange, failures);
  };
  if (!answer) {
    judge("not_a_server_error", [
      { expected: EXPECTED.not_a_server_error, place: "request", message: exchange.failure ?? "no answer" },
    ]);
    return;
  }
  const serverError = answer.status >= 500;
  judge(
    "not_a_server_error",
    serverError
      ? [
          {
            expected: EXPECTED.not_a_server_error,
            place: "status",
            message: `${answer.status}`,
            excerpt: excerptAt(exchange, "status"),
          },
        ]
      : [],
  );
  if (request.method !== "GET") return;
  const { violations } = validator.validateResponse({
    method: "GET",
    // The validator matches the spec's paths, which start at /api/: the base URL's own path is left out.
    url: `${origin}${request.path}`,
    status: answer.status,
    headers: answer.headers,
    body: answer.body,
  });
  const found = answer.complete ? violations : violations.filter((v) => !v.place.startsWith("body"));
  if (!answer.complete) {
    found.push({
      operation: request.operation,
      place: "body",
      message: `is over ${DEFAULT_MAX_BODY_BYTES / 1024 / 1024} MiB; the check read no further`,
    });
  }
  for (const check of RESPONSE_CHECKS.slice(1)) {
    judge(
      check,
      found
        .filter((v) => checkOf(v) === check)
        .map((v) => ({
          expected: EXPECTED[check],
          place: v.place,
          message: v.message,
          excerpt: excerptAt(exchange, v.place),
        })),
    );
  }
}
