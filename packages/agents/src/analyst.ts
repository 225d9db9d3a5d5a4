/**
 * `analyst`: analyzes text or CSV pasted in the message, in four real steps reported as
 * progress — parse, statistics, top terms, summary — and streams a summary.
 *
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import { type AgentDefinition, defineAgent } from "@agentstream/runtime";
import {
  type Analysis,
  columnStats,
  keySentence,
  type NumericStats,
  parseTable,
  stripInstruction,
  summariseTable,
  summariseText,
  textStats,
  topTerms,
} from "./analyze.js";
import { streamText, streamThinking } from "./text.js";

const STEPS = ["Parse", "Statistics", "Top terms", "Summary"] as const;

/** Options of {@link createAnalystAgent}. */
export interface AnalystAgentOptions {
  /** Agent name. Default "analyst". */
  name?: string;
}

/** Creates an analyst agent. */
export function createAnalystAgent(
  options: AnalystAgentOptions = {},
): AgentDefinition<Analysis | { kind: "empty" }> {
  return defineAgent<Analysis | { kind: "empty" }>({
    name: options.name ?? "analyst",
    description:
      "Analyzes text or CSV pasted in the message: parsing, statistics, top terms and a summary, step by step.",
    async *run(input, ctx) {
      const material = stripInstruction(input.prompt).trim();
      yield { type: "status", status: "started" };
      if (!material) {
        yield* streamText(ctx, "Paste some text or CSV data in your message and I will analyze it.");
        return { kind: "empty" as const };
      }
      const total = STEPS.length;
      const step = (i: number, message: string) =>
        ({ type: "progress", step: STEPS[i] as string, current: i, total, message }) as const;
      // A step takes a few ticks of the pace, so that progress is visible in the UI.
      const work = () => ctx.sleep(ctx.paceMs * 4);

      yield { type: "status", status: "acting", iteration: 1 };
      yield step(0, "Detecting the format");
      await work();
      const table = parseTable(material);
      yield* streamThinking(
        ctx,
        table
          ? `This is a table: ${table.rows.length} rows × ${table.header.length} columns, separated by ${JSON.stringify(table.delimiter)}. Columns: ${table.header.join(", ")}.`
          : `This is prose: ${material.length} characters.`,
      );

      yield step(1, table ? "Computing column statistics" : "Counting words and sentences");
      await work();
      let analysis: Analysis;
      if (table) {
        const id = `statistics_${randomUUID()}`;
        yield { type: "tool_call", id, name: "statistics", args: { format: "table", columns: table.header } };
        const stats = columnStats(table);
        yield { type: "tool_result", id, name: "statistics", success: true, result: stats };
        // More than one numeric column: the user picks the one to summarise (ctx.ask waits).
        const numeric = stats.filter((c): c is NumericStats => c.kind === "numeric");
        let focus: NumericStats | undefined;
        if (numeric.length > 1) {
          const column = await ctx.ask<string>({
            prompt: "Which column should I summarise?",
            choices: numeric.map((c) => c.column),
          });
          focus = numeric.find((c) => c.column === column);
          yield { type: "status", status: "acting", iteration: 2 };
        }
        yield step(2, "Finding the most frequent values");
        await work();
        const textCells = table.rows
          .flatMap((r) => r.filter((_, c) => stats[c]?.kind === "categorical"))
          .join(" ");
        const top = topTerms(textCells, 8);
        yield* streamThinking(
          ctx,
          top.length
            ? `Frequent values: ${top
                .slice(0, 5)
                .map((t) => `${t.term} (${t.count})`)
                .join(", ")}.`
            : "No text columns.",
        );
        yield step(3, "Writing the summary");
        await work();
        analysis = {
          kind: "table",
          rows: table.rows.length,
          columns: table.header.length,
          stats,
          topTerms: top,
          summary: focus
            ? `${focus.column}: from ${focus.min} to ${focus.max}, mean ${Math.round(focus.mean * 100) / 100}, median ${focus.median}, total ${Math.round(focus.sum * 100) / 100} over ${focus.count} rows. ${summariseTable(
                table,
                [focus, ...stats.filter((c) => c !== focus)],
              )}`
            : summariseTable(table, stats),
        };
      } else {
        const id = `statistics_${randomUUID()}`;
        yield {
          type: "tool_call",
          id,
          name: "statistics",
          args: { format: "text", characters: material.length },
        };
        const stats = textStats(material);
        yield { type: "tool_result", id, name: "statistics", success: true, result: stats };
        yield step(2, "Ranking terms");
        await work();
        const top = topTerms(material, 8);
        yield* streamThinking(
          ctx,
          top.length
            ? `Top terms: ${top
                .slice(0, 5)
                .map((t) => `${t.term} (${t.count})`)
                .join(", ")}.`
            : "No significant terms.",
        );
        yield step(3, "Writing the summary");
        await work();
        const key = keySentence(material, top);
        analysis = {
          kind: "text",
          stats,
          topTerms: top,
          keySentence: key,
          summary: summariseText(stats, top, key),
        };
      }
      yield { type: "status", status: "observing", iteration: 1 };
      yield* streamText(ctx, analysis.summary);
      yield { type: "progress", step: "Done", current: total, total, message: "Analysis complete" };
      yield { type: "status", status: "completed" };
      return analysis;
    },
  });
}

/** The analyst agent. */
export const analystAgent: AgentDefinition<Analysis | { kind: "empty" }> = createAnalystAgent();
