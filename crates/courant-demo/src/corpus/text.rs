//! The shape of a topic's writing material. Each topic file (`topics_*.rs`) fills these with
//! text written for the demo; the generator in `mod.rs` assembles stories from them.
//!
//! Text may contain slots that the generator fills, each from a shared pool of fictional names
//! and numbers: `{town}`, `{town2}` (a different town), `{region}`, `{country}`, `{person}`,
//! `{person2}` (people's full names), `{weekday}`, `{month}`, `{n}` (2-9), `{num}` (10-99),
//! `{big}` (100-999), `{pct}` (2-40), `{year}` (a year soon to come), `{team}`, `{team2}`
//! (football clubs). The shared material (`shared.rs`) may also use `{subject}` and `{Subject}`
//! (the topic's subject, as written or with a capital), `{person3}` (a bystander, never one of
//! the people above) and `{one|or another}` (one of the choices, picked afresh at each use).
//! Anything else in braces is a bug caught by the tests.

use crate::images::Style;

/// Writing material for one topic.
#[derive(Debug, Clone, Copy)]
pub struct TopicText {
    /// Stable identifier, e.g. "rail-strike".
    pub key: &'static str,
    /// Slug of the section the topic's stories are filed in.
    pub section: &'static str,
    /// Tag names shared by the topic's stories, e.g. "Rail strikes".
    pub tags: &'static [&'static str],
    /// One to three short uppercase words drawn on the topic's pictures.
    pub image_words: &'static [&'static str],
    /// What the stories are about, as a singular noun phrase in lower case (proper nouns aside)
    /// that reads after "What we know about": "the regional rail strike". May hold slots.
    pub subject: &'static str,
    /// The picture families that suit the topic; its pictures are drawn in these.
    pub scenes: &'static [Style],
    /// Headline templates: 6 to 14 words, no final full stop.
    pub headlines: &'static [&'static str],
    /// Standfirst templates: one or two sentences.
    pub standfirsts: &'static [&'static str],
    /// Sentences of the topic's own vocabulary; paragraphs are built mostly from these.
    pub sentences: &'static [&'static str],
    /// Subheadings: two to six words.
    pub subheadings: &'static [&'static str],
    /// Quoted words (without quote marks).
    pub quotes: &'static [&'static str],
    /// Roles of the people quoted, e.g. "union spokesperson".
    pub roles: &'static [&'static str],
    /// Items of a "what we know" list.
    pub list_items: &'static [&'static str],
}
