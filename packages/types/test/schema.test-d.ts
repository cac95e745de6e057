import createClient from "openapi-fetch";
import { describe, expectTypeOf, test } from "vitest";
import type {
  ApiErrorBody,
  ListOrganizationMembersQuery,
  ListOrganizationRepositoriesQuery,
  Organization,
  OrganizationMember,
  paths,
  Repository,
} from "../src/index.js";

describe("schema types", () => {
  test("a pending invitation's user is null", () => {
    expectTypeOf<null>().toExtend<OrganizationMember["user"]>();
    expectTypeOf<NonNullable<OrganizationMember["user"]>["id"]>().toEqualTypeOf<string>();
  });

  test("a repository without a provider has a null url", () => {
    expectTypeOf<Repository["url"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Repository["externalSlug"]>().toEqualTypeOf<string | number | null>();
  });

  test("features is optional and ids are strings", () => {
    expectTypeOf<Organization>().toHaveProperty("features");
    expectTypeOf<Pick<Organization, "features">>().toEqualTypeOf<{ features?: string[] }>();
    expectTypeOf<Organization["id"]>().toEqualTypeOf<string>();
  });

  test("an error detail is a message or a structured error", () => {
    expectTypeOf<string>().toExtend<ApiErrorBody["detail"]>();
    expectTypeOf<{ code: string; message: string }>().toExtend<ApiErrorBody["detail"]>();
  });

  test("query types carry the pagination parameters", () => {
    expectTypeOf<ListOrganizationMembersQuery["per_page"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ListOrganizationRepositoriesQuery["status"]>().toEqualTypeOf<"active" | "deleted" | undefined>();
  });

  test("the three paths are exactly the keys of paths", () => {
    expectTypeOf<keyof paths>().toEqualTypeOf<
      | "/api/0/organizations/{organization_id_or_slug}/"
      | "/api/0/organizations/{organization_id_or_slug}/members/"
      | "/api/0/organizations/{organization_id_or_slug}/repos/"
    >();
  });
});

describe("misuse fails to compile with openapi-fetch", () => {
  const client = createClient<paths>({ baseUrl: "https://sentry.io" });
  const org = { organization_id_or_slug: "acme" };

  test("a wrong path", () => {
    // @ts-expect-error the path is not in the spec
    client.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: org } });
  });

  test("a missing path parameter", () => {
    // @ts-expect-error organization_id_or_slug is required
    client.GET("/api/0/organizations/{organization_id_or_slug}/members/", { params: { path: {} } });
  });

  test("an unknown query parameter", () => {
    client.GET("/api/0/organizations/{organization_id_or_slug}/members/", {
      // @ts-expect-error perPage is not a query parameter: the spec names it per_page
      params: { path: org, query: { perPage: 10 } },
    });
  });

  test("a correct call types its data", async () => {
    const { data } = await client.GET("/api/0/organizations/{organization_id_or_slug}/members/", {
      params: { path: org, query: { per_page: 10 } },
    });
    expectTypeOf(data).toEqualTypeOf<OrganizationMember[] | undefined>();
  });
});
