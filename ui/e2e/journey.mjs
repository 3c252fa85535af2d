// End-to-end journey in the real app window: tauri-driver + WebKitWebDriver (run under Xvfb by scripts/e2e.sh).
// Create a case (with a hostile title), import the sample fixtures (mapping the vendor log in the UI), open the
// top ring and its graph, confirm it with a note, export a signed-or-not packet, and see it verified.
// Screenshots of every step go to $E2E_SCREENSHOTS.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Builder, By, Key, until } from "selenium-webdriver";

const root = resolve(import.meta.dirname, "../..");
const app = process.env.RINGSCOPE_APP;
const shots = process.env.E2E_SCREENSHOTS ?? join(root, "out/e2e-screenshots");
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "ringscope-e2e-"));
const sample = (f) => join(root, "fixtures/sample", f);
const HOSTILE_TITLE = `Spike <img src=x onerror="document.title='pwned'">`;
let passed = 0;
let failed = 0;

function check(what, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok" : "FAILED"} - ${what}${detail ? `: ${detail}` : ""}`);
}

// Native dialogs cannot be driven over WebDriver: the app answers them from this file (see commands/pick.rs).
const picksFile = join(work, "picks.json");
writeFileSync(picksFile, "{}");
const driver = spawn("tauri-driver", [], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, RINGSCOPE_E2E_PICKS: picksFile } });
await new Promise((r) => setTimeout(r, 1500));
const caps = { browserName: "wry", "tauri:options": { application: app } };
const browser = await new Builder().usingServer("http://127.0.0.1:4444/").withCapabilities(caps).build();
const shot = async (name) => writeFileSync(join(shots, `${name}.png`), await browser.takeScreenshot(), "base64");
const byText = (tag, text) => By.xpath(`//${tag}[contains(normalize-space(.), ${JSON.stringify(text)})]`);
const click = async (tag, text) => (await browser.wait(until.elementLocated(byText(tag, text)), 20000)).click();
const waitText = async (text, ms = 60000) => browser.wait(async () => (await browser.findElement(By.css("body")).getText()).includes(text), ms, `waiting for "${text}"`);
const picks = async (map) => writeFileSync(picksFile, JSON.stringify(map));

try {
  const casePath = join(work, "e2e.ringscope");
  await browser.wait(until.elementLocated(byText("h2", "New case")), 20000);
  // The webview keeps localStorage between runs: start from the OS theme.
  await browser.executeScript("localStorage.removeItem('ringscope.theme')");
  await browser.navigate().refresh();
  await browser.wait(until.elementLocated(byText("h2", "New case")), 20000);
  await picks({ create_case: [casePath] });
  const inputs = await browser.findElements(By.css("form input"));
  await inputs[0].sendKeys(HOSTILE_TITLE);
  await inputs[1].sendKeys("ZD-4711");
  await inputs[2].sendKeys("E2E Investigator");
  await click("button", "Create case");
  await waitText("0 accounts");
  check("case created", existsSync(casePath));
  const imgs = await browser.findElements(By.css("img"));
  check("a hostile title renders as text", imgs.length === 0 && (await browser.getTitle()) !== "pwned" && (await browser.findElement(By.css(".case-title")).getText()).includes("<img"));
  await shot("01-case-created");

  await click("button", "Import");
  await picks({ import_files: [sample("accounts.csv"), sample("payments.csv")] });
  await click("button", "Choose files");
  await waitText("Stripe payments export");
  await shot("02-import-preview");
  await click("button", "Import 2 file(s)");
  await waitText("5817 rows read");
  await picks({ import_files: [sample("logins.csv")] });
  await click("button", "Choose files");
  await waitText("unknown header");
  const mapping = { account_id: "linked_id", timestamp: "request_time", event_type: "tag", ip: "client_ip", device_id: "visitor_id", user_agent: "browser_user_agent" };
  await browser.executeScript((m) => {
    for (const label of document.querySelectorAll(".mapping-grid label")) {
      const field = label.firstChild?.textContent?.replace(" *", "").trim();
      const select = label.querySelector("select");
      if (field && select && m[field]) {
        select.value = m[field];
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  }, mapping);
  await shot("03-import-mapping");
  await click("button", "Import 1 file(s)");
  await waitText("10879 rows read");
  await shot("04-imported");
  check("sample imported", (await browser.findElement(By.css(".counts")).getText()).includes("2000 accounts"));

  await click("button", "Rings");
  await browser.wait(until.elementLocated(By.css("tr[data-ring='R-0001']")), 60000);
  await browser.findElement(By.css("tr[data-ring='R-0001'] td")).click();
  await waitText("Ring R-0001");
  await browser.wait(until.elementLocated(By.css(".graph canvas")), 20000);
  await new Promise((r) => setTimeout(r, 1500));
  await shot("05-ring-graph");
  const canvases = await browser.findElements(By.css(".graph canvas"));
  check("the ring graph is drawn", canvases.length > 0);

  await click("button", "timeline");
  const chart = await browser.wait(until.elementLocated(By.css("[data-testid=timeline-chart]")), 20000);
  const { width } = await chart.getRect();
  await browser.actions().move({ origin: chart, x: Math.round(-width * 0.3), y: 0 }).press().move({ origin: chart, x: Math.round(width * 0.3), y: 0 }).release().perform();
  await waitText("accounts highlighted in the graph", 10000);
  await shot("05b-timeline-range");
  check("a dragged time range selects accounts", true);
  await click("button", "graph");

  await browser.findElement(By.css(".decide input")).sendKeys("Creator pays itself through fake fans");
  await click("button", "Confirm");
  await browser.wait(until.elementLocated(By.css(".ring-head .pill.confirmed")), 20000);
  await shot("06-confirmed");
  check("ring confirmed", true);

  const outDir = join(work, "packets");
  mkdirSync(outDir);
  await click("button", "export");
  await browser.findElement(By.css(".export textarea")).sendKeys("Eleven accounts, one card, one creator.");
  await picks({ export_folder: [outDir] });
  await click("button", "Export packet");
  await waitText("Verified: complete and unaltered", 120000);
  await shot("07-exported-verified");
  check("packet exported and verified", true);

  await click("button", "history");
  await waitText("decide");
  await shot("08-history");
  check("decision in the history", (await browser.findElement(By.css(".history")).getText()).includes("confirmed"));

  // Data from the exports is hostile too: a fan's display name in accounts.csv is an <img onerror> payload. If it
  // were rendered as markup, the alert would open and every later WebDriver call would fail.
  const search = await browser.findElement(By.css(".account-search input"));
  await search.sendKeys("<img");
  const hit = await browser.wait(until.elementLocated(By.css(".account-search [role=option]")), 20000);
  const hitText = await hit.getAttribute("textContent");
  await hit.click();
  const details = await browser.wait(until.elementLocated(By.css(".account-search [data-testid=account-details]")), 20000);
  await browser.wait(async () => (await details.getText()).includes("accounts.csv:"), 10000);
  const detailText = await details.getAttribute("textContent");
  await new Promise((r) => setTimeout(r, 500));
  const injected = await browser.findElements(By.css(".account-search img, img[src=x]"));
  await shot("09-hostile-display-name");
  check("a hostile display name from the data renders as text", hitText.includes("<img src=x onerror=alert(1)>") && detailText.includes("<img src=x onerror=alert(1)>") && injected.length === 0, `${hitText} | ${detailText.split("\n").slice(0, 2).join(" ")}`);
  await search.sendKeys(Key.ESCAPE);

  // The theme toggle cycles system → light → dark; the choice persists in the webview's storage between runs.
  const themeIs = () => browser.executeScript("return document.documentElement.dataset.theme ?? 'system'");
  const toggleTheme = async () => {
    const was = await themeIs();
    await browser.findElement(By.css(".theme-toggle")).click();
    await browser.wait(async () => (await themeIs()) !== was, 5000, "waiting for the theme to change");
  };
  for (let i = 0; i < 3 && (await themeIs()) !== "dark"; i++) await toggleTheme();
  await click("button", "graph");
  await new Promise((r) => setTimeout(r, 1000));
  await shot("10-dark-theme");
  const bg = await browser.executeScript("return getComputedStyle(document.documentElement).backgroundColor");
  check("the dark theme can be chosen", (await themeIs()) === "dark" && bg === "rgb(20, 24, 30)", String(bg));
  for (let i = 0; i < 3 && (await themeIs()) !== "system"; i++) await toggleTheme();
} catch (e) {
  failed++;
  console.log(`FAILED - journey: ${e.name}: ${e.message}`);
  await shot("99-failure").catch(() => {});
} finally {
  await browser.quit().catch(() => {});
  driver.kill();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
