/** A server agent that yields only seed-shaped events (seeds 000, 001, 004): one of each. */
import { defineAgent } from "../src/index.js";

/** One of each non-terminal seed shape, then seed 000's `complete`. */
export const seedAgent = defineAgent({
  name: "seeds",
  description: "yields only seed-shaped events",
  async *run() {
    yield { type: "status", status: "started" }; // 001
    yield { type: "thinking", content: "Analyzing task..." }; // 000
    yield { type: "progress", step: "Search", content: "3 sources" }; // 000
    yield { type: "token", content: "Python " }; // 001
    yield { type: "tool_call", tool_name: "search", parameters: { q: "python" } }; // 001
    yield { type: "tool_result", tool_name: "search", result: ["python.org"] }; // 001, no success
    yield { type: "progress", step: 2, total: 5, message: "Navigating to website..." }; // 004
    yield { type: "tool_start", tool_name: "navigate_to", tool_input: "https://example.com" }; // 004
    yield { type: "tool_result", tool_name: "navigate_to", result: "<html>", success: true };
    yield { type: "stream_chunk", content: "is great.", metadata: { source: "llm" } }; // 000
    yield { type: "complete", result: { answer: "Python is great." } }; // 000
  },
});
