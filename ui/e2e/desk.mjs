// End-to-end: the investigation desk in the real app window. Open a desk, open a typed case, import, tick and skip
// checklist steps, confirm a ring, close the case (a reason is asked for), see the KPIs change, open the case's
// ticket, and see a watched device flagged in a second case. Screenshots go to $E2E_SCREENSHOTS (desk-*.png).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { By, until } from "selenium-webdriver";
import { sample, startSession } from "./session.mjs";

const opened = join(process.env.TMPDIR ?? "/tmp", `ringscope-e2e-opened-${process.pid}.txt`);
const s = await startSession({ RINGSCOPE_E2E_OPENED: opened });
const { browser, check, shot, picks, clickCss, clickText, waitText, textOf, setField } = s;

// The vendor login log with its columns named as Ringscope knows them (the journey maps them in the UI).
const logins = join(s.work, "logins.csv");
const [header, ...rows] = readFileSync(sample("logins.csv"), "utf8").split("\n");
const names = { linked_id: "account_id", request_time: "timestamp", tag: "event_type", client_ip: "ip", visitor_id: "device_id", browser_user_agent: "user_agent" };
writeFileSync(logins, [header.split(",").map((h) => names[h] ?? h).join(","), ...rows].join("\n"));
const exportsToImport = [sample("accounts.csv"), sample("payments.csv"), logins];

// A desk whose case references open Zendesk tickets.
const desk = join(s.work, "desk");
execFileSync(process.env.RINGSCOPE_CLI, ["desk", "init", desk]);
const typesFile = join(desk, "case-types.toml");
writeFileSync(typesFile, readFileSync(typesFile, "utf8").replace(/^# ticket_url = .*$/m, 'ticket_url = "https://example.zendesk.com/agent/tickets/{id}"'));

const kpiCases = () => textOf("[data-testid=kpi-cases]");

async function newCase(title, type, reference) {
  await clickCss("[data-testid=desk-new-case]");
  await s.present("[data-testid=new-case-form] input[name=title]", 20000);
  await setField("[data-testid=new-case-form] input[name=title]", title);
  await setField("[data-testid=new-case-form] select[name=case_type]", type);
  await setField("[data-testid=new-case-form] input[name=reference]", reference);
  await setField("[data-testid=new-case-form] input[name=assignee]", "E2E Investigator");
  await clickCss("[data-testid=new-case-form] button[type=submit]");
  await browser.wait(async () => (await textOf(".case-title")).includes(title), 30000, `case ${title} open`);
}

async function importExports() {
  await clickCss("[data-testid=tab-import]");
  await picks({ import_files: exportsToImport });
  await clickText("button", "Choose files");
  await waitText("Import 3 file(s)");
  await clickText("button", "Import 3 file(s)");
  await browser.wait(async () => (await textOf(".counts")).includes("2000 accounts"), 120000, "imported");
}

const stepState = (id) => browser.executeScript((i) => document.querySelector(`[data-testid=checklist-step][data-step=${i}]`)?.dataset.state, id);

try {
  await s.present("[data-testid=open-desk]", 20000);
  await picks({ desk_folder: [desk] });
  await clickCss("[data-testid=open-desk]");
  await s.present("[data-testid=desk-view]", 20000);
  await shot("desk-01-empty-desk");
  const before = await kpiCases();
  check("a desk opens", (await textOf("[data-testid=desk-dir]")).includes("desk"), before);

  await newCase("Chargebacks on creator c1", "chargeback", "ZD-48213");
  await importExports();
  await shot("desk-02-typed-case-imported");

  await clickCss("[data-testid=tab-case]");
  await s.present("[data-testid=checklist]", 20000);
  await clickCss("[data-testid=checklist-step][data-step=import] input[type=checkbox]");
  await browser.wait(async () => (await stepState("import")) === "done", 20000, "import step done");
  await clickCss("[data-testid=checklist-step][data-step=contact] [data-testid=skip-step]");
  await setField("[data-testid=skip-reason]", "No support history was exported");
  await clickCss("[data-testid=skip-form] button[type=submit]");
  await browser.wait(async () => (await stepState("contact")) === "skipped", 20000, "contact step skipped");
  await shot("desk-03-checklist");
  const progress = await textOf("[data-testid=checklist-progress]");
  check("checklist steps ticked and skipped", (await stepState("import")) === "done" && (await stepState("contact")) === "skipped" && progress.includes("1 skipped"), progress);

  await clickCss("[data-testid=tab-rings]");
  await s.present("tr[data-ring='R-0001']", 60000);
  await clickCss("tr[data-ring='R-0001'] td.mono");
  await waitText("Ring R-0001");
  await setField(".decide input", "Farm paying creator c1 with shared cards");
  await clickText("button", "Confirm");
  await s.present(".ring-head .pill.confirmed", 30000).catch(() => {});
  check("a ring of the case confirmed", (await browser.findElements(By.css(".ring-head .pill.confirmed"))).length === 1);

  await clickCss("[data-testid=tab-case]");
  await setField("[data-testid=case-status]", "closed");
  await s.present("[data-testid=close-reason]", 20000);
  const asked = await textOf("[data-testid=close-reason]");
  await shot("desk-04-close-asks-reason");
  await setField("[data-testid=close-reason-input]", "Ring confirmed and escalated to payments; remaining steps not needed");
  await clickCss("[data-testid=close-case]");
  await browser.wait(async () => (await browser.executeScript("return document.querySelector('[data-testid=case-status]')?.value")) === "closed", 20000, "case closed");
  const status = await browser.executeScript("return document.querySelector('[data-testid=case-status]')?.value");
  check("closing with required steps open asks for a reason", asked.includes("Required steps are still open") && status === "closed", asked.slice(0, 100));

  await clickCss("[data-testid=desk-tab]");
  // The desk reads its cases again when shown: wait for the closed case to be counted (not just any text).
  await browser.wait(async () => /\b1 closed\b/.test(await kpiCases()), 20000, "KPIs after closing").catch(() => {});
  const after = await kpiCases();
  await shot("desk-05-kpis-after-close");
  check("the KPIs change", after !== before && /1 closed/.test(after), `${before} → ${after}`);

  await clickCss("[data-testid=open-ticket]");
  await browser.wait(async () => existsSync(opened) && readFileSync(opened, "utf8").includes("tickets/48213"), 10000, "ticket opened").catch(() => {});
  check("the case reference opens its Zendesk ticket", existsSync(opened) && readFileSync(opened, "utf8").trim() === "https://example.zendesk.com/agent/tickets/48213");

  // The same fraudsters come back: a second case imports their exports again.
  await newCase("Returning devices", "ban-evasion", "ZD-48999");
  await importExports();
  await s.present("[data-testid=watch-flags-summary]", 30000);
  await clickCss("[data-testid=watch-flags-summary]");
  const flags = await textOf("[data-testid=watch-flags]");
  await shot("desk-06-watched-device-flagged");
  const deviceFlags = await browser.executeScript("return [...document.querySelectorAll('[data-testid=watch-flag] .kind-device')].length");
  check("a watched device is flagged in a second case", flags.includes("identifiers confirmed in earlier cases") && deviceFlags > 0 && flags.includes("Chargebacks on creator c1"), `${deviceFlags} device flags shown; ${flags.slice(0, 120)}`);

  await clickCss("[data-testid=desk-tab]");
  const rowCount = () => browser.executeScript("return document.querySelectorAll('[data-testid=desk-case-row]').length");
  await browser.wait(async () => (await rowCount()) === 2, 20000, "two cases listed").catch(() => {});
  await shot("desk-07-case-list");
  check("the desk lists both cases", (await rowCount()) === 2);
} catch (e) {
  s.fail(e);
  await shot("desk-99-failure").catch(() => {});
}
process.exit((await s.finish()) ? 1 : 0);
