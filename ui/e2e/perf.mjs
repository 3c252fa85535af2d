// The app on a generated ring of 1,000+ nodes: how long the graph takes to draw, and frame times while the view
// moves (camera animation). Run under Xvfb by scripts/e2e.sh; results go to $E2E_SCREENSHOTS/perf.json.
// Xvfb has no GPU, so WebGL runs in software: these are worst-case figures.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Builder, By, until } from "selenium-webdriver";

const root = resolve(import.meta.dirname, "../..");
const cli = process.env.RINGSCOPE_CLI;
const shots = process.env.E2E_SCREENSHOTS ?? join(root, "out/e2e-screenshots");
const work = mkdtempSync(join(tmpdir(), "ringscope-perf-"));
const run = (...args) => execFileSync(cli, args, { encoding: "utf8", env: { ...process.env, RINGSCOPE_ACTOR: "perf" } });

const data = join(work, "data");
run("gen", data, "--accounts", "3000", "--big-farm", "600", "--seed", "3");
const casePath = join(work, "big.ringscope");
run("case", "init", casePath, "--title", "Performance");
run("import", casePath, join(data, "accounts.csv"), join(data, "payments.csv"), join(data, "logins.csv"), "--mapping", join(data, "logins.mapping.toml"));
const rings = JSON.parse(run("rings", casePath, "--json"));
const big = rings.reduce((a, b) => (b.members.length > a.members.length ? b : a));

let failed = 0;
let passed = 0;
const check = (what, ok, detail) => {
  ok ? passed++ : failed++;
  console.log(`${ok ? "ok" : "FAILED"} - ${what}: ${detail}`);
};
const driver = spawn("tauri-driver", [], { stdio: ["ignore", "inherit", "inherit"] });
await new Promise((r) => setTimeout(r, 1500));
const browser = await new Builder()
  .usingServer("http://127.0.0.1:4444/")
  .withCapabilities({ browserName: "wry", "tauri:options": { application: process.env.RINGSCOPE_APP, args: [casePath] } })
  .build();
try {
  // Found and clicked afresh if the list re-renders meanwhile (a held handle goes stale).
  const rowCss = `tr[data-ring='${big.id}'] td.mono`;
  await browser.wait(async () => browser.executeScript((c) => document.querySelector(c) !== null, rowCss), 120000, "the big ring listed");
  const clicked = Date.now();
  for (let i = 0; ; i++) {
    try {
      await browser.findElement(By.css(rowCss)).click();
      break;
    } catch (e) {
      if (e.name !== "StaleElementReferenceError" || i >= 5) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await browser.wait(async () => browser.executeScript(() => Boolean(window.__ringscopePerf)), 120000);
  const openMs = Date.now() - clicked;
  const perf = await browser.executeScript(() => ({ nodes: window.__ringscopePerf.nodes, edges: window.__ringscopePerf.edges, renderMs: window.__ringscopePerf.renderMs, layoutIterations: window.__ringscopePerf.layoutIterations }));
  const frames = await browser.executeAsyncScript((done) => window.__ringscopePerf.measureFrames(3000).then(done));
  writeFileSync(join(shots, "09-big-ring.png"), await browser.takeScreenshot(), "base64");
  // The default view hides identifiers used by one account and groups big kinds into one node each; the full
  // graph (every identifier its own node) is the worst case. Each switch redraws: wait for a fresh measurement.
  const redrawnAfter = async (css) => {
    await browser.executeScript(() => void (window.__ringscopePerf.stale = true));
    await browser.findElement(By.css(css)).click();
    await browser.wait(async () => browser.executeScript(() => !window.__ringscopePerf.stale), 120000, `redraw after ${css}`);
  };
  await redrawnAfter(".graph-tools input[type=checkbox]");
  await redrawnAfter("[data-testid=group-identifiers]");
  const full = await browser.executeScript(() => ({ nodes: window.__ringscopePerf.nodes, edges: window.__ringscopePerf.edges, renderMs: window.__ringscopePerf.renderMs, layoutIterations: window.__ringscopePerf.layoutIterations }));
  const fullFrames = await browser.executeAsyncScript((done) => window.__ringscopePerf.measureFrames(3000).then(done));
  writeFileSync(join(shots, "09b-big-ring-all-identifiers.png"), await browser.takeScreenshot(), "base64");
  const result = { ring: big.id, accounts: big.members.length, ...perf, openMs, frames, fps: 1000 / frames.meanMs, full: { ...full, frames: fullFrames, fps: 1000 / fullFrames.meanMs } };
  writeFileSync(join(shots, "perf.json"), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
  check("the full ring has 1,500+ nodes", full.nodes >= 1500, `${full.nodes} nodes, ${full.edges} edges (${perf.nodes} nodes by default: identifiers used by one account hidden, big kinds grouped)`);
  check("the full graph stays interactive while moving", fullFrames.frames > 10 && fullFrames.meanMs < 250, `${fullFrames.frames} frames, mean ${fullFrames.meanMs.toFixed(1)} ms (${(1000 / fullFrames.meanMs).toFixed(1)} fps), p95 ${fullFrames.p95Ms.toFixed(1)} ms`);
  check("the graph draws", perf.renderMs < 10000, `${perf.renderMs.toFixed(0)} ms to build and draw; ${openMs} ms from click (incl. backend)`);
  check("the view stays interactive while moving", frames.frames > 10 && frames.meanMs < 250, `${frames.frames} frames, mean ${frames.meanMs.toFixed(1)} ms (${(1000 / frames.meanMs).toFixed(1)} fps), p95 ${frames.p95Ms.toFixed(1)} ms`);
} catch (e) {
  failed++;
  console.log(`FAILED - perf: ${e.name}: ${e.message}`);
} finally {
  await browser.quit().catch(() => {});
  driver.kill();
}
console.log(`e2e-perf: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
