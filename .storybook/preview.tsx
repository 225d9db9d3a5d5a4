import type { Decorator, Preview } from "@storybook/react-vite";
// The kit's stylesheet from source ("@agentstream/react/styles.css" points at dist/).
import "../packages/react/src/styles.css";
import "../packages/react/src/dashboard.css";
import "./preview.css";

type Theme = "light" | "dark";

/** Page backgrounds of the two themes (the `--as-color-bg` values of styles.css). */
const PAGE_BACKGROUND: Record<Theme, string> = { light: "#ffffff", dark: "#0d1117" };

/**
 * The `theme` toolbar global: sets `data-theme` on a wrapper around the story (the kit's
 * custom properties switch under it) and on the page, and paints the page background.
 */
const withTheme: Decorator = (Story, context) => {
  const theme: Theme = context.globals.theme === "dark" ? "dark" : "light";
  if (typeof document !== "undefined" && context.viewMode === "story") {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
    document.body.style.background = PAGE_BACKGROUND[theme];
  }
  return (
    <div className="sb-as-theme" data-theme={theme} style={{ colorScheme: theme }}>
      <Story />
    </div>
  );
};

const preview: Preview = {
  tags: ["autodocs"],
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: "Color theme of the components",
      toolbar: {
        title: "Theme",
        icon: "mirror",
        items: [
          { value: "light", title: "Light", icon: "sun" },
          { value: "dark", title: "Dark", icon: "moon" },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: "light" },
  parameters: {
    layout: "padded",
    controls: {
      expanded: true,
      matchers: { color: /(background|color)$/i, date: /Date$/i },
    },
    // Violations fail the story tests (addon-vitest) and show in the Accessibility panel.
    a11y: { test: "error" },
    options: {
      storySort: {
        order: ["Introduction", "Theming", "Components", "Markdown", "Copilot", "Live", "*"],
      },
    },
  },
};

export default preview;
