//! The shared test files, every one: well-formed feeds and wire files give items, malformed and
//! hostile ones are refused with a reason.

use courant_ingest::{Format, IngestError, read};
use std::path::{Path, PathBuf};

fn files(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata").join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the shared test data is missing: {}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("xml" | "json")))
        .filter(|p| !p.file_name().and_then(|n| n.to_str()).unwrap_or_default().starts_with("ninjs-schema"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no test files in {}", dir.display());
    files
}

#[test]
fn every_well_formed_feed_gives_items_with_an_identity_and_a_headline() {
    for path in files("feeds/wellformed") {
        let bytes = std::fs::read(&path).expect("read");
        let (format, items) = read(&bytes, "Test feed").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(matches!(format, Format::Rss | Format::Atom | Format::JsonFeed), "{}: {format:?}", path.display());
        assert!(!items.is_empty(), "{}: no items", path.display());
        for item in &items {
            assert!(!item.guid.is_empty() && !item.headline.trim().is_empty(), "{}: {item:?}", path.display());
            assert!(!item.source.is_empty(), "{}: every item has a source", path.display());
            assert!(!item.body_html.contains("<script"), "{}", path.display());
        }
    }
}

#[test]
fn every_malformed_feed_is_refused_with_a_reason() {
    for path in files("feeds/malformed") {
        let bytes = std::fs::read(&path).expect("read");
        match read(&bytes, "Test feed") {
            Ok((format, items)) => panic!("{} was read as {format:?} with {} items", path.display(), items.len()),
            Err(e) => assert!(e.to_string().len() > 10, "{}: the reason says something: {e}", path.display()),
        }
    }
}

#[test]
fn every_wire_example_gives_its_items() {
    for path in files("wire/ninjs") {
        let (format, items) =
            read(&std::fs::read(&path).expect("read"), "Wire").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(format, Format::Ninjs, "{}", path.display());
        assert_eq!(items.len(), 1, "{}", path.display());
    }
    for path in files("wire/newsml-g2") {
        let (format, _) =
            read(&std::fs::read(&path).expect("read"), "Wire").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(format, Format::NewsmlG2, "{}", path.display());
    }
}

#[test]
fn a_feed_is_read_field_by_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/feeds/wellformed");
    let (_, items) = read(&std::fs::read(dir.join("feed-rs__rss_2.0_bbc.xml")).expect("read"), "x").expect("reads");
    let first = &items[0];
    assert_eq!(first.source, "In Our Time", "the feed's title is the source");
    assert_eq!(first.guid, "urn:bbc:podcast:m000sjxt");
    assert_eq!(first.headline, "Marcus Aurelius");
    assert_eq!(first.link, "http://www.bbc.co.uk/programmes/m000sjxt");
    assert_eq!(first.version_created, Some(time::macros::datetime!(2021-02-25 10:15 UTC)));
    assert_eq!(first.language, "en");
    assert_eq!(first.version, 1);
    // Latin-1 feeds are read as what they say they are.
    let (_, items) = read(&std::fs::read(dir.join("feed-rs__rss_1.0_iso8859.xml")).expect("read"), "x").expect("reads");
    assert!(!items.is_empty());
}

#[test]
fn hostile_and_foreign_documents_are_refused() {
    let laughs = br#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>"#;
    let e = read(laughs, "x").expect_err("refused");
    assert!(e.to_string().contains("declares entities"), "{e}");
    let external = br#"<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]><feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>"#;
    assert!(read(external, "x").expect_err("refused").to_string().contains("declares entities"));
    let undeclared = br#"<rss version="2.0"><channel><title>&x;</title></channel></rss>"#;
    assert!(read(undeclared, "x").expect_err("refused").to_string().contains("&x;"));
    assert!(matches!(read(b"<html><body>hi</body></html>", "x"), Err(IngestError::Unknown(_))));
    assert!(matches!(read(br#"{"posts": []}"#, "x"), Err(IngestError::Unknown(_))));
    assert!(matches!(read(b"   ", "x"), Err(IngestError::Unknown(_))));
}
