// The visual editor reads and writes bodies as the site does (crates/courant-render/src/markdown.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, serialize, unsupported } from "../src/markdown.js";

const roundTrip = (md) => serialize(parse(md));

test("paragraphs, subheadings, lists, emphasis and links come back as written", () => {
  const md = "Intro with **bold**, *italic* and [a link](https://example.org/x).\n\n## Subheading\n\nText.\n\n### Minor\n\n* one\n* two\n\n1. first\n2. second\n";
  assert.equal(roundTrip(md), md);
});

test("a quote keeps its attribution, written the three ways the help allows", () => {
  const want = "> We will not close the line.\n>\n> — Ana Ruiz, minister\n";
  assert.equal(roundTrip(want), want);
  assert.equal(roundTrip("> We will not close the line.\n> — Ana Ruiz, minister\n"), want);
  assert.equal(roundTrip("> We will not close the line.\n\n— Ana Ruiz, minister\n"), want);
  const doc = parse(want);
  assert.equal(doc.firstChild.type.name, "blockquote");
  assert.equal(doc.firstChild.lastChild.type.name, "attribution");
  assert.equal(doc.firstChild.lastChild.textContent, "Ana Ruiz, minister");
});

test("a library picture alone on its line is a figure with its caption; others are links", () => {
  const md = '![Flood barrier at dusk](/media/ab/cdef.jpg#1200x800 "The barrier, closed. Photo: A. Writer")\n';
  const doc = parse(md);
  assert.equal(doc.firstChild.type.name, "figure");
  assert.deepEqual({ ...doc.firstChild.attrs }, { src: "/media/ab/cdef.jpg#1200x800", alt: "Flood barrier at dusk", caption: "The barrier, closed. Photo: A. Writer" });
  assert.equal(roundTrip(md), md);
  assert.equal(roundTrip("See ![x](https://elsewhere.example/p.png) here.\n"), "See [Picture: x](https://elsewhere.example/p.png) here.\n");
});

test("quotes and brackets in captions and descriptions are escaped", () => {
  const md = '![A [draft] plan](/media/a/b.png#10x10 "He said \\"no\\"")\n';
  const doc = parse(md);
  assert.equal(doc.firstChild.attrs.alt, "A [draft] plan");
  assert.equal(doc.firstChild.attrs.caption, 'He said "no"');
  assert.equal(roundTrip(md), '![A \\[draft\\] plan](/media/a/b.png#10x10 "He said \\"no\\"")\n');
});

test("the Also read mark is a place, and the same words typed are text", () => {
  const doc = parse("One.\n\n[Also read]\n\nTwo.\n");
  assert.deepEqual(doc.content.content.map((n) => n.type.name), ["paragraph", "also_read", "paragraph"]);
  assert.equal(roundTrip("One.\n\n[Also read]\n\nTwo.\n"), "One.\n\n[Also read]\n\nTwo.\n");
  assert.equal(roundTrip("\\[Also read\\]\n"), "\\[Also read\\]\n");
  assert.equal(parse("\\[Also read\\]\n").firstChild.type.name, "paragraph");
});

test("raw HTML stays text", () => {
  const doc = parse("<script>alert(1)</script>\n");
  assert.equal(doc.firstChild.type.name, "paragraph");
  assert.equal(doc.firstChild.textContent, "<script>alert(1)</script>");
});

test("what the editor cannot show is named, and bodies it can show are not", () => {
  assert.equal(unsupported("| a | b |\n|---|---|\n| 1 | 2 |\n"), "a table");
  assert.equal(unsupported("```\ncode\n```\n"), "a block of code");
  assert.equal(unsupported("~~gone~~\n"), "struck-through text");
  assert.equal(unsupported("> > deep\n"), "a quote inside a quote");
  assert.equal(unsupported("Plain.\n\n## Sub\n\n> Quote\n>\n> — Who\n\n[Also read]\n"), null);
});
