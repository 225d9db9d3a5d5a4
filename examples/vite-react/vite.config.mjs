import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev`: Vite's dev server, with the API proxied to `node server.mjs` (run it alongside).
export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": `http://127.0.0.1:${process.env.API_PORT ?? 3000}` } },
});
