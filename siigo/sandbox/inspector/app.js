"use strict";
// The sandbox inspector: reads /_sandbox JSON routes, writes only faults, DIAN status and resets.
// Its words come from GET /_sandbox/texts (English or Spanish: the switch, else the browser's
// Accept-Language); the choice is kept in localStorage.
(function () {
  const $ = (id) => document.getElementById(id);
  const LANG_KEY = "siigo-inspector-lang";
  let company = null;
  let words = { texts: {}, kinds: {} };

  // The text `key` of the catalog with its {placeholders} filled in.
  function t(key, params) {
    const template = words.texts[key] === undefined ? key : words.texts[key];
    return template.replace(/\{(\w+)\}/g, (whole, name) => (params && name in params ? String(params[name]) : whole));
  }

  function stored() { try { return localStorage.getItem(LANG_KEY); } catch (e) { return null; } }

  async function loadWords(language) {
    const chosen = language || stored();
    const answer = await fetch("/_sandbox/texts" + (chosen ? "?lang=" + encodeURIComponent(chosen) : ""));
    words = await answer.json();
    document.documentElement.lang = words.language;
    $("lang").value = words.language;
    document.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
    document.querySelectorAll("[data-t-placeholder]").forEach((node) => { node.placeholder = t(node.dataset.tPlaceholder); });
  }

  async function call(method, path, body) {
    const options = { method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const answer = await fetch("/_sandbox" + path, options);
    const data = await answer.json();
    if (!answer.ok) {
      const first = data && data.Errors && data.Errors[0];
      throw new Error(first ? first.Code + ": " + first.Message : "HTTP " + answer.status);
    }
    return data;
  }

  function say(text) { $("status").textContent = text; }

  function cell(row, value, className) {
    const td = document.createElement("td");
    if (value instanceof Node) td.appendChild(value); else td.textContent = value === null || value === undefined ? "" : String(value);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function table(target, headers, rows, fill, empty) {
    target.replaceChildren();
    if (!rows.length) {
      const p = document.createElement("p");
      p.className = "empty";
      p.textContent = empty || t("none");
      target.appendChild(p);
      return null;
    }
    const t = document.createElement("table");
    const head = document.createElement("tr");
    headers.forEach((h) => { const th = document.createElement("th"); th.textContent = h; head.appendChild(th); });
    t.appendChild(head);
    rows.forEach((r) => { const tr = document.createElement("tr"); fill(tr, r); t.appendChild(tr); });
    target.appendChild(t);
    return t;
  }

  function title(kind) { return words.kinds[kind] || kind.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()); }

  // A kind's name inside a sentence: "invoices" in English, "facturas de venta" in Spanish.
  function inSentence(kind) {
    return words.language === "es" && words.kinds[kind] ? words.kinds[kind].toLowerCase() : kind.replace(/_/g, " ");
  }

  function stampControl(kind, row) {
    const span = document.createElement("span");
    const badge = document.createElement("span");
    const status = row.stamp ? row.stamp.status : "";
    badge.className = "badge " + status;
    badge.textContent = status || "-";
    span.appendChild(badge);
    if (!row.stamp) return span;
    const select = document.createElement("select");
    select.setAttribute("aria-label", t("stamp.label", { name: row.name || row.id }));
    select.dataset.document = row.id;
    ["", "Accepted", "Rejected", "Draft"].forEach((s) => {
      const o = document.createElement("option");
      o.value = s; o.textContent = s ? t("stamp.set", { status: s }) : t("stamp.change");
      select.appendChild(o);
    });
    select.addEventListener("change", async () => {
      if (!select.value) return;
      try {
        await call("POST", "/" + kind.replace(/_/g, "-") + "/" + encodeURIComponent(row.id) + "/stamp", { status: select.value, company });
        say(t("stamp.changed", { name: row.name || row.id, status: select.value }));
      } catch (e) { say(e.message); }
      load();
    });
    span.appendChild(document.createTextNode(" "));
    span.appendChild(select);
    return span;
  }

  function documents(data) {
    const target = $("kinds");
    target.replaceChildren();
    const kinds = Object.keys(data.documents);
    kinds.forEach((kind) => {
      const block = data.documents[kind];
      const box = document.createElement("div");
      box.id = "kind-" + kind;
      const h = document.createElement("h3");
      h.textContent = t("kind.count", { kind: title(kind), count: block.rows.length });
      box.appendChild(h);
      const holder = document.createElement("div");
      box.appendChild(holder);
      target.appendChild(box);
      const headers = ["col.name", "col.date", "col.customer", "col.total", "col.balance", "col.dian", "col.mail", "col.pdf"].map((k) => t(k));
      table(holder, headers, block.rows, (tr, r) => {
        tr.dataset.id = r.id;
        cell(tr, r.annulled ? t("annulled", { name: r.name || r.id }) : r.name || r.id);
        cell(tr, r.date);
        cell(tr, r.customer ? (r.customer.name || "") + " " + (r.customer.identification || "") : "");
        cell(tr, r.total, "num");
        cell(tr, r.balance, "num");
        cell(tr, stampControl(kind, r));
        cell(tr, r.mail ? r.mail.status : "");
        if (block.pdf) {
          const a = document.createElement("a");
          a.textContent = t("col.pdf");
          a.className = "pdf";
          a.href = "/_sandbox/companies/" + encodeURIComponent(company) + "/" + kind.replace(/_/g, "-") + "/" + encodeURIComponent(r.id) + "/pdf";
          a.setAttribute("download", (r.name || r.id) + ".pdf");
          cell(tr, a);
        } else cell(tr, "");
      }, t("kind.none", { kind: inSentence(kind) }));
    });
  }

  async function faults() {
    const list = await call("GET", "/faults");
    const headers = ["col.method", "col.path", "col.effect", "col.left", "col.hits"].map((k) => t(k)).concat([""]);
    table($("faults"), headers, list, (tr, f) => {
      cell(tr, f.method || t("fault.any"));
      cell(tr, f.path);
      cell(tr, f.status ? t("effect.status", { status: f.status })
        : f.drop ? t("effect.drop", { when: t("fault." + f.drop) }) : t("effect.delay", { seconds: f.delay }));
      cell(tr, f.count === null ? "∞" : f.count, "num");
      cell(tr, f.hits, "num");
      const b = document.createElement("button");
      b.type = "button"; b.textContent = t("fault.remove");
      b.addEventListener("click", async () => { await call("DELETE", "/faults/" + f.id); faults(); });
      cell(tr, b);
    }, t("faults.none"));
  }

  async function journal() {
    const entries = (await call("GET", "/journal")).slice(-200).reverse();
    const headers = ["col.time", "col.method", "col.path", "col.status", "col.errors", "col.idempotency_key", "col.company"].map((k) => t(k));
    table($("journal"), headers, entries, (tr, e) => {
      if (e.status === 0 || e.status >= 400) tr.className = "error";
      cell(tr, new Date(e.time * 1000).toLocaleTimeString(words.language));
      cell(tr, e.method);
      cell(tr, e.path + (e.query ? "?" + e.query : ""));
      cell(tr, e.status === 0 ? t("journal.dropped") : e.status, "num");
      cell(tr, (e.errors || []).map((x) => x.code + ": " + x.message).join("; ") + (e.fault ? " " + t("journal.fault", { id: e.fault }) : ""));
      cell(tr, e.idempotency_key);
      cell(tr, e.tenant);
    }, t("journal.none"));
  }

  async function load() {
    try {
      const overview = await call("GET", "/inspect");
      const select = $("company");
      const current = company;
      select.replaceChildren();
      overview.companies.forEach((c) => { const o = document.createElement("option"); o.value = c; o.textContent = c; select.appendChild(o); });
      company = overview.companies.includes(current) ? current : overview.companies[0] || null;
      if (company) select.value = company;
      const settings = Object.entries(overview.settings).map(([k, v]) => ({ k, v }));
      table($("settings"), [t("col.setting"), t("col.value")], settings, (tr, s) => { cell(tr, s.k); cell(tr, JSON.stringify(s.v)); });
      if (company) {
        const data = await call("GET", "/companies/" + encodeURIComponent(company));
        documents(data);
        const customerHeaders = ["col.identification", "col.branch", "col.name", "col.type", "col.active", "col.contacts"].map((k) => t(k));
        table($("customers"), customerHeaders, data.customers, (tr, c) => {
          cell(tr, c.identification); cell(tr, c.branch_office, "num"); cell(tr, c.name); cell(tr, c.type); cell(tr, c.active); cell(tr, c.contacts, "num");
        });
        const productHeaders = ["col.code", "col.name", "col.type", "col.active", "col.stock"].map((k) => t(k));
        table($("products"), productHeaders, data.products, (tr, p) => {
          cell(tr, p.code); cell(tr, p.name); cell(tr, p.type); cell(tr, p.active); cell(tr, p.available_quantity, "num");
        });
        table($("deliveries"), ["col.when", "col.url", "col.event", "col.status"].map((k) => t(k)), data.deliveries, (tr, d) => {
          cell(tr, d.time || d.sent_at || d.delivered_at || ""); cell(tr, d.url || ""); cell(tr, d.topic || d.event || "");
          cell(tr, d.status === undefined ? JSON.stringify(d) : d.status);
        }, t("deliveries.none"));
        table($("outbox"), ["col.sent", "col.document", "col.to", "col.reason"].map((k) => t(k)), data.outbox, (tr, m) => {
          cell(tr, m.sent_at); cell(tr, m.invoice_name || m.invoice_id); cell(tr, [m.to].concat(m.copy_to || []).join(", ")); cell(tr, m.reason);
        }, t("outbox.none"));
      }
      await faults();
      await journal();
      say(t("status.updated", { time: new Date().toLocaleTimeString(words.language) }));
    } catch (e) { say(e.message); }
  }

  $("company").addEventListener("change", () => { company = $("company").value; load(); });
  $("refresh").addEventListener("click", load);
  $("reset-company").addEventListener("click", async () => {
    if (!company) return;
    await call("POST", "/companies/" + encodeURIComponent(company) + "/reset");
    say(t("status.reset", { company }));
    load();
  });
  $("clear-journal").addEventListener("click", async () => { await call("DELETE", "/journal"); load(); });
  $("clear-faults").addEventListener("click", async () => { await call("DELETE", "/faults"); faults(); });
  $("fault-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const fault = { path: form.path.value };
    if (form.method.value) fault.method = form.method.value;
    if (form.status.value) fault.status = Number(form.status.value);
    if (form.drop.value) fault.drop = form.drop.value;
    if (Number(form.delay.value)) fault.delay = Number(form.delay.value);
    fault.count = form.always.checked ? null : Number(form.count.value || 1);
    try { await call("POST", "/faults", fault); say(t("status.fault_added")); } catch (e) { say(e.message); }
    faults();
  });
  $("lang").addEventListener("change", async () => {
    try { localStorage.setItem(LANG_KEY, $("lang").value); } catch (e) { /* private mode: this page only */ }
    try { await loadWords($("lang").value); } catch (e) { say(e.message); }
    load();
  });

  loadWords().catch((e) => say(e.message)).then(load);
})();
