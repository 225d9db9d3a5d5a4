export * from "./chunk.js";
export * from "./state.js";
