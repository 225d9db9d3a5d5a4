import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isStandardSchema, parametersToZod, toToolSchema } from "../../src/copilot/parameters.js";

describe("parametersToZod", () => {
  const schema = parametersToZod([
    { name: "city", type: "string", description: "City name" },
    { name: "days", type: "number", required: false },
    { name: "metric", type: "boolean" },
    { name: "unit", type: "string", enum: ["C", "F"] },
    { name: "tags", type: "string[]" },
    {
      name: "where",
      type: "object",
      attributes: [
        { name: "lat", type: "number" },
        { name: "note", required: false },
      ],
    },
    { name: "stops", type: "object[]", attributes: [{ name: "name" }] },
    { name: "anything" },
  ]);

  it("accepts valid arguments and applies required: true by default", () => {
    const ok = schema.safeParse({
      city: "Oslo",
      metric: true,
      unit: "C",
      tags: ["a"],
      where: { lat: 59.9 },
      stops: [{ name: "x" }],
      anything: "s",
    });
    expect(ok.success).toBe(true);
    expect(schema.safeParse({ city: "Oslo" }).success).toBe(false);
    expect(
      schema.safeParse({
        city: 1,
        metric: true,
        unit: "C",
        tags: [],
        where: { lat: 1 },
        stops: [],
        anything: "",
      }).success,
    ).toBe(false);
    expect(
      schema.safeParse({
        city: "a",
        metric: true,
        unit: "K",
        tags: [],
        where: { lat: 1 },
        stops: [],
        anything: "",
      }).success,
    ).toBe(false);
  });

  it("keeps descriptions and optional fields in the JSON schema the agent sees", () => {
    const json = z.toJSONSchema(schema) as {
      properties: Record<string, { description?: string }>;
      required: string[];
    };
    expect(json.properties.city?.description).toBe("City name");
    expect(json.required).toContain("city");
    expect(json.required).not.toContain("days");
  });

  it("passes Standard Schemas through and rejects other values", () => {
    const zod = z.object({ q: z.string() });
    expect(isStandardSchema(zod)).toBe(true);
    expect(toToolSchema(zod)).toBe(zod);
    expect(toToolSchema(undefined)).toBeUndefined();
    expect(() => toToolSchema({} as never)).toThrow(/parameters/);
  });
});
