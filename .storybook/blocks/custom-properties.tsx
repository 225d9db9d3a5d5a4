/// <reference types="vite/client" />
/**
 * The table of the kit's `--as-*` custom properties for the Theming docs page, read from
 * packages/react/src/styles.css itself (its header documents each property; the light and dark
 * token blocks give the defaults), so the page cannot drift from the stylesheet.
 */
import source from "../../packages/react/src/styles.css?raw";

export interface CustomProperty {
  name: string;
  group: string;
  description: string;
  light?: string;
  dark?: string;
}

/** The declarations (`--as-x: value;`) of the first rule whose selector contains `selector`. */
function declarations(css: string, selector: string): Map<string, string> {
  const start = css.indexOf(selector);
  const values = new Map<string, string>();
  if (start < 0) return values;
  const open = css.indexOf("{", start);
  const close = css.indexOf("}", open);
  for (const match of css.slice(open + 1, close).matchAll(/(--as-[a-z0-9-]+)\s*:\s*([^;]+);/g)) {
    values.set(match[1] as string, (match[2] as string).replace(/\s+/g, " ").trim());
  }
  return values;
}

/** Parses the documented custom properties of styles.css, in the order of its header. */
export function parseCustomProperties(css: string): CustomProperty[] {
  const header = css.slice(0, css.indexOf("*/"));
  const section = header.slice(header.indexOf("CUSTOM PROPERTIES"));
  const light = declarations(css, ':where([data-theme="light"], .as-theme-light)');
  const dark = declarations(css, ':where([data-theme="dark"], .as-theme-dark)');
  const properties: CustomProperty[] = [];
  let group = "";
  for (const raw of section.split("\n").slice(1)) {
    const line = raw.replace(/^\s*\*\s?/, "");
    const property = /^\s*(--as-[a-z0-9-]+)\s+—\s+(.*)$/.exec(line);
    if (property) {
      const name = property[1] as string;
      properties.push({
        name,
        group,
        description: property[2] as string,
        light: light.get(name),
        dark: dark.get(name),
      });
    } else if (line.trim()) {
      group = line.trim();
    }
  }
  return properties;
}

const COLOR = /^(#|rgb|hsl|color-mix|var\(--as-color)/;

function Value({ value }: { value: string | undefined }) {
  if (value === undefined) return <span>same as light</span>;
  // Unset on purpose in styles.css: resolved where it is used, from the (possibly overridden) accent.
  if (value === "initial") return <span>unset: the accent color</span>;
  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
      {COLOR.test(value) ? (
        <span
          aria-hidden="true"
          style={{
            width: 14,
            height: 14,
            flex: "none",
            borderRadius: 3,
            border: "1px solid rgb(0 0 0 / 0.2)",
            background: value,
          }}
        />
      ) : null}
      <code>{value}</code>
    </span>
  );
}

/** The table: property, what it controls, light default, dark override. */
export function CustomPropertiesTable() {
  const properties = parseCustomProperties(source);
  const groups = [...new Set(properties.map((p) => p.group))];
  return (
    <table>
      <thead>
        <tr>
          <th>Property</th>
          <th>Controls</th>
          <th>Light (default)</th>
          <th>Dark</th>
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group}>
          <tr>
            <th colSpan={4} scope="colgroup" style={{ textAlign: "start" }}>
              {group}
            </th>
          </tr>
          {properties
            .filter((p) => p.group === group)
            .map((p) => (
              <tr key={p.name}>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>{p.description}</td>
                <td>
                  <Value value={p.light} />
                </td>
                <td>
                  <Value value={p.dark} />
                </td>
              </tr>
            ))}
        </tbody>
      ))}
    </table>
  );
}

/** How many properties the table lists (shown on the page). */
export const customPropertyCount = parseCustomProperties(source).length;
