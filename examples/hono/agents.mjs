import { defineAgent } from "@agentstream/runtime";

/**
 * Counts to `total` (default 40), one token every 50 ms: slow enough to watch, and to Stop.
 * `finally` runs when the run ends for any reason, a Stop included (the generator's `return()`).
 */
export const counter = defineAgent({
  name: "counter",
  description: "Counts to 40 (or the number you send), one word every 50 ms.",
  async *run(input, ctx) {
    const total = Number.parseInt(input.prompt, 10) || 40;
    let sent = 0;
    try {
      yield { type: "status", status: "acting" };
      for (let i = 1; i <= total; i++) {
        yield { type: "progress", step: "Counting", current: i, total };
        yield `${i} `;
        sent = i;
        await ctx.sleep(50); // abort-aware: a Stop ends the run here
      }
      return { counted: total };
    } finally {
      console.log(`[counter] generator closed after ${sent} of ${total} (thread ${ctx.threadId})`);
    }
  },
});
