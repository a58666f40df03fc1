import { expect, test } from "@playwright/test";
import { API_EXAMPLES } from "../../lib/openapi/examples";

// issue 12: the API docs had no example requests.
test("every API operation shows an example, and the GET examples work on the demo", async ({ page, request }) => {
  await page.goto("/api-docs");
  await expect(page.locator("#checkGet").getByTestId("api-example")).toContainText("/api/v1/check?kernel=");
  const ids = await page.locator("article[id]").evaluateAll((as) => as.map((a) => a.id));
  expect(ids.filter((id) => !API_EXAMPLES[id])).toEqual([]);
  for (const [id, example] of Object.entries(API_EXAMPLES)) {
    const m = /^curl (?:-i )?"\$BASE([^"]+)"$/.exec(example);
    if (!m) continue;
    const res = await request.get(m[1]);
    expect([id, res.status()]).toEqual([id, 200]);
  }
});
