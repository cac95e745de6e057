// The suite's cases come from the spec: with a copy of the spec whose members list gains two query
// parameters, the new enum values and bounds are sent, and the new 400 rule is held to, without a line
// of `check` changing.
import bundled from "@sentry-org-api/spec/openapi.json" with { type: "json" };
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

interface SpecCopy {
  paths: Record<string, { get: { parameters: { $ref: string }[] } }>;
  components: {
    parameters: Record<string, unknown>;
    responses: { BadRequest: { description: string } };
  };
}

/** The bundled spec with `sort` (an enum) and `days` (1 to 90, which a 400 now names) on the members list. */
function specWithNewMemberParameters() {
  const copy = structuredClone(bundled) as unknown as SpecCopy;
  copy.components.parameters.MemberSort = {
    name: "sort",
    in: "query",
    schema: { type: "string", enum: ["name", "dateCreated"] },
  };
  copy.components.parameters.ActiveDays = {
    name: "days",
    in: "query",
    schema: { type: "integer", minimum: 1, maximum: 90 },
  };
  copy.paths["/api/0/organizations/{organization_id_or_slug}/members/"]?.get.parameters.push(
    { $ref: "#/components/parameters/MemberSort" },
    { $ref: "#/components/parameters/ActiveDays" },
  );
  copy.components.responses.BadRequest.description = "The `cursor`, `per_page` or `days` parameter is invalid.";
  return copy;
}

describe("check, on a copy of the spec whose members list gains sort and days", () => {
  let index: typeof import("../src/index.js");

  beforeAll(async () => {
    const copy = specWithNewMemberParameters();
    vi.doMock("@sentry-org-api/spec/openapi.json", () => ({ default: copy }));
    vi.resetModules();
    index = await import("../src/index.js");
  });

  afterAll(() => {
    vi.doUnmock("@sentry-org-api/spec/openapi.json");
  });

  test("sends each new enum value and bound, and holds the server to the 400 the copy documents", async () => {
    // The mock is the real one's code: it ignores both parameters, so it accepts what the copy rules out.
    const mock = await index.startMockServer();
    const sent: string[] = [];
    try {
      const report = await index.runCheck({
        baseUrl: mock.url,
        token: mock.token,
        org: "acme",
        operations: ["listOrganizationMembers"],
        checks: ["positive_data_acceptance", "negative_data_rejection"],
        fetch: (input, init) => {
          sent.push(String(input).slice(mock.url.length));
          return fetch(input, init);
        },
      });
      expect(sent).toEqual(
        expect.arrayContaining(
          ["sort=name", "sort=dateCreated", "days=1", "days=90", "days=0", "days=91", "days=abc"].map(
            (query) => `/api/0/organizations/acme/members/?${query}`,
          ),
        ),
      );
      const [positive, negative] = report.checks;
      expect(positive).toMatchObject({ name: "positive_data_acceptance listOrganizationMembers", outcome: "passed" });
      expect(negative?.outcome).toBe("failed");
      expect(negative?.failures.map((finding) => [finding.case, finding.status])).toEqual([
        ["days=0 (below the minimum 1)", 200],
        ["days=91 (above the maximum 90)", 200],
        ["days=abc (not an integer)", 200],
      ]);
    } finally {
      await mock.close();
    }
  });
});
