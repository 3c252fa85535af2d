// End-to-end journey in the real app window: tauri-driver + WebKitWebDriver (run under Xvfb by scripts/e2e.sh).
// Create a case (with a hostile title), import the sample fixtures (mapping the vendor log in the UI), open the
// top ring and its graph, confirm it with a note, export a signed-or-not packet, and see it verified.
// Screenshots of every step go to $E2E_SCREENSHOTS.
import { mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { By, Key, until } from "selenium-webdriver";
import { sample, startSession } from "./session.mjs";

const s = await startSession();
const { browser, work, check, shot, picks, retryStale, waitText } = s;
const HOSTILE_TITLE = `Spike <img src=x onerror="document.title='pwned'">`;
const byText = (tag, text) => By.xpath(`//${tag}[contains(normalize-space(.), ${JSON.stringify(text)})]`);
const click = (tag, text) => s.clickText(tag, text);
// An action on an element found afresh, retried if React replaces it meanwhile.
const on = (css, act) => retryStale(async () => act(await browser.findElement(By.css(css))));
// The account search box is typed into through the page (value + input event, as a keyboard does): it lives in the
// top bar, which re-renders as the case's counts refresh, and a held WebDriver handle to it can go stale.
const typeSearch = (text) => browser.executeScript((t) => {
  const box = document.querySelector(".account-search input");
  box.value = t;
  box.dispatchEvent(new Event("input", { bubbles: true }));
}, text);
const closeSearch = () => browser.executeScript(() => document.querySelector(".account-search input")?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })));
const textOf_ = s.textOf;

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
  check("a hostile title renders as text", imgs.length === 0 && (await browser.getTitle()) !== "pwned" && (await on(".case-title", (e) => e.getText())).includes("<img"));
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
  check("sample imported", (await on(".counts", (e) => e.getAttribute("textContent"))).includes("2000 accounts"));

  await click("button", "Rings");
  await s.present("tr[data-ring='R-0001']", 60000);
  await on("tr[data-ring='R-0001'] td.mono", (e) => e.click());
  await waitText("Ring R-0001");
  await s.present(".graph canvas", 20000);
  await new Promise((r) => setTimeout(r, 1500));
  await shot("05-ring-graph");
  const canvases = await browser.executeScript(() => document.querySelectorAll(".graph canvas").length);
  check("the ring graph is drawn", canvases > 0);

  await click("button", "timeline");
  const chart = await browser.wait(until.elementLocated(By.css("[data-testid=timeline-chart]")), 20000);
  const { width } = await chart.getRect();
  await browser.actions().move({ origin: chart, x: Math.round(-width * 0.3), y: 0 }).press().move({ origin: chart, x: Math.round(width * 0.3), y: 0 }).release().perform();
  await waitText("accounts highlighted in the graph", 10000);
  await shot("05b-timeline-range");
  check("a dragged time range selects accounts", true);
  // Act on the range: its accounts become the members table's selection, and one decision marks them all.
  const rangeCount = Number((await textOf_(".timeline .row")).match(/: (\d+) accounts highlighted/)?.[1] ?? 0);
  await click("button", "Select them to decide");
  await browser.wait(async () => (await textOf_("[data-testid=account-bulk]")).includes(`${rangeCount} account`), 20000, "range accounts ticked");
  await shot("05c-range-selected");
  await retryStale(async () => (await browser.findElement(By.xpath("//*[@data-testid='account-bulk']//button[normalize-space(.)='Needs review']"))).click());
  await waitText(`${rangeCount} account${rangeCount === 1 ? "" : "s"} marked needs review.`, 30000);
  const countReviewed = () => browser.executeScript("return document.querySelectorAll(\"[data-testid=members-table] .pill.needs_review\").length");
  await browser.wait(async () => (await countReviewed()) >= rangeCount, 20000, "members table shows the decisions").catch(() => {});
  const reviewed = await countReviewed();
  check("an account-level decision on a timeline selection", rangeCount > 0 && reviewed === rangeCount, `${rangeCount} accounts in the range, ${reviewed} marked`);

  // A false positive out of the ring: tick one member, give the reason in the note, remove it; it is listed as removed
  // and the ring is detected again without it.
  const gone = await browser.executeScript("const row = document.querySelector('[data-testid=members-table] tbody tr'); row.querySelector('input[type=checkbox]').click(); return row.dataset.account;");
  await on(".decide input", (e) => e.sendKeys("Creator's own test account"));
  await retryStale(async () => (await browser.findElement(By.xpath("//*[@data-testid='account-bulk']//button[normalize-space(.)='Remove from ring']"))).click());
  await waitText("1 account removed from R-0001.", 60000);
  await browser.wait(async () => (await textOf_(".ring-head")).includes("341 accounts"), 20000, "the ring reloaded").catch(() => {});
  const removedText = await textOf_("[data-testid=removed-members]");
  const header = await textOf_(".ring-head");
  await shot("05d-member-removed");
  check("a member removed from the ring", removedText.includes(gone) && header.includes("341 accounts"), `${gone}: ${removedText} | ${header.slice(0, 60)}`);
  await click("button", "graph");

  await on(".decide input", (e) => e.sendKeys("Creator pays itself through fake fans"));
  await click("button", "Confirm");
  await s.present(".ring-head .pill.confirmed", 20000);
  await shot("06-confirmed");
  check("ring confirmed", true);

  const outDir = join(work, "packets");
  mkdirSync(outDir);
  await click("button", "export");
  await on(".export textarea", (e) => e.sendKeys("Eleven accounts, one card, one creator."));
  await picks({ export_folder: [outDir] });
  await click("button", "Export packet");
  await waitText("Verified: complete and unaltered", 120000);
  await shot("07-exported-verified");
  check("packet exported and verified", true);

  await click("button", "history");
  await waitText("Confirmed ring");
  await shot("08-history");
  check("decision in the history", (await on(".history", (e) => e.getText())).toLowerCase().includes("confirmed ring r-0001"));

  // Keyboard triage: j moves to the next ring, r / d / c decide and advance to the next undecided ring, Enter in the
  // note field saves the note; then a bulk decision on two selected rings.
  await click("button", "graph");
  const order = await browser.executeScript("return [...document.querySelectorAll('tr[data-ring]')].map((r) => r.dataset.ring)");
  const pill = (id) => browser.executeScript((r) => document.querySelector(`tr[data-ring='${r}'] .pill`)?.textContent ?? "", id);
  const openRing = () => browser.executeScript("return document.querySelector('.ring-head h2')?.textContent ?? ''");
  const reviewedText = () => on("[data-testid=reviewed]", (e) => e.getText());
  const before = await reviewedText();
  await browser.executeScript("document.activeElement?.blur()");
  const keys = async (k) => browser.actions().sendKeys(k).perform();
  await keys("j");
  await browser.wait(async () => (await openRing()).includes(`Ring ${order[1]}`), 20000, "j opens the next ring");
  await keys("r");
  await browser.wait(async () => (await pill(order[1])).includes("needs review"), 20000, "r marks the ring for review");
  await browser.wait(async () => (await openRing()).includes(`Ring ${order[2]}`), 20000, "advance to the next undecided ring");
  await keys("n");
  await on(".decide input", (e) => e.sendKeys("Two accounts share one card: a couple?", Key.ENTER));
  await waitText("Note saved.", 20000);
  await keys("d");
  await browser.wait(async () => (await pill(order[2])).includes("dismissed"), 20000, "d dismisses the ring");
  await browser.wait(async () => (await openRing()).includes(`Ring ${order[3]}`), 20000, "advance after dismiss");
  await keys("c");
  await browser.wait(async () => (await pill(order[3])).includes("confirmed"), 20000, "c confirms the ring");
  await browser.wait(async () => (await openRing()).includes(`Ring ${order[4]}`), 20000, "advance after confirm");
  const after = await reviewedText();
  await shot("11-keyboard-triage");
  check("keyboard triage of three rings", true, `${before} → ${after}`);
  for (const id of [order[5], order[6]]) await retryStale(async () => (await browser.findElement(By.css(`tr[data-ring='${id}'] input[type=checkbox]`))).click());
  await waitText("2 selected", 10000);
  await shot("12-bulk-selection");
  await click("button", "Dismiss all");
  await browser.wait(async () => (await pill(order[5])).includes("dismissed") && (await pill(order[6])).includes("dismissed"), 20000, "bulk dismissal");
  const bulkAfter = await reviewedText();
  check("a bulk decision on two rings", bulkAfter !== after, `${after} → ${bulkAfter}`);
  await click("button", "History");
  await waitText("Dismissed ring", 20000);
  await shot("13-history-readable");
  check("the case history reads as sentences", (await on(".history", (e) => e.getText())).includes("Marked for review ring"));
  await click("button", "Rings");
  await s.present(".graph canvas", 20000);

  // Data from the exports is hostile too: a fan's display name in accounts.csv is an <img onerror> payload. If it
  // were rendered as markup, the alert would open and every later WebDriver call would fail.
  await typeSearch("<img");
  // The result list re-renders as the debounced search settles: read it through scripts, not held element handles.
  const textOf = (css) => browser.executeScript((c) => document.querySelector(c)?.textContent ?? "", css);
  await browser.wait(async () => (await textOf(".account-search [role=option]")).includes("<img src=x"), 20000, "search hit");
  const hitText = await textOf(".account-search [role=option]");
  await retryStale(async () => (await browser.findElement(By.css(".account-search [role=option]"))).click());
  await browser.wait(async () => (await textOf(".account-search [data-testid=account-details]")).includes("accounts.csv:"), 20000, "account details");
  const detailText = await textOf(".account-search [data-testid=account-details]");
  await new Promise((r) => setTimeout(r, 500));
  const injected = await browser.executeScript(() => document.querySelectorAll(".account-search img, img[src=x]").length);
  await shot("09-hostile-display-name");
  check("a hostile display name from the data renders as text", hitText.includes("<img src=x onerror=alert(1)>") && detailText.includes("<img src=x onerror=alert(1)>") && injected === 0, `${hitText} | ${detailText.split("\n").slice(0, 2).join(" ")}`);
  // file:line opens the source row: the original values as accounts.csv has them.
  await retryStale(async () => (await browser.findElement(By.css(".account-search .source-ref button"))).click());
  await browser.wait(async () => (await textOf(".account-search .source-row")).includes("display_name"), 20000, "source row");
  const rowText = await textOf(".account-search .source-row");
  await shot("09b-source-row");
  check("file:line opens the original row", rowText.includes("accounts.csv:1050") && rowText.includes("<img src=x onerror=alert(1)>") && rowText.includes("imported"), rowText.slice(0, 160));
  await closeSearch();

  // Search by a device id as another collector wrote it (upper case, braces) and by a phone in national format:
  // both are read as linking reads them.
  const searchFor = async (text) => {
    await typeSearch(text);
    await browser.wait(async () => (await textOf(".account-search .search-results")).length > 0, 20000, `results for ${text}`);
    await new Promise((r) => setTimeout(r, 600));
    return textOf(".account-search .search-results");
  };
  // u0001798's phone from accounts.csv in national format; u0000974's device from logins.csv as another collector
  // would write it.
  const device = "{AB0F79B7-4098-C518-2638-C4F529B15BA2}";
  const phone = "(917) 617-4949";
  {
    const byDevice = await searchFor(device);
    check("search by device id", byDevice.includes("used device"), byDevice.slice(0, 120));
    const byPhone = await searchFor(phone);
    check("search by phone", byPhone.includes("used phone"), byPhone.slice(0, 120));
    await shot("09c-search-by-identifier");
    await closeSearch();
  }

  // The theme toggle cycles system → light → dark; the choice persists in the webview's storage between runs.
  const themeIs = () => browser.executeScript("return document.documentElement.dataset.theme ?? 'system'");
  const toggleTheme = async () => {
    const was = await themeIs();
    await retryStale(async () => (await browser.findElement(By.css(".theme-toggle"))).click());
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
  s.fail(e);
  await shot("99-failure").catch(() => {});
}
process.exit((await s.finish()) ? 1 : 0);
