// The body is stored as Markdown, the same whether it was written here or in the plain text
// field: this reads it into the editor's document and writes the document back. The rules are
// the site's (crates/courant-render/src/markdown.rs): a picture of the library alone in its
// paragraph is a figure, `[Also read]` alone on its line places a box, and a quote's
// attribution is a line starting with a dash, at its end or right after it.

import MarkdownIt from "markdown-it";
import { MarkdownParser, MarkdownSerializer, defaultMarkdownSerializer } from "prosemirror-markdown";
import { schema } from "./schema.js";

export const ALSO_READ_MARK = "[Also read]";

const DASH = /^\s*(—|―|--|– )\s*/;

// Markdown the editor cannot show; such a body is edited as Markdown.
const UNSUPPORTED = {
  table_open: "a table",
  fence: "a block of code",
  code_block: "a block of code",
  s_open: "struck-through text",
  html_block: "HTML",
};

const md = MarkdownIt("default", { html: false, linkify: false, typographer: false });
md.core.ruler.push("courant", (state) => {
  state.tokens = attributions(blocks(state.tokens, state.Token), state.Token);
});

function textOf(tokens) {
  return (tokens || []).map((t) => (t.type === "text" || t.type === "code_inline" ? t.content : textOf(t.children))).join("");
}

// Figures, "Also read" marks, and pictures among words made links (as the site shows them).
function blocks(tokens, Token) {
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === "paragraph_open" && tokens[i + 1]?.type === "inline" && tokens[i + 2]?.type === "paragraph_close") {
      const inline = tokens[i + 1];
      const kids = inline.children || [];
      if (t.level === 0 && inline.content.trim() === ALSO_READ_MARK) {
        out.push(new Token("also_read", "", 0));
        i += 2;
        continue;
      }
      if (t.level === 0 && kids.length === 1 && kids[0].type === "image" && kids[0].attrGet("src").startsWith("/media/")) {
        const figure = new Token("figure", "", 0);
        figure.attrs = [
          ["src", kids[0].attrGet("src")],
          ["alt", textOf(kids[0].children)],
          ["caption", kids[0].attrGet("title") || ""],
        ];
        out.push(figure);
        i += 2;
        continue;
      }
    }
    if (t.type === "inline" && t.children) t.children = pictureLinks(t.children, Token);
    out.push(t);
  }
  return out;
}

function pictureLinks(children, Token) {
  const out = [];
  for (const c of children) {
    if (c.type !== "image") {
      out.push(c);
      continue;
    }
    const open = new Token("link_open", "a", 1);
    open.attrs = [["href", c.attrGet("src")]];
    const alt = textOf(c.children);
    const text = new Token("text", "", 0);
    text.content = alt ? "Picture: " + alt : "Picture";
    out.push(open, text, new Token("link_close", "a", -1));
  }
  return out;
}

// A quote's attribution: its last paragraph starting with a dash, a dash line ending that
// paragraph, or a one-line dash paragraph right after the quote.
function attributions(tokens, Token) {
  for (let c = 0; c < tokens.length; c++) {
    if (tokens[c].type !== "blockquote_close" || tokens[c].level !== 0) continue;
    const [open, inline, close] = [tokens[c - 3], tokens[c - 2], tokens[c - 1]];
    if (close?.type === "paragraph_close" && inline?.type === "inline") {
      const kids = inline.children || [];
      const k = kids.findLastIndex((t, i) => (t.type === "softbreak" || t.type === "hardbreak") && kids[i + 1]?.type === "text" && DASH.test(kids[i + 1].content));
      if (k >= 0) {
        const before = Object.assign(new Token("inline", "", 0), { children: kids.slice(0, k), content: "" });
        const after = Object.assign(new Token("inline", "", 0), { children: kids.slice(k + 1), content: "" });
        tokens.splice(c - 2, 1, before, new Token("paragraph_close", "p", -1), new Token("paragraph_open", "p", 1), after);
        c += 3;
        makeAttribution(tokens, c - 3, Token);
        continue;
      }
      if (kids[0]?.type === "text" && DASH.test(kids[0].content) && open?.type === "paragraph_open") {
        makeAttribution(tokens, c - 3, Token);
        continue;
      }
    }
    const [nOpen, nInline, nClose] = [tokens[c + 1], tokens[c + 2], tokens[c + 3]];
    if (nOpen?.type === "paragraph_open" && nClose?.type === "paragraph_close" && nInline.children?.length === 1 && nInline.children[0].type === "text" && DASH.test(nInline.children[0].content)) {
      const moved = tokens.splice(c + 1, 3);
      tokens.splice(c, 0, ...moved);
      makeAttribution(tokens, c, Token);
      c += 3;
    }
  }
  return tokens;
}

// Makes the paragraph opening at `at` an attribution, without its dash.
function makeAttribution(tokens, at, Token) {
  tokens[at] = new Token("attribution_open", "p", 1);
  tokens[at + 2] = new Token("attribution_close", "p", -1);
  const first = tokens[at + 1].children[0];
  first.content = first.content.replace(DASH, "");
}

// What in `markdown` the editor cannot show, in words; null when it can show all of it.
export function unsupported(markdown) {
  let tokens;
  try {
    tokens = md.parse(markdown, {});
  } catch (e) {
    return "text it cannot read";
  }
  let quoteDepth = 0;
  for (const t of walk(tokens)) {
    if (UNSUPPORTED[t.type]) return UNSUPPORTED[t.type];
    if (t.type === "blockquote_open" && ++quoteDepth > 1) return "a quote inside a quote";
    if (t.type === "blockquote_close") quoteDepth--;
    if (t.type === "heading_open" && quoteDepth > 0) return "a subheading inside a quote";
    if ((t.type === "figure" || t.type === "also_read") && quoteDepth > 0) return "a picture inside a quote";
  }
  return null;
}

function* walk(tokens) {
  for (const t of tokens) {
    yield t;
    if (t.children) yield* walk(t.children);
  }
}

const parser = new MarkdownParser(schema, md, {
  blockquote: { block: "blockquote" },
  attribution: { block: "attribution" },
  paragraph: { block: "paragraph" },
  list_item: { block: "list_item" },
  bullet_list: { block: "bullet_list" },
  ordered_list: { block: "ordered_list", getAttrs: (tok) => ({ order: +tok.attrGet("start") || 1 }) },
  heading: { block: "heading", getAttrs: (tok) => ({ level: Math.min(3, Math.max(2, +tok.tag.slice(1))) }) },
  hr: { node: "horizontal_rule" },
  figure: { node: "figure", getAttrs: (tok) => ({ src: tok.attrGet("src"), alt: tok.attrGet("alt"), caption: tok.attrGet("caption") }) },
  also_read: { node: "also_read" },
  hardbreak: { node: "hard_break" },
  em: { mark: "em" },
  strong: { mark: "strong" },
  link: { mark: "link", getAttrs: (tok) => ({ href: tok.attrGet("href"), title: tok.attrGet("title") || null }) },
  code_inline: { mark: "code", noCloseToken: true },
});

// The editor's document of a Markdown body.
export function parse(markdown) {
  return parser.parse(markdown);
}

const escapeAlt = (s) => s.replace(/[\\[\]]/g, "\\$&").replace(/\s+/g, " ");
const escapeTitle = (s) => s.replace(/[\\"]/g, "\\$&").replace(/\s+/g, " ").trim();

const serializer = new MarkdownSerializer(
  {
    blockquote: defaultMarkdownSerializer.nodes.blockquote,
    paragraph: defaultMarkdownSerializer.nodes.paragraph,
    bullet_list: defaultMarkdownSerializer.nodes.bullet_list,
    ordered_list: defaultMarkdownSerializer.nodes.ordered_list,
    list_item: defaultMarkdownSerializer.nodes.list_item,
    horizontal_rule: defaultMarkdownSerializer.nodes.horizontal_rule,
    hard_break: defaultMarkdownSerializer.nodes.hard_break,
    text: defaultMarkdownSerializer.nodes.text,
    heading(state, node) {
      state.write(state.repeat("#", node.attrs.level) + " ");
      state.renderInline(node, false);
      state.closeBlock(node);
    },
    attribution(state, node) {
      if (node.textContent.trim() === "") return;
      state.write("— ");
      state.renderInline(node);
      state.closeBlock(node);
    },
    figure(state, node) {
      const { src, alt, caption } = node.attrs;
      const title = escapeTitle(caption);
      state.write(`![${escapeAlt(alt)}](${src}${title ? ` "${title}"` : ""})`);
      state.closeBlock(node);
    },
    also_read(state, node) {
      state.write(ALSO_READ_MARK);
      state.closeBlock(node);
    },
  },
  {
    em: defaultMarkdownSerializer.marks.em,
    strong: defaultMarkdownSerializer.marks.strong,
    link: defaultMarkdownSerializer.marks.link,
    code: defaultMarkdownSerializer.marks.code,
  },
);

// The Markdown of the editor's document.
export function serialize(doc) {
  return serializer.serialize(doc, { tightLists: true }).replace(/\s+$/, "") + "\n";
}
