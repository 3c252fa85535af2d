// jsdom has no WebGL; sigma only needs the names to exist at import time (the graph itself is not rendered here).
const g = globalThis as Record<string, unknown>;
for (const name of ["WebGL2RenderingContext", "WebGLRenderingContext"]) {
  if (!(name in g)) g[name] = class {};
}
// Nor a 2D/WebGL canvas: getContext answers null (sigma then fails, and the graph shows its "cannot be drawn" note).
if (typeof HTMLCanvasElement !== "undefined") HTMLCanvasElement.prototype.getContext = (() => null) as never;
