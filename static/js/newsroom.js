// Courant newsroom enhancements. Every page works by plain form posts without this script;
// it only adds drag and drop, the live preview, autosave (a new story's first one creates its
// draft), the checklist ticked as the writer types, the sources' filter and chips, the focal
// point picker and the wire desk's new items.
"use strict";

(() => {
  // ---------- 1. Drop zones: drag a file onto the box instead of using the file chooser ----------
  for (const zone of document.querySelectorAll(".dropzone")) {
    const input = zone.querySelector('input[type="file"]');
    if (!input) continue;
    const chosen = document.createElement("span");
    chosen.className = "dropzone-file";
    chosen.setAttribute("aria-live", "polite");
    zone.append(chosen);
    const showName = () => {
      chosen.textContent = input.files.length ? "Chosen: " + Array.from(input.files, (f) => f.name).join(", ") : "";
    };
    const over = (e) => { e.preventDefault(); zone.classList.add("over"); };
    zone.addEventListener("dragenter", over);
    zone.addEventListener("dragover", over);
    zone.addEventListener("dragleave", (e) => {
      // Moving onto a child element also fires dragleave; only react when leaving the zone.
      if (!zone.contains(e.relatedTarget)) zone.classList.remove("over");
    });
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      const files = e.dataTransfer && e.dataTransfer.files;
      if (!files || !files.length) return;
      if (input.multiple || files.length === 1) {
        input.files = files;
      } else {
        // A single-file input keeps only the first of several dropped files.
        const dt = new DataTransfer();
        dt.items.add(files[0]);
        input.files = dt.files;
      }
      showName();
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    input.addEventListener("change", showName);
  }

  // ---------- 2. Article editor ----------
  const sources = document.getElementById("source-picker");
  if (sources) sourcePicker(sources);
  const form = document.getElementById("editor-form");
  if (form) editor(form);

  function editor(form) {
    const csrf = form.querySelector('input[name="csrf"]').value;
    const versionInput = form.querySelector('input[name="version"]');
    const statusLine = document.getElementById("autosave-status");
    const frame = document.getElementById("live-preview");
    let autosaveUrl = form.dataset.autosave || "";
    // A new story has no draft yet: its first autosave creates one, and the form moves to it.
    let isNew = form.dataset.draft === "new";
    let storeKey = "courant-draft:" + form.action;
    const kept = ["headline", "standfirst", "body"];
    let autosaveOn = autosaveUrl !== "";
    let dirty = false;
    let inFlight = false;
    let pendingSubmit = null; // the button of a submit that waits for an autosave to finish
    let beaconSent = false;

    // The form's fields without the picture upload, which neither preview nor autosave needs.
    const fields = () => {
      const data = new FormData(form);
      data.delete("hero_file");
      return data;
    };
    const say = (text, isError) => {
      if (!statusLine) return;
      if (statusLine.textContent !== text) statusLine.textContent = text; // said once, not every 5 s
      statusLine.classList.toggle("error", Boolean(isError));
    };

    // Browser storage may be unavailable (private modes, quotas): then we simply do without it.
    const store = {
      get() { try { return JSON.parse(localStorage.getItem(storeKey) || "null"); } catch { return null; } },
      set() {
        const copy = {};
        for (const name of kept) copy[name] = form.elements[name] ? form.elements[name].value : "";
        try { localStorage.setItem(storeKey, JSON.stringify(copy)); } catch { /* ignore */ }
      },
      clear() { try { localStorage.removeItem(storeKey); } catch { /* ignore */ } },
    };

    // Live preview: the server renders the article page from the unsaved fields.
    let previewTimer = 0;
    let previewSeq = 0;
    async function preview() {
      if (!frame || !form.dataset.preview) return;
      const seq = ++previewSeq;
      try {
        const res = await fetch(form.dataset.preview, {
          method: "POST", body: fields(), credentials: "same-origin",
          headers: { "X-CSRF-Token": csrf, "X-Preview": "live" },
        });
        const html = await res.text();
        if (seq === previewSeq) frame.srcdoc = html; // a slower, older answer must not win
      } catch { /* offline: keep the last preview */ }
    }

    // Only the story's own fields count as edits: not the sources' filter, the related
    // finder, or the visual editor's inner fields (it reports its text through the body's
    // textarea). The form itself sends one after text is restored.
    const isEdit = (e) => e.target === form || Boolean(e.target.name);
    form.addEventListener("input", (e) => {
      if (!isEdit(e)) return;
      dirty = true;
      store.set();
      clearTimeout(previewTimer);
      previewTimer = setTimeout(preview, 600);
    });

    // The checklist "Before publishing", ticked again as the writer types: each item names
    // the field it reads ("data-check"); items the form cannot change stay as the server said.
    const checklist = document.getElementById("checklist");
    const filled = (name) => {
      for (const field of form.querySelectorAll('[name="' + CSS.escape(name) + '"]')) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.checked) return true;
        } else if (field.type === "file") {
          if (field.files && field.files.length) return true;
        } else if (field.value.trim() !== "") {
          return true;
        }
      }
      return false;
    };
    function recheck() {
      if (!checklist) return;
      for (const item of checklist.querySelectorAll("li[data-check]")) {
        const done = item.dataset.kept === "true" || filled(item.dataset.check);
        if (item.classList.contains("done") === done) continue;
        item.classList.toggle("done", done);
        item.classList.toggle("missing", !done);
        const state = item.querySelector(".check-state");
        if (state) state.textContent = done ? "Done:" : "Missing:";
      }
      const all = checklist.querySelectorAll("ul.checks > li").length;
      const missing = checklist.querySelectorAll("ul.checks > li.missing").length;
      const summary = document.getElementById("checklist-summary");
      const words = missing ? "Still needed: " + missing + " of " + all : "Ready to publish";
      if (summary && summary.textContent !== words) summary.textContent = words;
      checklist.classList.toggle("ready", missing === 0);
    }
    form.addEventListener("input", recheck);
    form.addEventListener("change", recheck);
    recheck(); // the browser may have kept values typed before going back to this page

    // The form becomes the draft a new story's first autosave created: its saves, autosaves
    // and previews go to the draft from now on, and the address is the draft's.
    function becomeDraft(saved) {
      isNew = false;
      delete form.dataset.draft;
      const oldPreview = form.dataset.preview;
      form.setAttribute("action", saved.edit_url);
      autosaveUrl = saved.autosave_url;
      form.dataset.autosave = saved.autosave_url;
      if (saved.preview_url) {
        form.dataset.preview = saved.preview_url;
        for (const button of form.querySelectorAll("[formaction]")) {
          if (button.getAttribute("formaction") === oldPreview) button.setAttribute("formaction", saved.preview_url);
        }
      }
      store.clear(); // the copy kept for "new article" moves to the draft's own key
      storeKey = "courant-draft:" + form.action;
      if (dirty) store.set();
      try { history.replaceState(history.state, "", saved.edit_url); } catch { /* ignore */ }
    }

    // Autosave: a quiet save every few seconds while there are changes. One request at a time,
    // so a new story's draft is created once: later saves wait for its answer.
    async function autosave(keepalive = false) {
      if (!autosaveOn || !dirty || inFlight) return;
      if (isNew && !(form.elements.headline && form.elements.headline.value.trim())) {
        say("Autosave starts once the story has a headline.", false);
        return;
      }
      inFlight = true;
      dirty = false; // typing during the request marks the form dirty again
      const creating = isNew;
      try {
        const res = await fetch(autosaveUrl, {
          method: "POST", body: fields(), credentials: "same-origin", keepalive,
          headers: { "X-CSRF-Token": csrf, "Accept": "application/json" },
        });
        if (res.ok) {
          const saved = await res.json();
          if (creating && saved.edit_url) becomeDraft(saved);
          versionInput.value = saved.version; // the next save builds on this one
          say((creating ? "Draft created, saved at " : "Saved at ") + saved.saved_at, false);
          if (!dirty) store.clear();
        } else if (res.status === 409) {
          // Someone else saved meanwhile: stop, so nothing is overwritten; a normal save shows both.
          const body = await res.json().catch(() => ({}));
          say(body.message || "Someone else has saved this article. Save it to compare the two versions.", true);
          autosaveOn = false;
          dirty = true;
        } else {
          const body = await res.json().catch(() => ({}));
          const why = body.message || "the server answered " + res.status + ".";
          say("Not saved: " + why + " Trying again shortly.", true);
          dirty = true;
        }
      } catch {
        say("Not saved: the connection failed. Trying again shortly.", true);
        dirty = true;
      } finally {
        inFlight = false;
        if (pendingSubmit !== null) {
          const button = pendingSubmit;
          pendingSubmit = null;
          form.requestSubmit(button || undefined);
        }
      }
    }
    if (autosaveOn) setInterval(autosave, 5000);

    // Nothing lost when the tab is hidden or closed. A hidden tab may come back, so it saves
    // with fetch (keepalive) and learns the new version; a closing page can only send a beacon.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") autosave(true);
    });
    window.addEventListener("pagehide", () => {
      // A story without its draft yet is not sent blind: the answer naming the draft could
      // not be read, and a second draft might follow. The browser asks before leaving instead.
      if (!autosaveOn || !dirty || isNew || !navigator.sendBeacon) return;
      if (navigator.sendBeacon(autosaveUrl, fields())) { dirty = false; beaconSent = true; }
    });
    // Back from the browser's page cache after a beacon: the version number here is stale, so
    // load the page afresh with what the beacon saved.
    window.addEventListener("pageshow", (e) => { if (e.persisted && beaconSent) location.reload(); });

    // Without autosave (published articles), or before a new story's draft exists, the
    // browser asks before leaving with changes.
    window.addEventListener("beforeunload", (e) => {
      if (dirty && (!autosaveOn || isNew)) { e.preventDefault(); e.returnValue = ""; }
    });

    form.addEventListener("submit", (e) => {
      const button = e.submitter;
      if (button && button.value === "preview") return; // opens a tab; the text is not saved
      if (inFlight) {
        // Let the running autosave finish first, so this save carries the newest version number.
        e.preventDefault();
        pendingSubmit = button || false;
        return;
      }
      dirty = false;
      autosaveOn = false;
      store.clear();
    });

    // Text kept in this browser from a visit that ended before it was saved.
    const stored = store.get();
    if (stored && kept.some((n) => form.elements[n] && (stored[n] || "") !== form.elements[n].value)) {
      offerRestore(stored);
    } else if (stored) {
      store.clear();
    }

    function offerRestore(stored) {
      const bar = document.createElement("div");
      bar.className = "restore-bar";
      bar.setAttribute("role", "status");
      const text = document.createElement("p");
      text.textContent = "Unsaved text from your last visit was found";
      const button = (label, action) => {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = label;
        b.addEventListener("click", action);
        return b;
      };
      const restore = button("Restore it", () => {
        for (const name of kept) if (form.elements[name]) form.elements[name].value = stored[name] || "";
        // The visual editor, if on, shows the body restored.
        if (form.elements.body) form.elements.body.dispatchEvent(new Event("courant:replace"));
        bar.remove();
        form.dispatchEvent(new Event("input")); // counts as an edit: dirty, stored, previewed
        form.elements.headline.focus();
      });
      const discard = button("Discard", () => { store.clear(); bar.remove(); });
      bar.append(text, restore, discard);
      form.before(bar);
    }

    preview();
  }

  // ---------- 2b. Sources: a filter over the registry, and the chosen ones as chips ----------
  // Without the script every source is a checkbox in columns. With it, the chosen sources
  // show above as chips (each with a remove button), and a filter hides the sources that do
  // not match and are not chosen. The checkboxes stay the form's fields: nothing else is sent.
  function sourcePicker(fieldset) {
    const list = fieldset.querySelector(".choice-list");
    const legend = fieldset.querySelector("legend");
    if (!list || !legend) return;
    // Letters without their accents, in lower case: "Reuters" is found by "reu", "Agência" by "agencia".
    const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    const items = [];
    for (const li of list.querySelectorAll("li")) {
      const box = li.querySelector('input[type="checkbox"]');
      if (!box) continue;
      const name = li.dataset.name || li.textContent.trim();
      items.push({ li, box, name, key: fold(name + " " + (li.dataset.kind || "")) });
    }
    const make = (tag, attrs, text) => {
      const el = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
      if (text) el.textContent = text;
      return el;
    };

    const title = make("p", { class: "chosen-title", id: "source-chosen-title" }, "Chosen sources");
    const chips = make("ul", { class: "chips", id: "source-chosen", "aria-labelledby": "source-chosen-title" });
    const none = make("p", { class: "chips-empty" }, "None chosen yet.");
    const field = make("div", { class: "field source-filter" });
    const filter = make("input", {
      type: "search", id: "f-source-find", autocomplete: "off", spellcheck: "false",
      "aria-controls": list.id || "source-list", "aria-describedby": "f-source-find-help",
    });
    field.append(
      make("label", { for: "f-source-find" }, "Find a source"),
      filter,
      make("p", { class: "help", id: "f-source-find-help" }, "Type part of a name; Enter chooses the first source shown."),
    );
    const noMatch = make("p", { class: "help source-none", role: "status" }, "No source matches: add it under “Other sources” below.");
    noMatch.hidden = true;
    legend.after(title, chips, none, field);
    list.after(noMatch);
    fieldset.classList.add("enhanced");

    // Tell the form a box changed, as a click on it does: autosave, preview and checklist follow.
    const changed = (box) => {
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
    };
    function showChosen() {
      chips.replaceChildren();
      for (const it of items) {
        if (!it.box.checked) continue;
        const remove = make("button", { type: "button", "aria-label": "Remove " + it.name, title: "Remove " + it.name }, "×");
        remove.addEventListener("click", () => {
          const at = [...chips.querySelectorAll("button")].indexOf(remove);
          it.box.checked = false;
          changed(it.box);
          // Focus stays among the chips (the next one), or goes to the filter when none is left.
          const left = chips.querySelectorAll("button");
          (left[Math.min(at, left.length - 1)] || filter).focus();
        });
        const chip = make("li");
        chip.append(make("span", {}, it.name), remove);
        chips.append(chip);
      }
      none.hidden = chips.children.length > 0;
    }
    function applyFilter() {
      const q = fold(filter.value.trim());
      let shown = 0;
      for (const it of items) {
        const matches = q === "" || it.key.includes(q);
        it.li.hidden = !matches && !it.box.checked; // a chosen source never hides
        if (matches && !it.box.checked) shown += 1;
      }
      noMatch.hidden = q === "" || shown > 0;
    }
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        // Enter chooses the first source shown instead of sending the editor.
        e.preventDefault();
        const first = items.find((it) => !it.li.hidden && !it.box.checked);
        if (first && filter.value.trim() !== "") {
          first.box.checked = true;
          changed(first.box);
          filter.value = "";
          applyFilter();
        }
      } else if (e.key === "Escape" && filter.value !== "") {
        e.preventDefault();
        filter.value = "";
        applyFilter();
      }
    });
    list.addEventListener("change", () => { showChosen(); applyFilter(); });
    showChosen();
  }

  // ---------- 3. Finding related articles by headline ----------
  const finder = document.getElementById("f-related-find");
  const related = document.getElementById("f-related");
  const found = document.getElementById("related-found");
  if (finder && related && found) {
    let timer = null;
    const pin = (id) => {
      const lines = related.value.split("\n").map((l) => l.trim()).filter((l) => l !== "");
      if (!lines.includes(String(id))) lines.push(String(id));
      related.value = lines.join("\n");
      related.dispatchEvent(new Event("input", { bubbles: true }));
    };
    const search = async () => {
      const q = finder.value.trim();
      found.replaceChildren();
      if (q.length < 2) return;
      const res = await fetch(finder.dataset.lookup + "?q=" + encodeURIComponent(q)).catch(() => null);
      if (!res || !res.ok) return;
      for (const a of await res.json()) {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = "Pin";
        button.addEventListener("click", () => pin(a.id));
        li.append(button, " " + a.headline);
        found.append(li);
      }
    };
    finder.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 300); });
    // Enter searches at once instead of submitting the editor.
    finder.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); search(); } });
  }

  // ---------- 4. Focal point picker: click the picture instead of typing percentages ----------
  const picker = document.getElementById("focal-picker");
  if (picker) {
    const img = picker.querySelector("img");
    const marker = picker.querySelector(".focal-marker");
    const fx = document.getElementById("f-focal-x");
    const fy = document.getElementById("f-focal-y");
    const place = (x, y) => {
      marker.style.left = x + "%";
      marker.style.top = y + "%";
      marker.hidden = false;
    };
    // Set the position from script too, in case a security policy blocks the inline style.
    if (marker.dataset.x && marker.dataset.y) place(marker.dataset.x, marker.dataset.y);
    if (img && fx && fy) {
      img.style.cursor = "crosshair";
      const percent = (offset, size) => Math.min(100, Math.max(0, Math.round((offset / size) * 1000) / 10));
      img.addEventListener("click", (e) => {
        const box = img.getBoundingClientRect();
        const x = percent(e.clientX - box.left, box.width);
        const y = percent(e.clientY - box.top, box.height);
        fx.value = x;
        fy.value = y;
        place(x, y);
      });
      // Typed values move the marker as well.
      const typed = () => { if (fx.value !== "" && fy.value !== "") place(fx.value, fy.value); };
      fx.addEventListener("input", typed);
      fy.addEventListener("input", typed);
    }
  }

  // ---------- 5. Wire desk: new items appear at the top as they come in ----------
  const desk = document.getElementById("wire-desk");
  if (desk && desk.dataset.rows) wireDesk(desk);

  function wireDesk(desk) {
    const note = document.getElementById("wire-new");
    let arrived = 0;
    const since = desk.dataset.since;
    const say = (text, reload) => {
      note.textContent = text;
      if (reload) {
        const a = document.createElement("a");
        a.href = location.href;
        a.textContent = "Show them";
        note.append(" ", a);
      }
      note.hidden = false;
    };
    const poll = async () => {
      const url = new URL(desk.dataset.rows, location.href);
      const top = desk.querySelector("tbody tr[data-at]");
      url.searchParams.set("after", top ? top.dataset.at : since);
      let html;
      try {
        const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
        // Logged out, or the server restarting: the next poll tries again.
        if (!res.ok) return;
        html = await res.text();
      } catch (e) {
        return;
      }
      const parsed = document.createElement("template");
      parsed.innerHTML = "<table><tbody>" + html + "</tbody></table>";
      // Times are kept to the second: rows of the newest second come again, and are skipped
      // when the desk shows them as they are.
      const shown = (row) => {
        const old = desk.querySelector('tbody tr[data-item="' + row.dataset.item + '"]');
        return old && old.dataset.at === row.dataset.at;
      };
      const rows = [...parsed.content.querySelectorAll("tr[data-item]")].filter((row) => !shown(row));
      if (!rows.length) return;
      arrived += rows.length;
      const body = desk.querySelector("tbody");
      const words = arrived === 1 ? "1 new item" : arrived + " new items";
      if (!body) {
        // The desk was empty: no table to add to yet; a reload shows them.
        clearInterval(timer);
        say(words + " came in.", true);
        return;
      }
      // Oldest first, each on top: the newest ends first. A newer version of an item on the
      // desk replaces its row and keeps its tick.
      for (const row of rows.reverse()) {
        const old = body.querySelector('tr[data-item="' + row.dataset.item + '"]');
        if (old) {
          const ticked = old.querySelector('input[type="checkbox"]');
          const tick = row.querySelector('input[type="checkbox"]');
          if (ticked && tick) tick.checked = ticked.checked;
          old.remove();
        }
        row.classList.add("wire-fresh");
        body.prepend(row);
      }
      say(words + " since you opened the desk, marked at the top.", rows.length >= 50);
    };
    const timer = setInterval(poll, (Number(desk.dataset.every) || 10) * 1000);
  }
})();
