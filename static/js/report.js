/* The monthly report form on a phone (stations/report_edit.html): running totals, every
   error listed at once (GOV.UK's error summary), a confirmation of what will be submitted,
   and a draft kept on the phone (IndexedDB, through idb) that is saved to the server when
   the connection is there, version-checked, with conflicts resolved by the worker.
   Plain script, no framework; the page works without it (the server checks everything). */
(function () {
  "use strict";

  const form = document.getElementById("report-form");
  if (!form) return;
  const config = JSON.parse(document.getElementById("report-draft-config").textContent);
  const text = JSON.parse(document.getElementById("report-text").textContent);
  const $ = (id) => document.getElementById(id);
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));

  const fields = Array.from(form.querySelectorAll("[name^='c_'], [name=volunteers], [name=narrative]"));
  const byName = Object.fromEntries(fields.map((field) => [field.name, field]));
  const cells = fields.filter((field) => field.dataset.area);
  const summary = $("error-summary");
  const badge = $("sync-badge");
  const status = $("sync-status");

  // --- values -------------------------------------------------------------------------

  /** A count as typed ("12", "１２", " 3 ") -> a number; "" -> 0; anything else -> NaN. */
  function count(raw) {
    const value = String(raw ?? "")
      .trim()
      .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (value === "") return 0;
    return /^\d+$/.test(value) ? Number(value) : NaN;
  }

  /** What the form holds, as the draft and the sync endpoint carry it. */
  function current() {
    const values = {};
    fields.forEach((field) => (values[field.name] = field.value));
    return values;
  }

  /** Whether two values of a field mean the same (0 and "" are the same count). */
  function same(name, a, b) {
    if (name === "narrative") return String(a ?? "") === String(b ?? "");
    const x = count(a);
    const y = count(b);
    return Number.isNaN(x) || Number.isNaN(y) ? String(a ?? "").trim() === String(b ?? "").trim() : x === y;
  }

  function sameValues(a, b) {
    return fields.every((field) => same(field.name, a[field.name], b[field.name]));
  }

  function labelOf(field) {
    const label = form.querySelector(`label[for="${field.id}"]`);
    return label ? label.textContent.trim() : field.name;
  }

  // --- running totals -----------------------------------------------------------------

  function totals() {
    const areas = {};
    let n = 0;
    let p = 0;
    cells.forEach((field) => {
      const value = count(field.value);
      if (Number.isNaN(value)) return;
      const area = (areas[field.dataset.area] ||= { n: 0, p: 0 });
      area[field.dataset.part] += value;
      if (field.dataset.part === "n") n += value;
      else p += value;
    });
    return { areas, n, p };
  }

  function showTotals() {
    const sums = totals();
    document.querySelectorAll("[data-area-total]").forEach((element) => {
      const area = sums.areas[element.dataset.areaTotal] || { n: 0, p: 0 };
      element.textContent = fill(text.areaTotal, area);
    });
    $("report-total").textContent = fill(text.total, sums);
    return sums;
  }

  // --- validation and the error summary ----------------------------------------------

  /** The server's rules, for an answer while typing (the server checks them again). */
  function validate(forSubmit) {
    const errors = [];
    let activities = 0;
    form.querySelectorAll("fieldset[data-cell]").forEach((fieldset) => {
      const [nField, pField] = fieldset.querySelectorAll("input");
      const n = count(nField.value);
      const p = count(pField.value);
      [nField, pField].forEach((field) => {
        if (Number.isNaN(count(field.value))) {
          errors.push({ field: field.name, message: fill(text.notInteger, { label: labelOf(field) }) });
        }
      });
      if (Number.isNaN(n) || Number.isNaN(p)) return;
      activities += n;
      const cell = fieldset.dataset.cell;
      if (p < n) errors.push({ field: pField.name, message: fill(text.fewer, { cell, n, p }) });
      else if (n === 0 && p > 0) errors.push({ field: nField.name, message: fill(text.noActivities, { cell }) });
    });
    if (Number.isNaN(count(byName.volunteers.value))) {
      errors.push({ field: "volunteers", message: fill(text.notInteger, { label: labelOf(byName.volunteers) }) });
    }
    if (forSubmit) {
      if (activities === 0 && !errors.length) errors.unshift({ field: "", message: text.empty });
      if (byName.narrative.value.trim().length < 10) errors.push({ field: "narrative", message: text.narrative });
    }
    return errors;
  }

  function focusField(field) {
    const area = field.closest("details");
    if (area) area.open = true;
    field.focus();
    field.scrollIntoView({ block: "center" });
  }

  function clearErrors() {
    fields.forEach((field) => {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
      const message = $(`${field.id}_error`);
      if (message) message.textContent = "";
    });
    document.querySelectorAll("[data-area-errors]").forEach((badge) => (badge.hidden = true));
  }

  /** List every error at the top, each linked to its cell; mark the cells; focus the list. */
  function showErrors(errors) {
    clearErrors();
    const list = $("error-summary-list");
    list.replaceChildren();
    summary.hidden = errors.length === 0;
    if (!errors.length) return;
    const perArea = {};
    errors.forEach(({ field: name, message }) => {
      const item = document.createElement("li");
      const field = byName[name];
      if (field) {
        const link = document.createElement("a");
        link.href = `#${field.id}`;
        link.textContent = message;
        item.append(link);
        field.classList.add("is-invalid");
        field.setAttribute("aria-invalid", "true");
        const beside = $(`${field.id}_error`);
        if (beside) beside.textContent = [beside.textContent, message].filter(Boolean).join(" ");
        if (field.dataset.area) perArea[field.dataset.area] = (perArea[field.dataset.area] || 0) + 1;
      } else {
        item.textContent = message;
      }
      list.append(item);
    });
    Object.entries(perArea).forEach(([area, number]) => {
      const element = document.querySelector(`#area-${area} [data-area-errors]`);
      element.textContent = fill(text.areaErrors, { count: number });
      element.hidden = false;
    });
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      focusField(field);
    }
  });

  // --- the draft on the phone ---------------------------------------------------------

  const storage =
    window.idb && window.indexedDB
      ? window.idb.openDB("association-report-drafts", 1, {
          upgrade(db) {
            db.createObjectStore("drafts", { keyPath: "report" });
          },
        })
      : null;
  let writes = Promise.resolve();

  async function readDraft() {
    if (!storage) return null;
    const draft = await (await storage).get("drafts", config.report);
    return draft && draft.user === config.user ? draft : null;
  }

  /** Written in order, each with strict durability: on disk before the next keystroke's. */
  function writeDraft(draft) {
    writes = writes.then(async () => {
      if (!storage) return;
      const tx = (await storage).transaction("drafts", "readwrite", { durability: "strict" });
      await Promise.all([draft ? tx.store.put(draft) : tx.store.delete(config.report), tx.done]);
    });
    return writes;
  }

  let draft = null; // {report, user, base: {version, values}, values, savedAt}

  function markUnsynced(unsynced, message) {
    badge.hidden = !unsynced;
    if (message !== undefined) status.textContent = message;
  }

  function keep() {
    draft ||= { report: config.report, user: config.user, base: { version: config.version, values: config.values } };
    draft.values = current();
    draft.savedAt = Date.now();
    markUnsynced(true, navigator.onLine ? text.unsynced : text.offline);
    return writeDraft(draft);
  }

  // A count is replaced, not appended to ("0" then "28" makes 28, not 028).
  form.addEventListener("focusin", (event) => {
    if (event.target.inputMode === "numeric") event.target.select();
  });

  form.addEventListener("input", () => {
    showTotals();
    keep();
  });

  function apply(values) {
    Object.entries(values).forEach(([name, value]) => {
      if (byName[name]) byName[name].value = value ?? "";
    });
    showTotals();
  }

  // --- saving to the server -----------------------------------------------------------

  let syncing = null;

  function csrfToken() {
    return form.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  /** Save the draft through the version-checked endpoint: "ok", "none" (nothing to save),
      "offline", "conflict", "invalid" or "failed". One at a time. */
  function sync() {
    syncing ||= doSync().finally(() => (syncing = null));
    return syncing;
  }

  async function doSync() {
    await writes;
    if (!draft) return "none";
    const sent = draft.values;
    status.textContent = text.syncing;
    let response;
    try {
      response = await fetch(config.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify({ version: draft.base.version, values: sent }),
      });
    } catch (error) {
      markUnsynced(true, text.offline);
      return "offline";
    }
    const json = (response.headers.get("Content-Type") || "").includes("application/json");
    if (response.redirected || (response.ok && !json)) {
      markUnsynced(true, text.login);
      return "failed";
    }
    if (response.status === 200) {
      const data = await response.json();
      config.version = data.version;
      config.values = sent;
      if (sameValues(draft.values, sent)) {
        draft = null;
        await writeDraft(null);
      } else {
        draft.base = { version: data.version, values: sent }; // typed on while it was sent
        await writeDraft(draft);
      }
      showErrors([]);
      keepPage(); // the copy for offline use shows what the server now has
      const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      markUnsynced(Boolean(draft), fill(text.synced, { time }));
      return "ok";
    }
    if (response.status === 409) {
      showConflict(await response.json());
      markUnsynced(true, text.conflict);
      return "conflict";
    }
    if (response.status === 400) {
      showErrors((await response.json()).errors);
      markUnsynced(true, text.invalid);
      return "invalid";
    }
    markUnsynced(true, response.status === 403 || response.status === 404 ? text.denied : text.failed);
    return "failed";
  }

  // --- conflicts ----------------------------------------------------------------------

  const conflictBox = $("conflict");
  let conflict = null; // the server's answer, with the fields to choose

  function shown(name, value) {
    return value === "" || value === null || value === undefined ? text.blank : String(value);
  }

  function showConflict(server) {
    conflictBox.hidden = false;
    const rows = $("conflict-rows");
    rows.replaceChildren();
    const locked = $("conflict-locked");
    if (!server.editable) {
      conflict = null;
      locked.textContent = fill(text.notEditable, { status: server.status_label });
      locked.hidden = false;
      $("conflict-intro").hidden = true;
      $("conflict-apply").hidden = true;
      conflictBox.focus();
      return;
    }
    locked.hidden = true;
    $("conflict-intro").hidden = false;
    $("conflict-apply").hidden = false;
    // A field is in conflict when the server changed it since the draft's base and the
    // phone holds something else; what only the phone changed is kept as typed.
    const names = fields
      .map((field) => field.name)
      .filter(
        (name) =>
          !same(name, server.values[name], draft.values[name]) &&
          !same(name, server.values[name], draft.base.values[name]),
      );
    conflict = { server, names };
    if (!names.length) {
      resolve(); // nothing the server changed is lost: save the phone's values on its version
      return;
    }
    names.forEach((name, index) => {
      const fieldset = document.createElement("fieldset");
      fieldset.className = "mb-2";
      const legend = document.createElement("legend");
      legend.className = "fs-6 fw-semibold mb-1";
      legend.textContent = labelOf(byName[name]);
      fieldset.append(legend);
      [
        ["mine", draft.values[name]],
        ["theirs", server.values[name]],
      ].forEach(([which, value]) => {
        const wrap = document.createElement("div");
        wrap.className = "form-check";
        const input = document.createElement("input");
        Object.assign(input, { type: "radio", className: "form-check-input", name: `conflict-${name}`, value: which });
        input.id = `conflict-${index}-${which}`;
        const label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = input.id;
        label.textContent = fill(text[which], { value: shown(name, value) });
        wrap.append(input, label);
        fieldset.append(wrap);
      });
      rows.append(fieldset);
    });
    conflictBox.focus();
    conflictBox.scrollIntoView({ block: "start" });
  }

  function resolve() {
    const { server, names } = conflict;
    const values = { ...draft.values };
    for (const name of names) {
      const choice = conflictBox.querySelector(`input[name="conflict-${name}"]:checked`);
      if (!choice) {
        status.textContent = text.chooseAll;
        return;
      }
      if (choice.value === "theirs") values[name] = server.values[name] ?? "";
    }
    apply(values);
    draft.values = current();
    draft.base = { version: server.version, values: server.values };
    conflict = null;
    conflictBox.hidden = true;
    writeDraft(draft).then(sync);
  }

  $("conflict-apply").addEventListener("click", () => conflict && resolve());
  $("conflict-discard").addEventListener("click", async () => {
    if (!window.confirm(text.discardConfirm)) return;
    draft = null;
    await writeDraft(null);
    window.location.reload();
  });

  // --- save, submit, confirm ----------------------------------------------------------

  const dialog = $("confirm-submit");
  let confirmed = false;

  function openConfirm() {
    const sums = totals();
    const body = $("confirm-table").querySelector("tbody");
    body.replaceChildren();
    form.querySelectorAll("details[data-area]").forEach((area) => {
      const sum = sums.areas[area.dataset.area] || { n: 0, p: 0 };
      const row = body.insertRow();
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = area.querySelector("summary .fw-semibold").textContent;
      row.append(name);
      [sum.n, sum.p].forEach((value) => {
        const cell = row.insertCell();
        cell.className = "text-end";
        cell.textContent = value;
      });
    });
    $("confirm-n").textContent = sums.n;
    $("confirm-p").textContent = sums.p;
    $("confirm-volunteers").textContent = fill(text.volunteers, { n: count(byName.volunteers.value) });
    dialog.showModal();
    $("confirm-button").focus();
  }

  $("confirm-cancel").addEventListener("click", () => dialog.close());

  form.addEventListener("submit", async (event) => {
    if (confirmed) return; // the confirmed submission goes to the server as a form
    event.preventDefault();
    const submitter = event.submitter;
    const submitting = Boolean(submitter && submitter.name === "submit");
    const errors = validate(submitting);
    showErrors(errors);
    if (errors.length) {
      if (dialog.open) dialog.close();
      return;
    }
    await keep();
    if (!navigator.onLine) {
      if (dialog.open) dialog.close();
      status.textContent = submitting ? text.offlineSubmit : text.offline;
      return;
    }
    const result = await sync();
    if (result !== "ok" && result !== "none") {
      if (dialog.open) dialog.close();
      return;
    }
    if (!submitting) return; // saved: stay on the form
    if (submitter.id !== "confirm-button") {
      openConfirm();
      return;
    }
    confirmed = true;
    form.requestSubmit(submitter);
  });

  // --- on load ------------------------------------------------------------------------

  window.addEventListener("online", () => draft && sync());
  window.addEventListener("offline", () => draft && markUnsynced(true, text.offline));

  async function start() {
    showTotals();
    if (!summary.hidden) {
      summary.focus(); // the server's errors
    }
    try {
      draft = await readDraft();
    } catch (error) {
      draft = null;
    }
    if (draft && sameValues(draft.values, config.values)) {
      draft = null; // already on the server
      await writeDraft(null);
    }
    if (draft) {
      apply(draft.values);
      markUnsynced(true, navigator.onLine ? text.unsynced : text.offline);
      if (navigator.onLine) sync();
    }
  }

  start();

  // The service worker keeps this page and its files for use without a connection.
  function keepPage() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then((registration) =>
      registration.active.postMessage({ type: "keep-page", url: window.location.pathname }),
    );
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.swUrl).then(keepPage).catch(() => {});
  }
})();
