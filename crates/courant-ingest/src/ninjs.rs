//! IPTC ninjs (News in JSON), versions 1.x to 3.x, read into a [`WireItem`]. The generations
//! name things differently: 1.x has `headline`, `byline`, `body_html` and `subject`; 2.x lists
//! `headlines`, `bodies` and `subjects` in lower case (`versioncreated`); 3.x spells the same in
//! camel case (`versionCreated`). A document is one item: its `associations` are not items of
//! their own, only the pictures among them are kept, as addresses.

use courant_core::WireItem;
use courant_render::markdown::sanitise_html;
use serde_json::{Map, Value};
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::IngestError;

/// A JSON object, as serde_json holds it.
type Object = Map<String, Value>;

/// Properties of which one must sit beside `uri` or `guid` for a document to be taken as ninjs.
const CONTENT_KEYS: [&str; 7] = ["headline", "headlines", "body_text", "body_html", "body_xhtml", "bodies", "type"];

/// Whether `value` (a parsed JSON document) looks like ninjs: an object with `uri` or `guid`, and
/// one of `headline`, `headlines`, `body_text`, `body_html`, `body_xhtml`, `bodies`, `type`.
pub(crate) fn is_ninjs(value: &Value) -> bool {
    let Some(object) = value.as_object() else { return false };
    (object.contains_key("uri") || object.contains_key("guid"))
        && CONTENT_KEYS.iter().any(|key| object.contains_key(*key))
}

/// The items of a ninjs document (one item, or its `associations`/`items` are NOT separate
/// items: only the top-level object is the item; pictures in associations become `pictures`).
///
/// Fields of an unexpected type are skipped rather than refused; only a missing identity
/// (`uri` or `guid`) makes the document malformed, since the desk could not tell versions apart.
pub(crate) fn read(value: &Value) -> Result<Vec<WireItem>, IngestError> {
    let object =
        value.as_object().ok_or_else(|| IngestError::Malformed("the ninjs document is not a JSON object".into()))?;
    let guid =
        text(object, &["uri", "guid"]).ok_or_else(|| IngestError::Malformed("the ninjs document has no uri".into()))?;
    let item = WireItem {
        source: source(object),
        guid: guid.to_owned(),
        version: integer(object, &["version"]).unwrap_or(1),
        headline: headline(object),
        byline: text(object, &["by", "byline"]).unwrap_or_default().to_owned(),
        dateline: dateline(object),
        first_created: date(object, &["firstCreated", "firstcreated"]),
        version_created: date(object, &["versionCreated", "versioncreated"]),
        embargo: date(object, &["embargoedUntil", "embargoeduntil", "embargoed"]),
        subjects: subjects(object),
        body_html: body(object),
        pictures: pictures(object),
        urgency: integer(object, &["urgency", "priority"]),
        link: link(object),
        language: text(object, &["language"]).unwrap_or_default().to_owned(),
    };
    Ok(vec![item])
}

/// The first of `names` that holds a non-blank string, trimmed; values of other types are skipped.
fn text<'a>(object: &'a Object, names: &[&str]) -> Option<&'a str> {
    names.iter().filter_map(|name| object.get(*name)?.as_str()).map(str::trim).find(|value| !value.is_empty())
}

/// The first of `names` that holds a whole number, or a string starting with one (ninjs gives
/// `version` as a string, "1").
fn integer(object: &Object, names: &[&str]) -> Option<i64> {
    names.iter().find_map(|name| match object.get(*name)? {
        Value::Number(number) => {
            number.as_i64().or_else(|| number.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        }
        Value::String(string) => {
            let string = string.trim();
            let end = string.find(|c: char| !c.is_ascii_digit()).unwrap_or(string.len());
            string[..end].parse().ok()
        }
        _ => None,
    })
}

/// The objects of the first of `names` that holds an array.
fn objects<'a>(object: &'a Object, names: &[&str]) -> impl Iterator<Item = &'a Object> + Clone + use<'a> {
    let list = names.iter().find_map(|name| object.get(*name)?.as_array()).map(Vec::as_slice).unwrap_or_default();
    list.iter().filter_map(Value::as_object)
}

/// The objects of a value that is either a map of named objects (ninjs 1.x `associations` and
/// `renditions`) or a list of them (2.x and 3.x).
fn members(value: Option<&Value>) -> Vec<&Object> {
    match value {
        Some(Value::Object(map)) => map.values().filter_map(Value::as_object).collect(),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// The last part of a term that may be a URI or a QCode
/// (`http://cv.iptc.org/newscodes/infosourcerole/originator`, `ninat:picture`).
fn last_part(term: &str) -> &str {
    term.rsplit(['/', ':', '#']).next().unwrap_or(term)
}

/// Whether an entry's `role` (or 1.x `rel`) is one of `roles`, ignoring case and vocabulary.
fn has_role(entry: &Object, roles: &[&str]) -> bool {
    text(entry, &["role", "rel"])
        .is_some_and(|role| roles.iter().any(|want| last_part(role).eq_ignore_ascii_case(want)))
}

/// The first entry with one of `roles`, else the first entry.
fn by_role<'a>(mut entries: impl Iterator<Item = &'a Object> + Clone, roles: &[&str]) -> Option<&'a Object> {
    entries.clone().find(|entry| has_role(entry, roles)).or_else(|| entries.next())
}

/// Whether `address` is an http(s) URL, the only kind a reader's browser should be sent to.
fn is_web(address: &str) -> bool {
    let bytes = address.as_bytes();
    ["http://", "https://"]
        .iter()
        .any(|scheme| bytes.len() > scheme.len() && bytes[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes()))
}

/// 2.x/3.x: the `main` headline of `headlines`, else the first; 1.x: `headline`.
fn headline(object: &Object) -> String {
    let headlines = objects(object, &["headlines"]).filter(|h| text(h, &["value"]).is_some());
    by_role(headlines, &["main"])
        .and_then(|h| text(h, &["value"]))
        .or_else(|| text(object, &["headline"]))
        .unwrap_or_default()
        .to_owned()
}

/// `located` (a string, or an object with a name), else the first place said to be where the
/// story was located.
fn dateline(object: &Object) -> String {
    text(object, &["located"])
        .or_else(|| object.get("located")?.as_object().and_then(|l| text(l, &["name"])))
        .or_else(|| {
            objects(object, &["places", "place"])
                .find(|place| has_role(place, &["located"]))
                .and_then(|place| text(place, &["name"]))
        })
        .unwrap_or_default()
        .to_owned()
}

/// The first of `names` holding a date that parses, in UTC.
fn date(object: &Object, names: &[&str]) -> Option<OffsetDateTime> {
    names.iter().filter_map(|name| object.get(*name)?.as_str()).find_map(parse_date)
}

/// RFC 3339 as ninjs asks; failing that ISO 8601, which also takes times without seconds
/// ("10:37Z"); a time without an offset is taken as UTC. Anything else is no date at all.
fn parse_date(value: &str) -> Option<OffsetDateTime> {
    let value = value.trim();
    OffsetDateTime::parse(value, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(value, &Iso8601::DEFAULT))
        .or_else(|_| PrimitiveDateTime::parse(value, &Iso8601::DEFAULT).map(|d| d.assume_utc()))
        .ok()
        .map(|d| d.to_offset(UtcOffset::UTC))
}

/// Subject names (else their code or URI), then `keywords`, each once, in the item's order.
fn subjects(object: &Object) -> Vec<String> {
    let named = objects(object, &["subjects", "subject"]).filter_map(|s| text(s, &["name", "code", "literal", "uri"]));
    let keywords = strings(object.get("keywords"));
    let mut out: Vec<String> = Vec::new();
    for subject in named.chain(keywords) {
        if !subject.is_empty() && !out.iter().any(|seen| seen.as_str() == subject) {
            out.push(subject.to_owned());
        }
    }
    out
}

/// The trimmed strings of a list (other members skipped), or a lone string.
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::trim).collect(),
        Some(Value::String(one)) => vec![one.trim()],
        _ => Vec::new(),
    }
}

/// The copy as sanitised HTML: a marked-up body when there is one, else the plain text made into
/// paragraphs. A marked-up body that sanitises to nothing gives way to the plain one.
fn body(object: &Object) -> String {
    let bodies: Vec<&Object> = objects(object, &["bodies"]).filter(|b| text(b, &["value"]).is_some()).collect();
    let html = bodies
        .iter()
        .find(|b| body_kind(b) == Some(true))
        .and_then(|b| text(b, &["value"]))
        .or_else(|| text(object, &["body_html", "body_xhtml"]));
    let plain = bodies
        .iter()
        .find(|b| body_kind(b) == Some(false))
        .and_then(|b| text(b, &["value"]))
        .or_else(|| text(object, &["body_text"]));
    if let Some(html) = html {
        let clean = sanitise_html(inner_body(html));
        if !clean.trim().is_empty() {
            return clean;
        }
    }
    plain.map(|p| sanitise_html(&paragraphs(p))).unwrap_or_default()
}

/// Whether a 2.x/3.x body is HTML (`Some(true)`), plain text (`Some(false)`) or neither (an
/// agency's own XML, such as TT's `ttnitf`). A body without a content type is judged by its
/// first character, since the standard leaves it to the provider.
fn body_kind(body: &Object) -> Option<bool> {
    let content_type = text(body, &["contentType", "contenttype"]).unwrap_or_default();
    let content_type = content_type.to_ascii_lowercase();
    if content_type.contains("html") || has_role(body, &["richtext"]) {
        Some(true)
    } else if content_type.is_empty() {
        Some(text(body, &["value"]).is_some_and(|v| v.starts_with('<')))
    } else if content_type.starts_with("text/plain") {
        Some(false)
    } else {
        None
    }
}

/// The content of a whole document's `<body>`, or all of `html` when it has none: the `<head>`
/// (a `<title>` repeating the headline) would otherwise survive sanitising as text.
fn inner_body(html: &str) -> &str {
    // ASCII lower-casing keeps every byte where it was, so offsets found here hold in `html`.
    let lower = html.to_ascii_lowercase();
    let open = lower
        .match_indices("<body")
        .map(|(at, _)| at)
        .find(|at| matches!(lower.as_bytes().get(at + 5), Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')));
    let Some(open) = open else { return html };
    let Some(start) = lower[open..].find('>').map(|at| open + at + 1) else { return html };
    let end = lower[start..].find("</body").map_or(html.len(), |at| start + at);
    &html[start..end]
}

/// Plain text as escaped paragraphs: split on blank lines, or on every line break when the text
/// has no blank line (agencies such as TT end each paragraph with a single newline).
fn paragraphs(plain: &str) -> String {
    let lines: Vec<&str> = plain.lines().map(str::trim).collect();
    let blocks: Vec<String> = if lines.iter().any(|line| line.is_empty()) {
        lines.split(|line| line.is_empty()).filter(|b| !b.is_empty()).map(|b| b.join(" ")).collect()
    } else {
        lines.iter().map(|line| (*line).to_owned()).collect()
    };
    blocks.iter().map(|block| format!("<p>{}</p>", courant_core::escape_html(block))).collect()
}

/// For each picture association: its largest web rendition, else its own web `uri`.
fn pictures(object: &Object) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for association in members(object.get("associations")) {
        let is_picture = text(association, &["type"]).is_some_and(|kind| {
            let kind = last_part(kind);
            kind.eq_ignore_ascii_case("picture") || kind.eq_ignore_ascii_case("image")
        });
        if !is_picture {
            continue;
        }
        let address = largest_rendition(association).or_else(|| text(association, &["uri"]).filter(|uri| is_web(uri)));
        if let Some(address) = address
            && !out.iter().any(|seen| seen.as_str() == address)
        {
            out.push(address.to_owned());
        }
    }
    out
}

/// The web address of the rendition with most pixels (or bytes, when it gives no size); the
/// first of equals, so an agency's order decides ties.
fn largest_rendition(association: &Object) -> Option<&str> {
    let dimension = |r: &Object, names: &[&str]| names.iter().find_map(|n| r.get(*n)?.as_u64());
    let mut best: Option<(u64, &str)> = None;
    for rendition in members(association.get("renditions")) {
        let Some(href) = text(rendition, &["href"]).filter(|href| is_web(href)) else { continue };
        let size = dimension(rendition, &["width"])
            .zip(dimension(rendition, &["height"]))
            .map(|(width, height)| width.saturating_mul(height))
            .or_else(|| dimension(rendition, &["sizeInBytes", "sizeinbytes"]))
            .unwrap_or(0);
        if best.is_none_or(|(largest, _)| size > largest) {
            best = Some((size, href));
        }
    }
    best.map(|(_, href)| href)
}

/// A canonical or self link when the item gives one, else its `uri` when that is a web address.
fn link(object: &Object) -> String {
    let mut candidates: Vec<&Value> = Vec::new();
    for name in ["links", "link"] {
        match object.get(name) {
            Some(Value::Array(list)) => candidates.extend(list),
            Some(other) => candidates.push(other),
            None => {}
        }
    }
    candidates
        .into_iter()
        .find_map(|candidate| {
            let href = match candidate {
                Value::String(href) => Some(href.trim()),
                Value::Object(entry) if has_role(entry, &["canonical", "self"]) => text(entry, &["href", "uri"]),
                _ => None,
            };
            href.filter(|href| is_web(href))
        })
        .or_else(|| text(object, &["uri"]).filter(|uri| is_web(uri)))
        .unwrap_or_default()
        .to_owned()
}

/// 2.x/3.x: the originating info source's name (else the first's); 1.x: the copyright holder or
/// provider. Empty when none is named; the caller then names the feed.
fn source(object: &Object) -> String {
    let named = objects(object, &["infoSources", "infosources", "infosource"]).filter(|s| text(s, &["name"]).is_some());
    by_role(named, &["originator", "source"])
        .and_then(|s| text(s, &["name"]))
        .or_else(|| text(object, &["copyrightHolder", "copyrightholder", "provider"]))
        .or_else(|| object.get("provider")?.as_object().and_then(|p| text(p, &["name"])))
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata/wire/ninjs/");

    /// The one item of an example file, checking the file is recognised and gives exactly one.
    fn item(file: &str) -> WireItem {
        let content = std::fs::read_to_string(format!("{DIR}{file}")).expect("an example file");
        let value: Value = serde_json::from_str(&content).expect("JSON");
        assert!(is_ninjs(&value), "{file} is not taken for ninjs");
        let mut items = read(&value).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(items.len(), 1, "{file}");
        items.remove(0)
    }

    #[test]
    fn every_example_gives_one_full_item() {
        let mut files: Vec<String> = std::fs::read_dir(DIR)
            .expect("the examples folder")
            .map(|entry| entry.expect("a folder entry").file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".json") && !name.starts_with("ninjs-schema"))
            .collect();
        files.sort();
        assert!(files.len() >= 10, "examples found: {files:?}");
        for file in &files {
            let item = item(file);
            assert!(!item.guid.is_empty(), "{file}: no guid");
            assert!(!item.headline.is_empty(), "{file}: no headline");
            assert!(!item.body_html.trim().is_empty(), "{file}: no body");
        }
    }

    #[test]
    fn reads_a_3_1_article() {
        let item = item("3.1_004_simple_text_article.json");
        assert_eq!(item.guid, "http://ninjs.example.com/newsitems/20130709simp123");
        assert_eq!(item.version, 1);
        assert_eq!(item.headline, "Captain of wrecked cruise ship on trial in Italy");
        assert_eq!(item.byline, "Paulo Santalucia and Frances d'Emilio");
        assert!(item.body_html.starts_with("<p>GROSSETO, Italy (AP)"), "{}", item.body_html);
        assert_eq!(item.version_created, Some(datetime!(2013-07-09 10:37 UTC)));
        assert_eq!(item.first_created, None);
        assert!(item.pictures.is_empty());
        assert_eq!(item.link, "http://ninjs.example.com/newsitems/20130709simp123");
    }

    #[test]
    fn reads_a_1_4_item_with_a_picture() {
        let complex = item("1.4_ninjsExComplex1.json");
        assert_eq!(complex.guid, "http://ninjs.example.com/newsitems/20130709cplx123");
        assert_eq!(complex.headline, "Captain of wrecked cruise ship on trial in Italy");
        assert_eq!(complex.byline, "Paulo Santalucia and Frances d'Emilio");
        assert_eq!(complex.dateline, "Grossetto, Italy");
        assert_eq!(complex.language, "en");
        assert_eq!(complex.version_created, Some(datetime!(2013-07-09 10:37 UTC)));
        // The XHTML body wins over the plain one: it keeps the paragraphs.
        assert_eq!(complex.body_html.matches("<p>").count(), 4, "{}", complex.body_html);
        assert_eq!(complex.pictures, ["http://hosted.ap.org/photos/2/2643c588-dc8d-4923-bebd-e3b904edbb3a-big.jpg"]);

        let release = item("1.4_businesswire-newsml-20130731006140.json");
        assert_eq!(release.subjects.len(), 10);
        assert_eq!(release.subjects[0], "Other Consumer");
    }

    #[test]
    fn reads_tt_items_of_2_1_and_3_0() {
        for file in ["2.1_tt_text_image_2.json", "3.0_tt_text_image_3.json"] {
            let item = item(file);
            assert_eq!(item.guid, "http://tt.se/media/text/210526-militarovning-a0f2d045", "{file}");
            assert_eq!(item.headline, "Militärövning i jätteformat hålls 2023", "{file}");
            assert_eq!(item.source, "TT", "{file}");
            assert_eq!(item.language, "sv", "{file}");
            assert_eq!(item.urgency, Some(3), "{file}");
            assert_eq!(item.version_created, Some(datetime!(2021-05-26 11:40:18 UTC)), "{file}");
            assert_eq!(item.subjects, ["Krig, konflikter och oroligheter"], "{file}");
            assert_eq!(
                item.pictures,
                ["https://beta.tt.se/media/text/210526-militarovning-a0f2d045/a001_NormalHires.jpg"],
                "{file}"
            );
            assert!(item.body_html.contains("<blockquote>"), "{file}: {}", item.body_html);
            assert!(!item.body_html.contains("<title"), "{file}: {}", item.body_html);
        }
    }

    #[test]
    fn scripts_are_sanitised_away() {
        let doc = json!({"uri": "urn:x:1", "headline": "H",
                         "body_html": "<p>Hi</p><script>alert(1)</script>"});
        let items = read(&doc).expect("an item");
        assert!(items[0].body_html.contains("<p>Hi</p>"), "{}", items[0].body_html);
        assert!(!items[0].body_html.contains("script"), "{}", items[0].body_html);
        assert!(!items[0].body_html.contains("alert"), "{}", items[0].body_html);
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        assert_eq!(sanitise_html(&paragraphs("a & b\n\nc < d")), "<p>a &amp; b</p><p>c &lt; d</p>");
        assert_eq!(sanitise_html(&paragraphs("one\ntwo")), "<p>one</p><p>two</p>");
        assert_eq!(paragraphs("one\ntwo\n\nthree"), "<p>one two</p><p>three</p>");
    }

    #[test]
    fn dates_are_read_leniently() {
        assert_eq!(parse_date("2013-07-09T10:37Z"), Some(datetime!(2013-07-09 10:37 UTC)));
        assert_eq!(parse_date("2021-05-26T13:40:18+02:00"), Some(datetime!(2021-05-26 11:40:18 UTC)));
        assert_eq!(parse_date("2013-07-09T10:37:00.5Z"), Some(datetime!(2013-07-09 10:37:00.5 UTC)));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn a_document_without_uri_or_guid_is_malformed() {
        let doc = json!({"type": "text", "headline": "H", "body_text": "B"});
        assert!(!is_ninjs(&doc));
        assert!(matches!(read(&doc), Err(IngestError::Malformed(_))));
        assert!(!is_ninjs(&json!({"version": "https://jsonfeed.org/version/1.1", "items": []})));
    }

    #[test]
    fn wrong_types_are_skipped() {
        let doc = json!({"guid": "g1", "headlines": "not a list", "headline": 7,
                         "urgency": "2", "version": "3.1", "subjects": {"name": "x"},
                         "bodies": [{"value": 5}, {"value": "Body"}]});
        let items = read(&doc).expect("an item");
        let item = &items[0];
        assert_eq!(item.guid, "g1");
        assert_eq!(item.headline, "");
        assert_eq!((item.version, item.urgency), (3, Some(2)));
        assert!(item.subjects.is_empty());
        assert_eq!(item.body_html, "<p>Body</p>");
    }
}
