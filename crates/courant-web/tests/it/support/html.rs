//! Helpers that read HTML: CSS selectors, the elements they match, texts, attributes and
//! positions, and short excerpts for failure messages.

#![allow(dead_code)]

use scraper::{ElementRef, Html, Selector};

/// A CSS selector (panics on a typo, naming it).
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad CSS selector {css:?}: {e:?}"))
}

/// Every element of `doc` matching `css`, in document order.
pub fn select_all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let s = sel(css);
    doc.select(&s).collect()
}

/// The first element of `doc` matching `css`.
pub fn first<'a>(doc: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    let s = sel(css);
    doc.select(&s).next()
}

/// Every element inside `el` matching `css`, in document order.
pub fn select_in<'a>(el: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    let s = sel(css);
    el.select(&s).collect()
}

/// The text of an element with runs of whitespace collapsed to one space, trimmed.
pub fn text(el: ElementRef<'_>) -> String {
    el.text().collect::<Vec<_>>().join("").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The value of an attribute, or an empty string when absent.
pub fn attr(el: ElementRef<'_>, name: &str) -> String {
    el.value().attr(name).unwrap_or_default().to_string()
}

/// The `href` of every link inside `el`.
pub fn hrefs_in(el: ElementRef<'_>) -> Vec<String> {
    select_in(el, "a[href]").into_iter().map(|a| attr(a, "href")).collect()
}

/// The index of `el` among all elements of `doc`, in document order.
pub fn position(doc: &Html, el: ElementRef<'_>) -> usize {
    doc.root_element()
        .descendent_elements()
        .position(|e| e == el)
        .expect("an element selected from a document is part of it")
}

/// A short description of an element for failure messages: its tag and the start of its HTML.
pub fn describe(el: ElementRef<'_>) -> String {
    format!("<{}> {}", el.value().name(), excerpt(&el.html()))
}

/// The first 600 characters of `s`, for failure messages.
pub fn excerpt(s: &str) -> String {
    const MAX: usize = 600;
    if s.chars().count() <= MAX { s.to_string() } else { format!("{}…", s.chars().take(MAX).collect::<String>()) }
}
