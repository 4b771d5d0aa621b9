// The newsroom's visual editor. It takes over a body field (`textarea[data-editor=visual]`):
// the writer edits paragraphs, subheadings, quotes with their attribution, lists, links,
// pictures from the library and "Also read" places; the field keeps the Markdown the site
// stores, rewritten after every change (and sent with the form as before). Without
// JavaScript, or with Markdown the editor cannot show, the field stays a plain text field.

import { EditorState, Plugin, NodeSelection, TextSelection } from "prosemirror-state";
import { EditorView, Decoration, DecorationSet } from "prosemirror-view";
import { keymap } from "prosemirror-keymap";
import { history, undo, redo } from "prosemirror-history";
import { baseKeymap, toggleMark, setBlockType, wrapIn, lift, chainCommands, exitCode } from "prosemirror-commands";
import { wrapInList, splitListItem, liftListItem, sinkListItem } from "prosemirror-schema-list";
import { inputRules, wrappingInputRule, textblockTypeInputRule } from "prosemirror-inputrules";
import { dropCursor } from "prosemirror-dropcursor";
import { gapCursor } from "prosemirror-gapcursor";
import { schema, shownSrc, safeHref } from "./schema.js";
import { parse, serialize, unsupported } from "./markdown.js";

const n = schema.nodes;
const m = schema.marks;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) e.append(c);
  return e;
}

// ---- Commands -------------------------------------------------------------------------

// Makes the selection a quote, with an attribution line to fill in at its end.
function quote(state, dispatch) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) {
    if ($from.node(d).type === n.blockquote) return lift(state, dispatch);
  }
  if (!wrapIn(n.blockquote)(state)) return false;
  if (dispatch) {
    wrapIn(n.blockquote)(state, (tr) => {
      const $pos = tr.doc.resolve(tr.mapping.map(state.selection.from));
      for (let d = $pos.depth; d > 0; d--) {
        if ($pos.node(d).type === n.blockquote) {
          const end = $pos.end(d);
          if ($pos.node(d).lastChild.type !== n.attribution) tr.insert(end, n.attribution.create());
          break;
        }
      }
      dispatch(tr.scrollIntoView());
    });
  }
  return true;
}

function insertBlock(node) {
  return (state, dispatch) => {
    const { $from } = state.selection;
    // Only between the body's own blocks: never inside a quote or a list.
    const top = $from.depth >= 1 ? $from.after(1) : state.doc.content.size;
    if (dispatch) {
      const tr = state.tr.insert(top, node);
      let after = top + node.nodeSize;
      if (after >= tr.doc.content.size) {
        tr.insert(after, n.paragraph.create());
      }
      tr.setSelection(TextSelection.near(tr.doc.resolve(Math.min(after + 1, tr.doc.content.size))));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

function isMarkActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

function blockIs(state, type, attrs) {
  const { $from } = state.selection;
  const parent = $from.parent;
  if (parent.type !== type) return false;
  return !attrs || Object.entries(attrs).every(([k, v]) => parent.attrs[k] === v);
}

function inside(state, type) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) if ($from.node(d).type === type) return true;
  return false;
}

// ---- Pieces of the document shown as forms ---------------------------------------------

// A picture: its caption and alt text are edited in place.
class FigureView {
  constructor(node, view, getPos) {
    this.node = node;
    this.view = view;
    this.getPos = getPos;
    const id = "pic-" + Math.random().toString(36).slice(2, 9);
    this.img = el("img", { src: shownSrc(node.attrs.src), alt: node.attrs.alt });
    this.caption = el("input", { type: "text", id: id + "-caption", value: node.attrs.caption });
    this.alt = el("input", { type: "text", id: id + "-alt", value: node.attrs.alt });
    for (const [input, attr] of [[this.caption, "caption"], [this.alt, "alt"]]) {
      input.addEventListener("change", () => this.set(attr, input.value));
      // Enter keeps the text and goes back to the story; it never sends the form.
      input.addEventListener("keydown", (e) => {
        if (e.key !== "Enter") return;
        e.preventDefault();
        this.set(attr, input.value);
        this.view.focus();
      });
    }
    this.dom = el(
      "figure",
      { class: "picture", contenteditable: "false" },
      this.img,
      el("div", { class: "picture-fields" },
        el("label", { for: id + "-caption" }, "Caption"), this.caption,
        el("label", { for: id + "-alt" }, "Description (alt text)"), this.alt,
        el("button", { type: "button", class: "link-button", onclick: () => this.remove() }, "Remove picture")),
    );
  }
  set(attr, value) {
    const pos = this.getPos();
    if (pos === undefined) return;
    this.view.dispatch(this.view.state.tr.setNodeMarkup(pos, null, { ...this.node.attrs, [attr]: value }));
  }
  remove() {
    const pos = this.getPos();
    if (pos === undefined) return;
    this.view.dispatch(this.view.state.tr.delete(pos, pos + this.node.nodeSize));
    this.view.focus();
  }
  update(node) {
    if (node.type !== this.node.type) return false;
    this.node = node;
    if (this.img.getAttribute("src") !== shownSrc(node.attrs.src)) this.img.src = shownSrc(node.attrs.src);
    this.img.alt = node.attrs.alt;
    if (document.activeElement !== this.caption) this.caption.value = node.attrs.caption;
    if (document.activeElement !== this.alt) this.alt.value = node.attrs.alt;
    return true;
  }
  stopEvent(event) {
    return event.target instanceof HTMLInputElement || event.target instanceof HTMLButtonElement;
  }
  ignoreMutation() {
    return true;
  }
  selectNode() {
    this.dom.classList.add("selected");
  }
  deselectNode() {
    this.dom.classList.remove("selected");
  }
}

// Empty attributions and an empty body say what goes in them.
const placeholders = new Plugin({
  props: {
    decorations(state) {
      const found = [];
      state.doc.descendants((node, pos) => {
        if (node.type === n.attribution && node.content.size === 0) {
          found.push(Decoration.node(pos, pos + node.nodeSize, { class: "empty", "data-placeholder": "Who said it: name, role" }));
        }
      });
      if (state.doc.childCount === 1 && state.doc.firstChild.type === n.paragraph && state.doc.firstChild.content.size === 0) {
        found.push(Decoration.node(0, state.doc.firstChild.nodeSize, { class: "empty", "data-placeholder": "Write the story here" }));
      }
      return DecorationSet.create(state.doc, found);
    },
  },
});

// ---- The editor -----------------------------------------------------------------------

class VisualEditor {
  constructor(textarea) {
    this.textarea = textarea;
    this.field = textarea.closest(".field") || textarea.parentElement;
    this.label = this.field.querySelector(`label[for="${textarea.id}"]`);
    this.help = document.getElementById(textarea.id + "-help");
    this.markdownHelp = this.help ? this.help.textContent : "";
    this.picturesUrl = textarea.dataset.pictures;
    this.alsoRead = textarea.dataset.alsoRead !== "false";
    this.buttons = [];

    this.toolbar = el("div", { class: "pm-toolbar", role: "toolbar", "aria-label": "Text formatting", "aria-controls": textarea.id + "-visual" });
    this.surface = el("div", { class: "pm-surface" });
    this.notice = el("p", { class: "pm-notice", role: "status", hidden: true });
    this.linkBar = this.makeLinkBar();
    this.chooser = this.picturesUrl ? this.makeChooser() : null;
    this.modeButton = el("button", { type: "button", class: "link-button pm-mode", onclick: () => this.toggleMode() }, "Edit as Markdown");
    this.box = el("div", { class: "pm-editor" }, this.toolbar, this.linkBar, ...(this.chooser ? [this.chooser] : []), this.surface);
    this.field.insertBefore(this.box, textarea);
    this.field.insertBefore(this.notice, textarea);
    (this.help || textarea).after(this.modeButton);
    this.makeButtons();

    this.label.addEventListener("click", (e) => {
      if (this.visual) {
        e.preventDefault();
        this.view.focus();
      }
    });
    // Another script replaced the text (a draft restored from the browser's storage).
    textarea.addEventListener("courant:replace", () => {
      if (!this.visual) return;
      const why = unsupported(textarea.value);
      if (why) {
        this.toggleMode();
        this.showNotice(`This text holds ${why}, which the visual editor cannot show: edit it as Markdown.`);
      } else {
        this.view.updateState(this.newState(textarea.value));
        this.refresh();
      }
    });

    const reason = unsupported(textarea.value);
    if (reason) {
      this.showNotice(`This text holds ${reason}, which the visual editor cannot show: edit it as Markdown.`);
      this.visual = false;
      this.modeButton.hidden = true;
      this.box.hidden = true;
      return;
    }
    this.start();
  }

  start() {
    this.view = new EditorView(this.surface, {
      state: this.newState(this.textarea.value),
      nodeViews: { figure: (node, view, getPos) => new FigureView(node, view, getPos) },
      attributes: {
        id: this.textarea.id + "-visual",
        class: "pm-content article-body",
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": this.labelId(),
        ...(this.help ? { "aria-describedby": this.help.id } : {}),
        spellcheck: "true",
      },
      dispatchTransaction: (tr) => {
        const state = this.view.state.apply(tr);
        this.view.updateState(state);
        if (tr.docChanged) this.write();
        this.refresh();
      },
    });
    this.visual = true;
    this.textarea.hidden = true;
    this.box.hidden = false;
    if (this.help) this.help.textContent = "Use the buttons above (or ## , > and - at the start of a line). Quotes end with who said it; pictures come from the library.";
    this.modeButton.textContent = "Edit as Markdown";
    this.refresh();
  }

  labelId() {
    if (!this.label.id) this.label.id = this.textarea.id + "-label";
    return this.label.id;
  }

  newState(markdown) {
    return EditorState.create({
      doc: parse(markdown),
      plugins: [
        inputRules({
          rules: [
            textblockTypeInputRule(/^(#{2,3})\s$/, n.heading, (match) => ({ level: match[1].length })),
            wrappingInputRule(/^\s*>\s$/, n.blockquote),
            wrappingInputRule(/^\s*([-+*])\s$/, n.bullet_list),
            wrappingInputRule(/^(\d+)\.\s$/, n.ordered_list, (match) => ({ order: +match[1] }), (match, node) => node.childCount + node.attrs.order === +match[1]),
          ],
        }),
        keymap({
          "Mod-z": undo,
          "Shift-Mod-z": redo,
          "Mod-y": redo,
          "Mod-b": toggleMark(m.strong),
          "Mod-i": toggleMark(m.em),
          "Mod-k": () => (this.openLinkBar(), true),
          "Shift-Enter": chainCommands(exitCode, (state, dispatch) => {
            if (dispatch) dispatch(state.tr.replaceSelectionWith(n.hard_break.create()).scrollIntoView());
            return true;
          }),
          Enter: splitListItem(n.list_item),
          Tab: sinkListItem(n.list_item),
          "Shift-Tab": liftListItem(n.list_item),
        }),
        keymap(baseKeymap),
        history(),
        dropCursor(),
        gapCursor(),
        placeholders,
      ],
    });
  }

  // The field keeps the body's Markdown; other scripts (autosave, preview, checklist) hear it.
  write() {
    this.textarea.value = serialize(this.view.state.doc);
    this.textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  makeButtons() {
    const button = (label, command, opts = {}) => {
      const b = el("button", { type: "button", class: "pm-button" + (opts.cls ? " " + opts.cls : ""), title: opts.key ? `${label} (${opts.key})` : label }, label);
      if (opts.pressed) b.setAttribute("aria-pressed", "false");
      b.addEventListener("mousedown", (e) => e.preventDefault());
      b.addEventListener("click", () => {
        if (!this.visual) return;
        command(this.view.state, this.view.dispatch, this.view);
        this.view.focus();
      });
      this.toolbar.append(b);
      this.buttons.push({ b, pressed: opts.pressed, enabled: opts.enabled });
      return b;
    };
    const group = () => this.toolbar.append(el("span", { class: "pm-sep", "aria-hidden": "true" }));
    button("Text", setBlockType(n.paragraph), { pressed: (s) => blockIs(s, n.paragraph) && !inside(s, n.blockquote) && !inside(s, n.list_item) });
    button("Subheading", setBlockType(n.heading, { level: 2 }), { pressed: (s) => blockIs(s, n.heading, { level: 2 }) });
    button("Minor subheading", setBlockType(n.heading, { level: 3 }), { pressed: (s) => blockIs(s, n.heading, { level: 3 }) });
    group();
    button("Bold", toggleMark(m.strong), { key: "Ctrl+B", pressed: (s) => isMarkActive(s, m.strong), cls: "pm-bold" });
    button("Italic", toggleMark(m.em), { key: "Ctrl+I", pressed: (s) => isMarkActive(s, m.em), cls: "pm-italic" });
    button("Link", () => this.openLinkBar(), { key: "Ctrl+K", pressed: (s) => isMarkActive(s, m.link) });
    group();
    button("Quote", quote, { pressed: (s) => inside(s, n.blockquote) });
    button("Bulleted list", wrapInList(n.bullet_list), { pressed: (s) => inside(s, n.bullet_list) });
    button("Numbered list", wrapInList(n.ordered_list), { pressed: (s) => inside(s, n.ordered_list) });
    group();
    if (this.chooser) button("Picture", () => this.openChooser());
    if (this.alsoRead) button("Also read", insertBlock(n.also_read.create()));
    group();
    button("Undo", undo, { key: "Ctrl+Z", enabled: undo });
    button("Redo", redo, { key: "Ctrl+Y", enabled: redo });
  }

  refresh() {
    const state = this.view.state;
    for (const { b, pressed, enabled } of this.buttons) {
      if (pressed) b.setAttribute("aria-pressed", String(!!pressed(state)));
      if (enabled) b.disabled = !enabled(state);
    }
  }

  // ---- Links

  makeLinkBar() {
    const id = this.textarea.id + "-link";
    // Not type=url: a half-typed address in a closed bar must not stop the form being sent.
    this.linkInput = el("input", { type: "text", inputmode: "url", id, placeholder: "https://", autocomplete: "off", spellcheck: "false" });
    this.linkError = el("span", { class: "error", role: "alert" });
    const bar = el(
      "div",
      { class: "pm-linkbar", hidden: true },
      el("label", { for: id }, "Link address"),
      this.linkInput,
      el("button", { type: "button", onclick: () => this.applyLink() }, "Apply"),
      el("button", { type: "button", class: "link-button", onclick: () => this.removeLink() }, "Remove link"),
      el("button", { type: "button", class: "link-button", onclick: () => this.closeBar(bar) }, "Cancel"),
      this.linkError,
    );
    this.linkInput.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.applyLink();
      } else if (e.key === "Escape") {
        this.closeBar(bar);
      }
    });
    return bar;
  }

  openLinkBar() {
    const { state } = this.view;
    let href = "";
    state.doc.nodesBetween(state.selection.from, Math.max(state.selection.to, state.selection.from + 1), (node) => {
      const link = m.link.isInSet(node.marks);
      if (link) href = link.attrs.href;
    });
    this.linkInput.value = href;
    this.linkError.textContent = "";
    this.linkBar.hidden = false;
    this.linkInput.focus();
  }

  applyLink() {
    const href = this.linkInput.value.trim();
    if (!safeHref(href)) {
      this.linkError.textContent = "Give a web address (https://…), a mail address (mailto:…) or a path on the site (/…).";
      return;
    }
    const { state } = this.view;
    const { from, to, empty } = state.selection;
    let tr = state.tr;
    if (empty) {
      tr = tr.insertText(href, from).addMark(from, from + href.length, m.link.create({ href }));
    } else {
      tr = tr.removeMark(from, to, m.link).addMark(from, to, m.link.create({ href }));
    }
    this.view.dispatch(tr);
    this.closeBar(this.linkBar);
  }

  removeLink() {
    const { state } = this.view;
    let { from, to } = state.selection;
    // With the caret in a link, the whole link.
    if (from === to) {
      const $pos = state.doc.resolve(from);
      const parent = $pos.parent;
      let start = $pos.start();
      parent.forEach((child, offset) => {
        const a = start + offset, b = a + child.nodeSize;
        if (a <= from && from <= b && m.link.isInSet(child.marks)) [from, to] = [a, b];
      });
    }
    this.view.dispatch(state.tr.removeMark(from, to, m.link));
    this.closeBar(this.linkBar);
  }

  closeBar(bar) {
    bar.hidden = true;
    this.view.focus();
  }

  // ---- Pictures from the library

  makeChooser() {
    const id = this.textarea.id + "-pictures";
    this.pictureSearch = el("input", { type: "search", id, autocomplete: "off" });
    this.pictureList = el("ul", { class: "pm-pictures", "aria-live": "polite" });
    this.pictureStatus = el("p", { class: "help" });
    let timer;
    this.pictureSearch.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.findPictures(), 250);
    });
    this.pictureSearch.addEventListener("keydown", (e) => {
      if (e.key === "Enter") e.preventDefault();
      if (e.key === "Escape") this.closeBar(this.chooserBox);
    });
    this.chooserBox = el(
      "div",
      { class: "pm-chooser", hidden: true },
      el("label", { for: id }, "Find a picture in the library (caption, credit or keywords)"),
      this.pictureSearch,
      this.pictureStatus,
      this.pictureList,
      el("button", { type: "button", class: "link-button", onclick: () => this.closeBar(this.chooserBox) }, "Close"),
    );
    return this.chooserBox;
  }

  openChooser() {
    this.chooserBox.hidden = false;
    this.pictureSearch.focus();
    this.findPictures();
  }

  async findPictures() {
    const q = this.pictureSearch.value.trim();
    this.pictureStatus.textContent = "Searching…";
    try {
      const response = await fetch(this.picturesUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const found = await response.json();
      if (q !== this.pictureSearch.value.trim()) return;
      this.pictureList.replaceChildren(
        ...found.map((p) =>
          el("li", {},
            el("button", { type: "button", class: "pm-picture", onclick: () => this.insertPicture(p) },
              el("img", { src: p.thumb_url, alt: "", loading: "lazy" }),
              el("span", {}, p.caption || p.alt || "Picture " + p.id))),
        ),
      );
      this.pictureStatus.textContent = found.length ? `${found.length} picture${found.length === 1 ? "" : "s"}; choose one to put it after the current paragraph.` : "No picture matches.";
    } catch (e) {
      this.pictureStatus.textContent = "The library could not be searched; try again.";
    }
  }

  insertPicture(p) {
    const caption = [p.caption, p.credit].filter(Boolean).join(" ");
    insertBlock(n.figure.create({ src: p.src, alt: p.alt, caption }))(this.view.state, this.view.dispatch);
    this.chooserBox.hidden = true;
    this.view.focus();
  }

  // ---- Markdown, for those who want it

  toggleMode() {
    if (this.visual) {
      this.view.destroy();
      this.view = null;
      this.visual = false;
      this.box.hidden = true;
      this.textarea.hidden = false;
      if (this.help) this.help.textContent = this.markdownHelp;
      this.modeButton.textContent = "Back to the visual editor";
      this.textarea.focus();
      return;
    }
    const reason = unsupported(this.textarea.value);
    if (reason) {
      this.showNotice(`This text holds ${reason}, which the visual editor cannot show: keep editing it as Markdown.`);
      return;
    }
    this.notice.hidden = true;
    this.start();
    this.view.focus();
  }

  showNotice(text) {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }
}

function startAll() {
  for (const textarea of document.querySelectorAll("textarea[data-editor=visual]")) {
    try {
      new VisualEditor(textarea);
    } catch (e) {
      // The plain field still works; say why the editor is missing.
      textarea.hidden = false;
      console.error("visual editor", e);
    }
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
else startAll();
