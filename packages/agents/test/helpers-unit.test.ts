import type { Tool } from "@ag-ui/core";
import { describe, expect, it } from "vitest";
import { columnStats, parseTable } from "../src/analyze.js";
import { argsFromMessage, matchFrontendTool } from "../src/frontend-tools.js";
import { routeByIntent } from "../src/index.js";
import { calculate, extractExpression, looksLikeMath } from "../src/math.js";

const tools: Tool[] = [
  {
    name: "setBackgroundColor",
    description: "Change the background color of the page",
    parameters: { type: "object", properties: { color: { type: "string" } }, required: ["color"] },
  },
  {
    name: "showNotification",
    description: "Show a toast notification to the user",
    parameters: {
      type: "object",
      properties: {
        message: { type: "string" },
        level: { type: "string", enum: ["info", "warning", "error"] },
        seconds: { type: "number" },
      },
      required: ["message"],
    },
  },
  {
    name: "addTodo",
    description: "Add an item to the todo list",
    parameters: { type: "object", properties: { title: { type: "string" } } },
  },
];

describe("frontend tool matching", () => {
  it.each([
    ["make the background blue", "setBackgroundColor"],
    ["set the background color to #ff0", "setBackgroundColor"],
    ["show a warning notification saying disk almost full for 5 seconds", "showNotification"],
    ["please add a todo: buy milk", "addTodo"],
    ["call addTodo", "addTodo"],
  ])("%s → %s", (message, name) => {
    expect(matchFrontendTool(message, tools)?.tool.name).toBe(name);
  });

  it.each(["What is backpressure?", "how do notifications work in SSE", "2 + 2"])(
    "no match for %s",
    (message) => {
      expect(matchFrontendTool(message, tools)).toBeUndefined();
    },
  );

  it("takes arguments from the message by schema", () => {
    const notify = tools[1] as Tool;
    expect(
      argsFromMessage("show a warning notification saying disk almost full for 5 seconds", notify),
    ).toEqual({
      message: "disk almost full for 5 seconds",
      level: "warning",
      seconds: 5,
    });
    expect(argsFromMessage('notify "Saved!" level: error', notify)).toEqual({
      message: "Saved!",
      level: "error",
    });
    expect(argsFromMessage("make the background blue", tools[0] as Tool)).toEqual({
      color: "make the background blue",
    });
    expect(argsFromMessage("set the background color to blue", tools[0] as Tool)).toEqual({ color: "blue" });
  });
});

describe("calculator helpers", () => {
  it("extracts expressions from sentences", () => {
    expect(extractExpression("What is 3 × 4?")).toBe("3 * 4");
    expect(extractExpression("calculate 15% of 80")).toBe("15 / 100 * 80");
    expect(extractExpression("convert 10 degC to degF")).toBe("10 degC to degF");
    expect(calculate("15 / 100 * 80").result).toBe("12");
  });

  it("recognises math and refuses code", () => {
    expect(looksLikeMath("what is 12 * 12")).toBe(true);
    expect(looksLikeMath("5 km to mile")).toBe(true);
    expect(looksLikeMath("What is backpressure?")).toBe(false);
    expect(() => calculate("import({a: 1}, {override: true})")).toThrow(/disabled/);
    expect(() => calculate("x".repeat(400))).toThrow(/longer than/);
  });
});

describe("analysis helpers", () => {
  it("finds a CSV table after an instruction and computes statistics", () => {
    const table = parseTable('Analyze:\nname;score\n"Doe, J";10\nRoe;20\nPoe;30');
    expect(table?.header).toEqual(["name", "score"]);
    expect(table?.rows[0]).toEqual(["Doe, J", "10"]);
    const stats = columnStats(table as NonNullable<typeof table>);
    expect(stats[1]).toMatchObject({ kind: "numeric", mean: 20, median: 20, min: 10, max: 30, stdev: 10 });
  });

  it("routes by intent", () => {
    expect(routeByIntent("what is 2+2").agent.name).toBe("calculator");
    expect(routeByIntent("a,b\n1,2\n3,4").agent.name).toBe("analyst");
    expect(routeByIntent("research and analyze heartbeats").agent.name).toBe("team");
    expect(routeByIntent("How does CopilotKit stop a run?").agent.name).toBe("research");
  });
});
