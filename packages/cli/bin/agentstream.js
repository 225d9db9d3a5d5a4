#!/usr/bin/env node
// The `agentstream` command (built to dist/main.js by `pnpm build`).
import "../dist/main.js";
