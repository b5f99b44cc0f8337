"use strict";
// The sandbox inspector: reads /_sandbox JSON routes, writes only faults, DIAN status and resets.
(function () {
  const $ = (id) => document.getElementById(id);
  let company = null;

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
      p.textContent = empty || "None yet.";
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

  function title(kind) { return kind.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()); }

  function stampControl(kind, row) {
    const span = document.createElement("span");
    const badge = document.createElement("span");
    const status = row.stamp ? row.stamp.status : "";
    badge.className = "badge " + status;
    badge.textContent = status || "-";
    span.appendChild(badge);
    if (!row.stamp) return span;
    const select = document.createElement("select");
    select.setAttribute("aria-label", "DIAN status of " + (row.name || row.id));
    select.dataset.document = row.id;
    ["", "Accepted", "Rejected", "Draft"].forEach((s) => {
      const o = document.createElement("option");
      o.value = s; o.textContent = s ? "set " + s : "change…";
      select.appendChild(o);
    });
    select.addEventListener("change", async () => {
      if (!select.value) return;
      try {
        await call("POST", "/" + kind.replace(/_/g, "-") + "/" + encodeURIComponent(row.id) + "/stamp", { status: select.value, company });
        say((row.name || row.id) + ": DIAN status " + select.value);
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
      h.textContent = title(kind) + " (" + block.rows.length + ")";
      box.appendChild(h);
      const holder = document.createElement("div");
      box.appendChild(holder);
      target.appendChild(box);
      table(holder, ["Name", "Date", "Customer", "Total", "Balance", "DIAN", "Mail", "PDF"], block.rows, (tr, r) => {
        tr.dataset.id = r.id;
        cell(tr, (r.name || r.id) + (r.annulled ? " (annulled)" : ""));
        cell(tr, r.date);
        cell(tr, r.customer ? (r.customer.name || "") + " " + (r.customer.identification || "") : "");
        cell(tr, r.total, "num");
        cell(tr, r.balance, "num");
        cell(tr, stampControl(kind, r));
        cell(tr, r.mail ? r.mail.status : "");
        if (block.pdf) {
          const a = document.createElement("a");
          a.textContent = "PDF";
          a.className = "pdf";
          a.href = "/_sandbox/companies/" + encodeURIComponent(company) + "/" + kind.replace(/_/g, "-") + "/" + encodeURIComponent(r.id) + "/pdf";
          a.setAttribute("download", (r.name || r.id) + ".pdf");
          cell(tr, a);
        } else cell(tr, "");
      }, "No " + kind.replace(/_/g, " ") + " yet.");
    });
  }

  async function faults() {
    const list = await call("GET", "/faults");
    table($("faults"), ["Method", "Path", "Effect", "Left", "Hits", ""], list, (tr, f) => {
      cell(tr, f.method || "any");
      cell(tr, f.path);
      cell(tr, f.status ? "status " + f.status : f.drop ? "drop " + f.drop : "delay " + f.delay + " s");
      cell(tr, f.count === null ? "∞" : f.count, "num");
      cell(tr, f.hits, "num");
      const b = document.createElement("button");
      b.type = "button"; b.textContent = "Remove";
      b.addEventListener("click", async () => { await call("DELETE", "/faults/" + f.id); faults(); });
      cell(tr, b);
    }, "No faults: every request is answered normally.");
  }

  async function journal() {
    const entries = (await call("GET", "/journal")).slice(-200).reverse();
    table($("journal"), ["Time", "Method", "Path", "Status", "Errors", "Idempotency key", "Company"], entries, (tr, e) => {
      if (e.status === 0 || e.status >= 400) tr.className = "error";
      cell(tr, new Date(e.time * 1000).toLocaleTimeString());
      cell(tr, e.method);
      cell(tr, e.path + (e.query ? "?" + e.query : ""));
      cell(tr, e.status === 0 ? "dropped" : e.status, "num");
      cell(tr, (e.errors || []).map((x) => x.code + ": " + x.message).join("; ") + (e.fault ? " [fault " + e.fault + "]" : ""));
      cell(tr, e.idempotency_key);
      cell(tr, e.tenant);
    }, "No requests yet.");
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
      table($("settings"), ["Setting", "Value"], settings, (tr, s) => { cell(tr, s.k); cell(tr, JSON.stringify(s.v)); });
      if (company) {
        const data = await call("GET", "/companies/" + encodeURIComponent(company));
        documents(data);
        table($("customers"), ["Identification", "Branch", "Name", "Type", "Active", "Contacts"], data.customers, (tr, c) => {
          cell(tr, c.identification); cell(tr, c.branch_office, "num"); cell(tr, c.name); cell(tr, c.type); cell(tr, c.active); cell(tr, c.contacts, "num");
        });
        table($("products"), ["Code", "Name", "Type", "Active", "Stock"], data.products, (tr, p) => {
          cell(tr, p.code); cell(tr, p.name); cell(tr, p.type); cell(tr, p.active); cell(tr, p.available_quantity, "num");
        });
        table($("deliveries"), ["When", "URL", "Event", "Status"], data.deliveries, (tr, d) => {
          cell(tr, d.time || d.sent_at || d.delivered_at || ""); cell(tr, d.url || ""); cell(tr, d.topic || d.event || "");
          cell(tr, d.status === undefined ? JSON.stringify(d) : d.status);
        }, "No webhook deliveries.");
        table($("outbox"), ["Sent", "Document", "To", "Reason"], data.outbox, (tr, m) => {
          cell(tr, m.sent_at); cell(tr, m.invoice_name || m.invoice_id); cell(tr, [m.to].concat(m.copy_to || []).join(", ")); cell(tr, m.reason);
        }, "No e-mails sent.");
      }
      await faults();
      await journal();
      say("updated " + new Date().toLocaleTimeString());
    } catch (e) { say(e.message); }
  }

  $("company").addEventListener("change", () => { company = $("company").value; load(); });
  $("refresh").addEventListener("click", load);
  $("reset-company").addEventListener("click", async () => {
    if (!company) return;
    await call("POST", "/companies/" + encodeURIComponent(company) + "/reset");
    say(company + " reset");
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
    try { await call("POST", "/faults", fault); say("fault added"); } catch (e) { say(e.message); }
    faults();
  });
  load();
})();
