/**
 * The report: a plain-text table on stdout and BENCHMARKS.md at the repository root.
 *
 * @packageDocumentation
 */
import type { RunEnvironment } from "./env.js";
import { fmtRatio } from "./stats.js";
import type { SuiteResult, Table } from "./types.js";

function width(s: string): number {
  return [...s].length;
}

/** A fixed-width text table. */
export function textTable(t: Table): string {
  const all = [t.head, ...t.rows];
  const widths = t.head.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ""))));
  const line = (r: string[]) => r.map((c, i) => c + " ".repeat((widths[i] as number) - width(c))).join("  ");
  const out = [line(t.head), widths.map((w) => "-".repeat(w)).join("  "), ...t.rows.map(line)];
  return (t.caption ? `${stripMd(t.caption)}\n` : "") + out.join("\n");
}

function stripMd(s: string): string {
  return s.replace(/`/g, "");
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

/** A markdown table. */
export function mdTable(t: Table): string {
  const rows = [t.head, t.head.map(() => "---"), ...t.rows];
  const body = rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`).join("\n");
  return (t.caption ? `${t.caption}\n\n` : "") + body;
}

/** What stdout shows for a suite. */
export function printSuite(r: SuiteResult, smoke = false): string {
  const parts = [`\n== ${r.title} ==`];
  for (const t of r.tables) parts.push(textTable(t), "");
  for (const h of r.headlines) parts.push(`headline: ${h.label}: ${fmtRatio(h.ratio)} (${h.meaning})`);
  if (smoke && r.targets.length) parts.push("(smoke run: targets are not judged at these sizes)");
  else {
    for (const t of r.targets) {
      parts.push(`target ${t.pass ? "met " : "MISSED"}: ${t.label}: ${t.actual} (target ${t.target})`);
    }
  }
  for (const n of r.notes) parts.push(`note: ${n}`);
  return parts.join("\n");
}

/** BENCHMARKS.md. */
export function markdownReport(
  env: RunEnvironment,
  results: SuiteResult[],
  extra: { durationS: number; loadAtEnd: number[]; command: string },
): string {
  const lines: string[] = [];
  lines.push("# AgentStream benchmarks", "");
  lines.push(
    `Measured by \`${extra.command}\` (the \`bench/\` package) on ${env.date.slice(0, 10)}; the whole run took ${Math.round(extra.durationS)} s. ` +
      "Every figure is the **median of repeated runs, with the spread (min–max) in brackets**; a figure without brackets is a single run. " +
      "Both sides of every comparison ran in the same process or the same run, and each comparison is reported as a ratio.",
    "",
  );
  lines.push("## Machine", "");
  lines.push("| | |", "|---|---|");
  lines.push(`| CPU | ${env.cpu} × ${env.cores} |`);
  lines.push(`| Memory | ${env.memory} |`);
  lines.push(`| OS | ${env.os} |`);
  lines.push(`| Node | ${env.node} |`);
  lines.push(
    `| Load average (1/5/15 min) | at start ${env.loadAtStart.join(" / ")}, at end ${extra.loadAtEnd.join(" / ")} |`,
  );
  lines.push(`| Commit | ${env.commit} |`);
  lines.push(`| Date | ${env.date} |`, "");
  lines.push("## Versions", "");
  lines.push("| package | version |", "|---|---|");
  for (const [k, v] of Object.entries(env.versions)) lines.push(`| ${k} | ${v} |`);
  lines.push("");
  lines.push(
    "Workspace packages are measured from their TypeScript sources (export condition `@agentstream/source`), bundled or transpiled by esbuild, so the figures describe the code of this commit.",
    "",
  );

  lines.push("## Headline ratios", "");
  lines.push("| comparison | ratio | meaning |", "|---|---|---|");
  for (const r of results)
    for (const h of r.headlines)
      lines.push(`| ${mdCell(h.label)} | ${fmtRatio(h.ratio)} | ${mdCell(h.meaning)} |`);
  lines.push("");
  lines.push("## Targets", "");
  lines.push("| suite | target | measured | result |", "|---|---|---|---|");
  for (const r of results) {
    for (const t of r.targets)
      lines.push(
        `| ${mdCell(r.title)} | ${mdCell(`${t.label}: ${t.target}`)} | ${mdCell(t.actual)} | ${t.pass ? "met" : "**missed**"} |`,
      );
  }
  const missed = results.flatMap((r) => r.targets.filter((t) => !t.pass && t.note).map((t) => ({ r, t })));
  if (missed.length) {
    lines.push("", "Missed targets, cause and proposed fix:", "");
    for (const { t } of missed) lines.push(`- **${t.label}**: ${t.note}`);
  }
  lines.push("");
  for (const r of results) {
    lines.push(`## ${r.title}`, "");
    lines.push(r.method, "");
    for (const t of r.tables) lines.push(mdTable(t), "");
    if (r.notes.length) {
      for (const n of r.notes) lines.push(`- ${n}`);
      lines.push("");
    }
  }
  lines.push("## Reproduce", "");
  lines.push(
    "```sh",
    "pnpm bench            # full run (3–5 minutes on 2 cores), rewrites BENCHMARKS.md",
    "pnpm bench --smoke    # tiny sizes, one repetition, no file written",
    "pnpm bench --only fold,bundle   # some suites (no file written)",
    "```",
    "",
    "Chromium comes from `/usr/bin/chromium` (override with `CHROMIUM_PATH`). On a shared machine, run it when nothing else is busy: the load average above says how quiet it was.",
    "",
  );
  return lines.join("\n");
}
