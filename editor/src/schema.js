// The document a writer can make in the visual editor: exactly what an article body holds
// (paragraphs, two levels of subheading, quotes with an attribution, lists, pictures from the
// library, "Also read" places, emphasis, links). Anything pasted is cut down to it.

import { Schema } from "prosemirror-model";

export const schema = new Schema({
  nodes: {
    doc: { content: "block+" },
    paragraph: {
      content: "inline*",
      group: "block",
      parseDOM: [{ tag: "p" }],
      toDOM: () => ["p", 0],
    },
    heading: {
      attrs: { level: { default: 2 } },
      content: "inline*",
      group: "block",
      defining: true,
      parseDOM: [
        { tag: "h1", attrs: { level: 2 } },
        { tag: "h2", attrs: { level: 2 } },
        { tag: "h3", attrs: { level: 3 } },
        { tag: "h4", attrs: { level: 3 } },
        { tag: "h5", attrs: { level: 3 } },
        { tag: "h6", attrs: { level: 3 } },
      ],
      toDOM: (node) => ["h" + node.attrs.level, 0],
    },
    blockquote: {
      content: "(paragraph | bullet_list | ordered_list)+ attribution?",
      group: "block",
      defining: true,
      parseDOM: [{ tag: "blockquote" }],
      toDOM: () => ["blockquote", 0],
    },
    attribution: {
      content: "inline*",
      defining: true,
      parseDOM: [{ tag: "p.attribution", priority: 60 }, { tag: "figcaption" }],
      toDOM: () => ["p", { class: "attribution" }, 0],
    },
    bullet_list: {
      content: "list_item+",
      group: "block",
      parseDOM: [{ tag: "ul" }],
      toDOM: () => ["ul", 0],
    },
    ordered_list: {
      attrs: { order: { default: 1 } },
      content: "list_item+",
      group: "block",
      parseDOM: [{ tag: "ol", getAttrs: (dom) => ({ order: dom.hasAttribute("start") ? +dom.getAttribute("start") : 1 }) }],
      toDOM: (node) => (node.attrs.order === 1 ? ["ol", 0] : ["ol", { start: node.attrs.order }, 0]),
    },
    list_item: {
      content: "paragraph (paragraph | bullet_list | ordered_list)*",
      defining: true,
      parseDOM: [{ tag: "li" }],
      toDOM: () => ["li", 0],
    },
    horizontal_rule: {
      group: "block",
      parseDOM: [{ tag: "hr" }],
      toDOM: () => ["hr"],
    },
    // A picture of the library: `src` is `/media/FILE#WIDTHxHEIGHT`, as the body stores it.
    figure: {
      attrs: { src: {}, alt: { default: "" }, caption: { default: "" } },
      group: "block",
      atom: true,
      draggable: true,
      selectable: true,
      parseDOM: [
        {
          tag: "figure.picture",
          getAttrs: (dom) => {
            const img = dom.querySelector("img[data-src]");
            if (!img) return false;
            const caption = dom.querySelector("figcaption");
            return { src: img.getAttribute("data-src"), alt: img.getAttribute("alt") || "", caption: caption ? caption.textContent : "" };
          },
        },
      ],
      toDOM: (node) => [
        "figure",
        { class: "picture" },
        ["img", { src: shownSrc(node.attrs.src), "data-src": node.attrs.src, alt: node.attrs.alt }],
        ["figcaption", node.attrs.caption],
      ],
    },
    // Where an "Also read" box goes.
    also_read: {
      group: "block",
      atom: true,
      selectable: true,
      parseDOM: [{ tag: "div.also-read-mark" }],
      toDOM: () => ["div", { class: "also-read-mark" }, "Also read"],
    },
    text: { group: "inline" },
    hard_break: {
      inline: true,
      group: "inline",
      selectable: false,
      parseDOM: [{ tag: "br" }],
      toDOM: () => ["br"],
    },
  },
  marks: {
    link: {
      attrs: { href: {}, title: { default: null } },
      inclusive: false,
      parseDOM: [
        {
          tag: "a[href]",
          getAttrs: (dom) => {
            const href = dom.getAttribute("href");
            return safeHref(href) ? { href, title: dom.getAttribute("title") } : false;
          },
        },
      ],
      toDOM: (mark) => ["a", { href: mark.attrs.href, title: mark.attrs.title, rel: "noopener noreferrer" }, 0],
    },
    em: {
      parseDOM: [{ tag: "i" }, { tag: "em" }, { style: "font-style=italic" }],
      toDOM: () => ["em", 0],
    },
    strong: {
      parseDOM: [
        { tag: "strong" },
        { tag: "b", getAttrs: (node) => node.style.fontWeight !== "normal" && null },
        { style: "font-weight", getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value) && null },
      ],
      toDOM: () => ["strong", 0],
    },
    code: {
      parseDOM: [{ tag: "code" }],
      toDOM: () => ["code", 0],
    },
  },
});

// The library file a body's picture address names, without its size.
export function shownSrc(src) {
  return src.split("#")[0];
}

// Addresses a link may have: the web, mail, or a path on the site (what the site keeps).
export function safeHref(href) {
  const url = (href || "").trim();
  if (!url) return false;
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return !m || ["http", "https", "mailto"].includes(m[1].toLowerCase());
}
