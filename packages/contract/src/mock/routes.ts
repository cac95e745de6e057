import { OPERATION_SCOPES } from "@sentry-org-api/types/protocol";
import { type OperationId, ORGANIZATION_PARAMETER, spec } from "../spec.js";

/** An operation as the mock serves it: its path split at `/`, and the scopes any one of which it needs. */
export interface Route {
  operation: OperationId;
  segments: string[];
  /** Which segment holds the organization's id or slug. */
  organizationSegment: number;
  scopes: Set<string>;
}

export const ROUTES: Route[] = Object.entries(spec.paths).map(([path, item]) => {
  const segments = path.split("/");
  return {
    operation: item.get.operationId,
    segments,
    organizationSegment: segments.indexOf(`{${ORGANIZATION_PARAMETER}}`),
    scopes: new Set(OPERATION_SCOPES[item.get.operationId]),
  };
});

/** The route whose path has `segments`, the organization's segment matching anything. */
export const findRoute = (segments: string[]): Route | undefined =>
  ROUTES.find(
    (route) =>
      route.segments.length === segments.length &&
      route.segments.every((segment, i) => i === route.organizationSegment || segment === segments[i]),
  );
