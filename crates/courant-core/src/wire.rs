//! Wire copy: an item an agency or a feed delivered, as the wire desk keeps it. Every format
//! the desk reads (RSS, Atom, JSON Feed, IPTC ninjs, NewsML-G2) becomes this one shape.

use serde::Serialize;
use time::OffsetDateTime;

/// One item of wire copy, in the version last received.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WireItem {
    /// Who delivered it, as the item or its feed names them ("Reuters", "TT", a feed's title).
    pub source: String,
    /// Its identity at the source (a guid, a URI, an id): the same item in a newer version
    /// has the same one.
    pub guid: String,
    /// The version at the source, 1 when the format has none; a higher one replaces a lower.
    pub version: i64,
    pub headline: String,
    pub byline: String,
    /// Where it was reported from ("GROSSETO, Italy").
    pub dateline: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub first_created: Option<OffsetDateTime>,
    /// When this version was made; a later one replaces an earlier one of the same version.
    #[serde(with = "time::serde::rfc3339::option")]
    pub version_created: Option<OffsetDateTime>,
    /// Not to be published before this time.
    #[serde(with = "time::serde::rfc3339::option")]
    pub embargo: Option<OffsetDateTime>,
    /// Subjects and keywords, by name (a code when the item gives no name).
    pub subjects: Vec<String>,
    /// The copy, as sanitised HTML (paragraphs, headings, lists, links).
    pub body_html: String,
    /// Addresses of the pictures it refers to.
    pub pictures: Vec<String>,
    /// Urgency or priority when given, 1 most urgent (IPTC's scale runs 1 to 9).
    pub urgency: Option<i64>,
    /// The original, when it has an address on the web.
    pub link: String,
    /// Its language (`en`), when given.
    pub language: String,
}
