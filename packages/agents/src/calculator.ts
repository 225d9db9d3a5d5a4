/**
 * `calculator`: evaluates arithmetic and unit expressions with a locked-down mathjs (never
 * `eval`), showing its steps.
 *
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import { type AgentDefinition, defineAgent } from "@agentstream/runtime";
import { type Calculation, calculate, extractExpression } from "./math.js";
import { streamText, streamThinking } from "./text.js";

/** The calculator's result. */
export type CalculatorResult = Calculation | { expression: string; error: string };

/** Creates a calculator agent. */
export function createCalculatorAgent(options: { name?: string } = {}): AgentDefinition<CalculatorResult> {
  return defineAgent<CalculatorResult>({
    name: options.name ?? "calculator",
    description:
      "Evaluates arithmetic and unit conversions (e.g. 2 * (3 + 4), 5 km to mile, sqrt(2) ^ 2) and shows the steps.",
    async *run(input, ctx) {
      yield { type: "status", status: "started" };
      const expression = extractExpression(input.prompt);
      if (!expression) {
        yield* streamText(ctx, "Give me an expression to evaluate, e.g. `2 * (3 + 4)` or `5 km to mile`.");
        return { expression: "", error: "no expression" };
      }
      yield { type: "status", status: "thinking", iteration: 1 };
      yield* streamThinking(
        ctx,
        `The expression is ${expression}. I will parse it and evaluate it innermost first.`,
      );
      yield { type: "status", status: "acting", iteration: 1 };
      const id = `evaluate_${randomUUID()}`;
      yield { type: "tool_call", id, name: "evaluate", args: { expression } };
      await ctx.pace();
      let calc: Calculation;
      try {
        calc = calculate(expression);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        yield {
          type: "tool_result",
          id,
          name: "evaluate",
          success: false,
          result: { expression, error: message },
        };
        yield { type: "status", status: "observing", iteration: 1 };
        yield* streamText(ctx, `I could not evaluate \`${expression}\`: ${message}.`);
        return { expression, error: message };
      }
      yield { type: "tool_result", id, name: "evaluate", success: true, result: calc };
      yield { type: "status", status: "observing", iteration: 1 };
      const total = calc.steps.length;
      const lines: string[] = [];
      for (const [i, s] of calc.steps.entries()) {
        await ctx.pace();
        yield {
          type: "progress",
          step: `Step ${i + 1}`,
          current: i + 1,
          total,
          message: `${s.expression} = ${s.value}`,
        };
        lines.push(`${i + 1}. ${s.expression} = ${s.value}`);
      }
      yield* streamText(ctx, `${lines.join("\n")}\n\n**${calc.expression} = ${calc.result}**`);
      yield { type: "status", status: "completed" };
      return calc;
    },
  });
}

/** The calculator agent. */
export const calculatorAgent: AgentDefinition<CalculatorResult> = createCalculatorAgent();
