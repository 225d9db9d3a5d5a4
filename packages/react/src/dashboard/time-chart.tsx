import { useEffect, useId, useMemo, useRef, useState } from "react";
import uPlot from "uplot";

/** One line of a {@link TimeChart}. */
export interface ChartLine {
  readonly label: string;
  /** A kit color token, e.g. `"--as-color-accent"` (read from the chart's element, so themes apply). */
  readonly color: string;
  /** One value per time; `null` where there is none. */
  readonly values: readonly (number | null)[];
  /** Fill under the line. Default false. */
  readonly fill?: boolean;
  /** Draw each value as a dot too (for sparse lines such as percentiles). Default false. */
  readonly points?: boolean;
}

/** Props of {@link TimeChart}. */
export interface TimeChartProps {
  /** The chart's visible title (also its accessible name). */
  readonly title: string;
  /** Epoch milliseconds, ascending, one per value of each line. */
  readonly times: readonly number[];
  readonly lines: readonly ChartLine[];
  /** Formats a value for the axis and the text alternative. */
  readonly format: (value: number) => string;
  /** Changes when the theme does (the chart re-reads its colors). */
  readonly themeKey?: string;
  /** Canvas height in pixels. Default 120. */
  readonly height?: number;
}

const css = (el: Element, name: string, fallback: string) =>
  getComputedStyle(el).getPropertyValue(name).trim() || fallback;

/** `#rrggbb` (or `#rgb`) as `rgba(…, alpha)`; other colors as they are (a canvas cannot mix them). */
export function withAlpha(color: string, alpha: number): string {
  let hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return color;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
  const n = Number.parseInt(hex, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** "latest 3, highest 5 at 14:02" for each line: the chart's text alternative. */
export function describeLines(
  times: readonly number[],
  lines: readonly ChartLine[],
  format: (value: number) => string,
): string {
  const clock = (t: number) =>
    new Date(t).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  return lines
    .map((line) => {
      let max: number | undefined;
      let at = 0;
      let latest: number | undefined;
      line.values.forEach((v, i) => {
        if (v == null) return;
        latest = v;
        if (max === undefined || v > max) {
          max = v;
          at = times[i] ?? 0;
        }
      });
      if (max === undefined || latest === undefined) return `${line.label}: no data`;
      return `${line.label}: latest ${format(latest)}, highest ${format(max)} at ${clock(at)}`;
    })
    .join("; ");
}

/**
 * A small time-series chart drawn with uPlot on a canvas, for the dashboard: a `figure` named by
 * its title, with a text alternative (latest and highest value of each line) and, on demand, the
 * data as a table. The canvas itself is hidden from assistive technology.
 */
export function TimeChart({ title, times, lines, format, themeKey, height = 120 }: TimeChartProps) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [tableOpen, setTableOpen] = useState(false);
  const data = useMemo(
    () => [times.map((t) => t / 1000), ...lines.map((l) => [...l.values])] as uPlot.AlignedData,
    [times, lines],
  );
  const shape = lines.map((l) => `${l.label}/${l.color}/${l.fill ? 1 : 0}/${l.points ? 1 : 0}`).join("|");
  const formatRef = useRef(format);
  formatRef.current = format;

  // (Re)create the plot when the lines' shape or the theme changes; otherwise only its data.
  // biome-ignore lint/correctness/useExhaustiveDependencies: data goes through setData below; `shape` stands for `lines`.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const muted = css(el, "--as-color-fg-muted", "#59636e");
    const grid = css(el, "--as-color-border", "#d1d9e0");
    const axis: uPlot.Axis = {
      stroke: muted,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      font: "11px system-ui, sans-serif",
    };
    const u = new uPlot(
      {
        width: Math.max(160, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { y: false, points: { size: 6 } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          {
            ...axis,
            space: 60,
            values: (_u, splits) =>
              splits.map((s) =>
                new Date(s * 1000).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }),
              ),
          },
          { ...axis, size: 56, values: (_u, splits) => splits.map((v) => formatRef.current(v)) },
        ],
        series: [
          {},
          ...lines.map((l) => {
            const color = css(el, l.color, "#0969da");
            return {
              label: l.label,
              stroke: color,
              width: 1.5,
              points: l.points ? { show: true, size: 5, fill: color } : { show: false },
              ...(l.fill ? { fill: withAlpha(color, 0.18) } : {}),
            };
          }),
        ],
      },
      data,
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => {
      const width = Math.max(160, el.clientWidth);
      if (width !== u.width) u.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape, themeKey, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const description = describeLines(times, lines, format);
  return (
    <figure className="as-dash-chart" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`}>
      <figcaption className="as-dash-chart__head">
        <span id={`${id}-t`} className="as-dash-chart__title">
          {title}
        </span>
        <span className="as-dash-chart__keys" aria-hidden="true">
          {lines.map((l) => (
            <span key={l.label} className="as-dash-key">
              <span className="as-dash-key__swatch" style={{ background: `var(${l.color})` }} />
              {l.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div ref={box} className="as-dash-chart__plot" aria-hidden="true" style={{ height }} />
      <p id={`${id}-d`} className="as-dash-chart__desc">
        {description}
      </p>
      <details className="as-dash-chart__data" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary>Data table</summary>
        {tableOpen ? <ChartTable title={title} times={times} lines={lines} format={format} /> : null}
      </details>
    </figure>
  );
}

function ChartTable({ title, times, lines, format }: Omit<TimeChartProps, "themeKey" | "height">) {
  const rows = times
    .map((t, i) => ({ t, values: lines.map((l) => l.values[i] ?? null) }))
    .filter((r) => r.values.some((v) => v != null && v !== 0));
  return (
    <table className="as-dash-table as-dash-table--compact">
      <caption>{title}, buckets with data</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          {lines.map((l) => (
            <th key={l.label} scope="col">
              {l.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={lines.length + 1}>No data in the window</td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr key={r.t}>
              <th scope="row">{new Date(r.t).toLocaleTimeString("en-GB")}</th>
              {r.values.map((v, i) => (
                <td key={lines[i]?.label}>{v == null ? "–" : format(v)}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
