// One app window driven over WebDriver (tauri-driver + WebKitWebDriver, under Xvfb from scripts/e2e.sh), with the
// small helpers the end-to-end scripts share: checks, screenshots, text waits, dialog answers.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Builder, By, until } from "selenium-webdriver";

export const root = resolve(import.meta.dirname, "../..");
export const sample = (f) => join(root, "fixtures/sample", f);

/** Starts the app. `env` is added to the app's environment (test seams such as RINGSCOPE_E2E_OPENED). */
export async function startSession(env = {}) {
  const shots = process.env.E2E_SCREENSHOTS ?? join(root, "out/e2e-screenshots");
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "ringscope-e2e-"));
  // Native dialogs cannot be driven over WebDriver: the app answers them from this file (see commands/pick.rs).
  const picksFile = join(work, "picks.json");
  writeFileSync(picksFile, "{}");
  const driver = spawn("tauri-driver", [], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, RINGSCOPE_E2E_PICKS: picksFile, ...env } });
  await new Promise((r) => setTimeout(r, 1500));
  const caps = { browserName: "wry", "tauri:options": { application: process.env.RINGSCOPE_APP } };
  const browser = await new Builder().usingServer("http://127.0.0.1:4444/").withCapabilities(caps).build();
  let passed = 0;
  let failed = 0;
  // A click on an element the UI just replaced fails as stale: find it again and retry.
  const retryStale = async (act, tries = 5) => {
    for (let i = 0; ; i++) {
      try {
        return await act();
      } catch (e) {
        if (e.name !== "StaleElementReferenceError" || i >= tries) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  const s = {
    browser,
    work,
    check(what, ok, detail = "") {
      if (ok) passed++;
      else failed++;
      console.log(`${ok ? "ok" : "FAILED"} - ${what}${detail ? `: ${detail}` : ""}`);
    },
    fail(e) {
      failed++;
      console.log(`FAILED - ${e.name}: ${e.message}`);
    },
    shot: async (name) => writeFileSync(join(shots, `${name}.png`), await browser.takeScreenshot(), "base64"),
    picks: async (map) => writeFileSync(picksFile, JSON.stringify(map)),
    retryStale,
    /** Clicks the element found afresh by CSS (retried if the UI replaces it meanwhile). */
    clickCss: (css, ms = 20000) => retryStale(async () => (await browser.wait(until.elementLocated(By.css(css)), ms)).click()),
    /** Clicks a `tag` whose text contains `text`. */
    clickText: (tag, text, ms = 20000) =>
      retryStale(async () => (await browser.wait(until.elementLocated(By.xpath(`//${tag}[contains(normalize-space(.), ${JSON.stringify(text)})]`)), ms)).click()),
    // innerText: the rendered text (WebDriver's getText leaves out text in elements clipped with an ellipsis).
    waitText: (text, ms = 60000) => browser.wait(async () => String(await browser.executeScript("return document.body.innerText")).includes(text), ms, `waiting for "${text}"`),
    /** Waits until an element matches `css`, asked through the page: a held WebDriver handle (or one WebKit is still
     * creating) goes stale when React or the graph replaces the element while it is being found. */
    present: (css, ms = 20000) =>
      browser.wait(async () => Boolean(await browser.executeScript((c) => document.querySelector(c) !== null, css)), ms, `waiting for ${css}`),
    textOf: (css) => browser.executeScript((c) => document.querySelector(c)?.textContent ?? "", css),
    /** Sets a field's value as typing would (value + input/change event), through the page, once it is there. */
    setField: async (css, value) => {
      await s.present(css);
      return browser.executeScript((c, v) => {
        const el = document.querySelector(c);
        el.value = v;
        el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
      }, css, value);
    },
    async finish() {
      await browser.quit().catch(() => {});
      driver.kill();
      console.log(`e2e: ${passed} passed, ${failed} failed`);
      return failed;
    },
  };
  return s;
}
