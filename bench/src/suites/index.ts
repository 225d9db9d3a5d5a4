/** The suites, in the order they run. */
import type { Suite } from "../lib/types.js";
import { bundleSuite } from "./bundle.js";
import { compressionSuite } from "./compression.js";
import { concurrencySuite } from "./concurrency.js";
import { foldSuite } from "./fold.js";
import { handlerSuite } from "./handler.js";
import { longrunSuite } from "./longrun.js";
import { parseSuite } from "./parse.js";
import { rateSuite } from "./rate.js";
import { renderSuite } from "./render.js";
import { runnerSuite } from "./runner.js";
import { serverSuite } from "./server.js";

export const SUITES: Suite[] = [
  foldSuite,
  parseSuite,
  serverSuite,
  concurrencySuite,
  renderSuite,
  bundleSuite,
  runnerSuite,
  compressionSuite,
  handlerSuite,
  longrunSuite,
  rateSuite,
];
