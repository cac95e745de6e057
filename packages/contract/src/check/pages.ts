import { OPERATION_PATHS, type OperationId, type PageLink, pageLink, parseLink } from "@sentry-org-api/types/protocol";
import { ORGANIZATION_PARAMETER } from "../spec.js";

/** The path of `operation` for `org`, which `organizationProblem` has already vetted. */
export const operationPath = (operation: OperationId, org: string) =>
  OPERATION_PATHS[operation].replace(`{${ORGANIZATION_PARAMETER}}`, encodeURIComponent(org));

/** A page relation as the client reads it; `undefined` when the header names none (the validator says why). */
export function pageRelation(link: string | null, rel: "next" | "previous"): PageLink | undefined {
  try {
    return pageLink(parseLink(link ?? ""), rel);
  } catch {
    return undefined;
  }
}

/** The next page as the client reads it. */
export const nextPage = (link: string | null) => pageRelation(link, "next");
