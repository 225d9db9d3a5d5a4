import { describe, expect, it } from "vitest";
import { CHUNK_TYPES } from "../src/index.js";

describe("chunk model", () => {
  it("has nine chunk types", () => {
    expect(CHUNK_TYPES).toHaveLength(9);
  });
});
