// jsdom has no WebGL; sigma only needs the names to exist at import time (the graph itself is not rendered here).
const g = globalThis as Record<string, unknown>;
for (const name of ["WebGL2RenderingContext", "WebGLRenderingContext"]) {
  if (!(name in g)) g[name] = class {};
}
