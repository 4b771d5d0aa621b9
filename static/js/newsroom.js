// Courant newsroom enhancements. Every page works by plain form posts without this script;
// it only adds drag and drop, the live preview, autosave, the focal point picker and the wire
// desk's new items.
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
  const form = document.getElementById("editor-form");
  if (form) editor(form);

  function editor(form) {
    const csrf = form.querySelector('input[name="csrf"]').value;
    const versionInput = form.querySelector('input[name="version"]');
    const statusLine = document.getElementById("autosave-status");
    const frame = document.getElementById("live-preview");
    const autosaveUrl = form.dataset.autosave || "";
    const storeKey = "courant-draft:" + form.action;
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
      statusLine.textContent = text;
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

    form.addEventListener("input", () => {
      dirty = true;
      store.set();
      clearTimeout(previewTimer);
      previewTimer = setTimeout(preview, 600);
    });

    // Autosave: a quiet save every few seconds while there are changes.
    async function autosave(keepalive = false) {
      if (!autosaveOn || !dirty || inFlight) return;
      inFlight = true;
      dirty = false; // typing during the request marks the form dirty again
      try {
        const res = await fetch(autosaveUrl, {
          method: "POST", body: fields(), credentials: "same-origin", keepalive,
          headers: { "X-CSRF-Token": csrf, "Accept": "application/json" },
        });
        if (res.ok) {
          const saved = await res.json();
          versionInput.value = saved.version; // the next save builds on this one
          say("Saved at " + saved.saved_at, false);
          if (!dirty) store.clear();
        } else if (res.status === 409) {
          // Someone else saved meanwhile: stop, so nothing is overwritten; a normal save shows both.
          const body = await res.json().catch(() => ({}));
          say(body.message || "Someone else has saved this article. Save it to compare the two versions.", true);
          autosaveOn = false;
          dirty = true;
        } else {
          say("Not saved: the server answered " + res.status + ". Trying again shortly.", true);
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
      if (!autosaveOn || !dirty || !navigator.sendBeacon) return;
      if (navigator.sendBeacon(autosaveUrl, fields())) { dirty = false; beaconSent = true; }
    });
    // Back from the browser's page cache after a beacon: the version number here is stale, so
    // load the page afresh with what the beacon saved.
    window.addEventListener("pageshow", (e) => { if (e.persisted && beaconSent) location.reload(); });

    // Without autosave (new or published articles) the browser asks before leaving with changes.
    window.addEventListener("beforeunload", (e) => {
      if (dirty && !autosaveOn) { e.preventDefault(); e.returnValue = ""; }
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
