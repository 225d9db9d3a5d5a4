import { describe, expect, it } from "vitest";
import { CHUNK_TYPES } from "../src/index.js";

describe("chunk model", () => {
  it("has ten chunk types", () => {
    expect(CHUNK_TYPES).toHaveLength(10);
  });
});
