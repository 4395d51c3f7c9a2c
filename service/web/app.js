// The sqlalchemy-syda page: plain JavaScript over the service's JSON API (no build step, no libraries).
// The API key stays in this browser tab's sessionStorage and goes out as "Authorization: Bearer ...".
"use strict";

const $ = (selector) => document.querySelector(selector);
const state = { key: sessionStorage.getItem("syda-key") || "", preview: null, file: null };

function show(text, isError = false) {
  const box = $("#message");
  box.textContent = text;
  box.hidden = !text;
  box.classList.toggle("error", isError);
}

function element(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  if (state.key) headers.set("Authorization", `Bearer ${state.key}`);
  const response = await fetch(path, { ...options, headers });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const body = await response.json();
      detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
    } catch (_) { /* not JSON */ }
    throw new Error(`${response.status}: ${detail}`);
  }
  return response;
}

const project = () => $("#project").value;

function guarded(fn) {
  return async (event) => {
    if (event) event.preventDefault();
    try { await fn(event); } catch (error) { show(error.message, true); }
  };
}

// --- key and projects -------------------------------------------------------------------------

function keyChanged() {
  $("#key-state").textContent = state.key ? "key set for this tab" : "no key";
  if (state.key) { loadProjects().catch((e) => show(e.message, true)); }
}

async function loadProjects(select) {
  const body = await (await api("/projects")).json();
  const menu = $("#project");
  const current = select || menu.value;
  menu.replaceChildren(...body.items.map((p) => element("option", { value: p.name, text: p.name })));
  if (!body.items.length) menu.append(element("option", { value: "", text: "(no project yet: create one)" }));
  if (current && body.items.some((p) => p.name === current)) menu.value = current;
  await loadLog();
}

async function createProject() {
  const name = $("#new-project-name").value.trim();
  const description = $("#new-project-description").value.trim() || null;
  await api("/projects", { method: "POST", headers: { "Content-Type": "application/json" },
                           body: JSON.stringify({ name, description }) });
  show(`Project ${name} created.`);
  await loadProjects(name);
}

// --- upload and preview -----------------------------------------------------------------------

async function preview() {
  if (!project()) throw new Error("Pick or create a project first.");
  const file = $("#file").files[0];
  if (!file) throw new Error("Choose a file first.");
  const form = new FormData();
  form.append("project_name", project());
  form.append("file", file);
  show(`Reading ${file.name} ...`);
  const body = await (await api("/upload/preview", { method: "POST", body: form })).json();
  state.preview = body;
  state.file = file;
  renderPreview(body);
  show(`${file.name}: ${body.tables.length} table(s) found (${body.kind}).`);
}

function renderPreview(body) {
  const box = $("#preview");
  box.replaceChildren();
  for (const table of body.tables) {
    const rows = table.columns.map((c) => element("tr", {},
      element("td", { text: c.name }), element("td", { text: c.meaning || "" }),
      element("td", { text: c.type || "" }),
      element("td", { class: "samples", text: (c.samples || []).map((v) => v === null ? "∅" : String(v)).join(" · ") })));
    box.append(element("h3", { text: `${table.name}` + (table.rows != null ? ` (${table.rows} rows read)` : "") }),
      element("table", { class: "columns", "data-table": table.name },
        element("thead", {}, element("tr", {}, element("th", { text: "Column" }), element("th", { text: "Meaning" }),
          element("th", { text: "Type" }), element("th", { text: "Sample values" }))),
        element("tbody", {}, ...rows)));
  }
  const counts = $("#counts");
  counts.replaceChildren(...body.tables.filter((t) => t.generated !== false).map((t) => element("div", { class: "row" },
    element("label", { for: `count-${t.name}`, text: `Rows of ${t.name}` }),
    element("input", { id: `count-${t.name}`, type: "number", min: "0", value: String(t.default_rows ?? 100),
                       "data-table": t.name, class: "count" }))));
  const formats = body.run.formats || [];
  if (formats.length) {
    counts.append(element("div", { class: "row" }, element("label", { for: "format", text: "Format" }),
      element("select", { id: "format" }, ...formats.map((f) => element("option", { value: f, text: f.toUpperCase() })))));
  }
  $("#run-section").hidden = false;
}

// --- run and watch ----------------------------------------------------------------------------

async function run() {
  const counts = {};
  for (const input of document.querySelectorAll("input.count")) counts[input.dataset.table] = Number(input.value);
  const seed = Number($("#seed").value || 0);
  const format = $("#format") ? $("#format").value : null;
  const spec = state.preview.run;
  $("#job-section").hidden = false;
  for (const box of ["#progress", "#downloads", "#report"]) $(box).replaceChildren();
  $("#job-id").textContent = "";
  setStatus("starting");
  const answers = [];
  if (spec.body === "multipart") {
    const form = new FormData();
    form.append("project_name", project());
    form.append("file", state.file);
    form.append("counts", JSON.stringify(counts));
    form.append("sample_size", String(Math.max(0, ...Object.values(counts))));
    form.append("seed", String(seed));
    if (format) form.append("format", format);
    answers.push([null, await api(spec.endpoint, { method: "POST", body: form })]);
  } else {
    // A CSV answer holds one table: ask once per table (a large request becomes one job for all of them).
    const tables = state.preview.tables.map((t) => t.name);
    const targets = format === "csv" && tables.length > 1 ? tables : [null];
    const body = JSON.stringify({ project_name: project(), schema_text: await state.file.text(), counts, seed,
                                  format: format || "csv" });
    for (const target of targets) {
      const query = target ? `?table=${encodeURIComponent(target)}` : "";
      const response = await api(spec.endpoint + query, { method: "POST", headers: { "Content-Type": "application/json" },
                                                         body });
      answers.push([target, response]);
      if (response.status === 202) break;
    }
  }
  const queued = answers.find(([, response]) => response.status === 202);
  if (queued) {
    const job = await queued[1].json();
    show(`Job ${job.id} queued.`);
    await watch(job);
  } else {  // small enough to answer at once
    $("#job-id").textContent = "(answered at once)";
    for (const [target, response] of answers) {
      const name = `${target || state.preview.tables[0]?.name || "data"}.${format || "csv"}`;
      $("#downloads").append(downloadLink(await response.blob(), name));
    }
    setStatus("succeeded");
    show("Done.");
  }
  await loadLog();
}

function setStatus(status) {
  const node = $("#job-status");
  node.textContent = status;
  node.className = `status-${status}`;
}

function renderProgress(progress) {
  $("#progress").replaceChildren(...progress.map((p) => {
    const share = p.rows_total ? Math.round(100 * p.rows_done / p.rows_total) : 100;
    return element("div", { class: "row" }, element("span", { text: p.table }),
      element("span", { class: "bar" }, element("span", { style: `width:${share}%` })),
      element("span", { class: "muted", text: `${p.rows_done} / ${p.rows_total}` }));
  }));
}

async function watch(job) {
  $("#job-id").textContent = job.id;
  setStatus(job.status);
  let final = null;
  try {
    final = await followEvents(job.id);
  } catch (_) { /* the event stream broke: poll instead */ }
  while (!final) {
    const body = await (await api(`/jobs/${job.id}`)).json();
    renderProgress(body.progress);
    setStatus(body.status);
    if (["succeeded", "failed", "canceled", "lost"].includes(body.status)) final = body;
    else await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  finished(final);
}

async function followEvents(jobId) {
  const response = await api(`/jobs/${jobId}/events`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return null;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const chunk = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(chunk);
      const data = /^data: (.*)$/m.exec(chunk);
      if (!event || !data) continue;
      const body = JSON.parse(data[1]);
      if (body.progress) renderProgress(body.progress);
      if (body.status) setStatus(body.status);
      if (event[1] === "status" && ["succeeded", "failed", "canceled", "lost"].includes(body.status)) {
        reader.cancel();
        return body;
      }
    }
  }
}

function downloadLink(blob, name) {
  const link = element("a", { href: URL.createObjectURL(blob), download: name, class: "download", text: `Download ${name}` });
  return element("div", { class: "row" }, link);
}

function finished(job) {
  renderProgress(job.progress);
  setStatus(job.status);
  if (job.status !== "succeeded") {
    show(job.error || `The job ended ${job.status}.`, true);
    return;
  }
  show(`Done: ${Object.entries(job.result?.counts || {}).map(([t, n]) => `${t} ${n} rows`).join(", ")}.`);
  const box = $("#downloads");
  box.replaceChildren();
  for (const artifact of job.artifacts) {
    const button = element("button", { type: "button", class: "artifact", "data-name": artifact.name,
                                       text: `Download ${artifact.name}` });
    button.addEventListener("click", guarded(async () => {
      const blob = await (await api(artifact.links.download)).blob();
      const link = element("a", { href: URL.createObjectURL(blob), download: artifact.name });
      document.body.append(link);
      link.click();
      link.remove();
    }));
    box.append(element("div", { class: "row" }, button,
      element("span", { class: "muted", text: `${(artifact.size / 1024).toFixed(1)} KiB, sha256 ${artifact.sha256.slice(0, 12)}…` })));
  }
  const report = job.artifacts.find((a) => a.name.endsWith(".html"));
  $("#report").replaceChildren();
  if (report) showReport(report).catch((e) => show(e.message, true));
}

async function showReport(artifact) {
  const html = await (await api(artifact.links.download)).text();
  const frame = element("iframe", { title: "Quality report", sandbox: "" });
  frame.srcdoc = html;
  $("#report").replaceChildren(element("h3", { text: "Quality report" }), frame);
}

// --- transaction log --------------------------------------------------------------------------

async function loadLog() {
  if (!project()) return;
  const body = await (await api(`/projects/${encodeURIComponent(project())}/transactions?limit=25`)).json();
  $("#log tbody").replaceChildren(...body.items.map((e) => element("tr", {},
    element("td", { text: e.at || e.created_at || "" }), element("td", { text: e.operation }),
    element("td", { text: e.outcome }), element("td", { text: e.rows ?? "" }), element("td", { text: e.resource || "" }))));
}

// --- wiring -----------------------------------------------------------------------------------

$("#key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.key = $("#api-key").value.trim();
  sessionStorage.setItem("syda-key", state.key);
  $("#api-key").value = "";
  keyChanged();
});
$("#refresh-projects").addEventListener("click", guarded(() => loadProjects()));
$("#project").addEventListener("change", guarded(loadLog));
$("#new-project").addEventListener("submit", guarded(createProject));
$("#upload-form").addEventListener("submit", guarded(preview));
$("#run-form").addEventListener("submit", guarded(run));
$("#refresh-log").addEventListener("click", guarded(loadLog));
keyChanged();
