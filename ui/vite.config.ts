import { defineConfig } from "vite";

// Preact's automatic JSX runtime through esbuild: no framework plugin needed.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  test: { environment: "node", globals: true, setupFiles: ["src/test/setup.ts"] },
});
