//! The demo paper's words: its sections, journalists, sources, and stories assembled from each
//! topic's writing material (`topics_*.rs`) and shared pools of fictional names and numbers.
//! All of it is written for Courant; agency and outlet names are used only as source names.

mod shared;
mod text;
mod topics_business;
mod topics_culture;
mod topics_news;

pub use text::TopicText as Topic;

use crate::rng::Rng;
use std::sync::OnceLock;

/// A section of the demo paper; `parent` is the slug of its parent.
#[derive(Debug, Clone)]
pub struct SectionSeed {
    pub slug: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub parent: Option<&'static str>,
}

/// The paper's sections, parents before their children.
pub fn sections() -> Vec<SectionSeed> {
    let s = |slug, name, description, parent| SectionSeed { slug, name, description, parent };
    vec![
        s("news", "News", "What happened today, at home and abroad.", None),
        s("world", "World", "Reporting from our correspondents and the agencies abroad.", Some("news")),
        s("politics", "Politics", "Parliament, government and the parties.", Some("news")),
        s("local", "Local", "The city and the region: councils, transport, housing.", Some("news")),
        s("business", "Business", "Companies, work and the economy.", None),
        s("markets", "Markets", "Rates, prices and the money behind them.", Some("business")),
        s("technology", "Technology", "The industry and the rules that shape it.", Some("business")),
        s("sport", "Sport", "Results, races and the people behind them.", None),
        s("football", "Football", "The league, the clubs and the title race.", Some("sport")),
        s("culture", "Culture", "Museums, film, music and the stage.", None),
        s("science", "Science", "Discoveries, research and what they mean.", None),
        s("opinion", "Opinion", "Columns and commentary from our writers.", None),
    ]
}

/// A journalist of the demo paper.
#[derive(Debug, Clone)]
pub struct AuthorSeed {
    pub slug: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub bio: &'static str,
    /// What the journalist covers: section slugs and topic keys. Empty for editors and general
    /// reporters, who may write about anything and fill in where no specialist does.
    pub beats: &'static [&'static str],
}

impl AuthorSeed {
    /// Whether `topic` is on the journalist's beat: its section, or the topic itself.
    pub fn covers(&self, topic: &Topic) -> bool {
        self.beats.iter().any(|b| *b == topic.section || *b == topic.key)
    }

    /// Whether the journalist is an editor or general reporter, with no beat of their own.
    pub fn is_general(&self) -> bool {
        self.beats.is_empty()
    }
}

/// The beat of an editor or general reporter.
const GENERAL: &[&str] = &[];

/// The paper's journalists (fictional), each with the beat their title promises.
pub fn authors() -> Vec<AuthorSeed> {
    let a = |slug, name, title, beats: &'static [&'static str], bio| AuthorSeed { slug, name, title, bio, beats };
    vec![
        a(
            "maren-holt",
            "Maren Holt",
            "Political correspondent",
            &["politics"],
            "Maren Holt covers parliament and the coalition. She joined the paper from a regional daily, where she spent six years on the council beat.",
        ),
        a(
            "tomas-okafor",
            "Tomas Okafor",
            "Transport reporter",
            &["rail-strike", "port-expansion", "delivery-app-rules"],
            "Tomas Okafor writes about trains, buses and the people who depend on them. He commutes by bike and by rail, depending on the strike calendar.",
        ),
        a(
            "ines-carvalho",
            "Ines Carvalho",
            "World affairs editor",
            &["world"],
            "Ines Carvalho edits the World desk. She has reported on elections on three continents and speaks four languages.",
        ),
        a(
            "yusuf-demir",
            "Yusuf Demir",
            "Markets editor",
            &["markets"],
            "Yusuf Demir follows interest rates, energy prices and the currency. Before journalism he spent a decade on a bank's trading floor.",
        ),
        a(
            "hanna-lindqvist",
            "Hanna Lindqvist",
            "Technology correspondent",
            &["technology"],
            "Hanna Lindqvist reports on chips, data centres and the platforms. She studied electrical engineering before switching to reporting.",
        ),
        a(
            "rafael-moreno",
            "Rafael Moreno",
            "Football writer",
            &["football"],
            "Rafael Moreno has followed the league for twelve seasons. He keeps a spreadsheet of every goal scored since he started.",
        ),
        a(
            "aiko-tanaka",
            "Aiko Tanaka",
            "Science editor",
            &["science"],
            "Aiko Tanaka edits the Science pages. She writes about space, climate and medicine, and runs the paper's night-sky guide.",
        ),
        a(
            "olu-adeyemi",
            "Olu Adeyemi",
            "Local affairs reporter",
            &["local"],
            "Olu Adeyemi covers the city council, housing and the river. He grew up two streets from the old rail yard.",
        ),
        a(
            "claire-dubois",
            "Claire Dubois",
            "Culture editor",
            &["culture"],
            "Claire Dubois edits the Culture section and reviews film and theatre. She has sat on two festival juries.",
        ),
        a(
            "piotr-nowak",
            "Piotr Nowak",
            "Business reporter",
            &["business", "delivery-app-rules"],
            "Piotr Nowak writes about retail, supply chains and the companies behind the weekly shop.",
        ),
        a(
            "leila-haddad",
            "Leila Haddad",
            "Health correspondent",
            &["vaccine-trial"],
            "Leila Haddad covers hospitals, trials and public health. She trained as a nurse before she became a reporter.",
        ),
        a(
            "sean-mcbride",
            "Sean McBride",
            "Columnist",
            &["opinion"],
            "Sean McBride writes a weekly column about city life and the daily commute. Readers write to him more than to anyone else at the paper.",
        ),
        a(
            "nadia-petrova",
            "Nadia Petrova",
            "Environment reporter",
            &["glacier-melt", "flood-defences", "drought-relief"],
            "Nadia Petrova reports on weather, water and the changing climate, often from the mountains she grew up in.",
        ),
        a(
            "daniel-weiss",
            "Daniel Weiss",
            "Sports reporter",
            &["sport", "football"],
            "Daniel Weiss covers running, cycling and the city's sporting events. He has finished the city marathon seven times.",
        ),
        a(
            "grace-mensah",
            "Grace Mensah",
            "Deputy editor",
            GENERAL,
            "Grace Mensah is the paper's deputy editor and writes about local journalism and civic life.",
        ),
    ]
}

/// A source of reporting.
#[derive(Debug, Clone)]
pub struct SourceSeed {
    pub slug: &'static str,
    pub name: &'static str,
    pub url: &'static str,
    /// One of `courant_core::SOURCE_KINDS`.
    pub kind: &'static str,
}

/// Real news agencies and outlets, by name and address only: a story credits them as sources.
pub fn sources() -> Vec<SourceSeed> {
    let outlets = [
        "bloomberg",
        "bbc-news",
        "the-guardian",
        "le-monde",
        "der-spiegel",
        "el-pais",
        "financial-times",
        "al-jazeera",
        "nhk",
    ];
    let s = |slug: &'static str, name, url| {
        let kind = match slug {
            "bbc-news" | "al-jazeera" | "nhk" => "broadcaster",
            "der-spiegel" => "magazine",
            _ if outlets.contains(&slug) => "newspaper",
            _ => "agency",
        };
        SourceSeed { slug, name, url, kind }
    };
    vec![
        s("reuters", "Reuters", "https://www.reuters.com"),
        s("associated-press", "Associated Press", "https://apnews.com"),
        s("afp", "Agence France-Presse", "https://www.afp.com"),
        s("dpa", "Deutsche Presse-Agentur", "https://www.dpa.com"),
        s("ansa", "ANSA", "https://www.ansa.it"),
        s("efe", "EFE", "https://www.efe.com"),
        s("kyodo", "Kyodo News", "https://english.kyodonews.net"),
        s("yonhap", "Yonhap", "https://en.yna.co.kr"),
        s("pa-media", "PA Media", "https://pa.media"),
        s("canadian-press", "The Canadian Press", "https://www.thecanadianpress.com"),
        s("aap", "Australian Associated Press", "https://www.aap.com.au"),
        s("anadolu", "Anadolu Agency", "https://www.aa.com.tr"),
        s("bloomberg", "Bloomberg", "https://www.bloomberg.com"),
        s("bbc-news", "BBC News", "https://www.bbc.co.uk/news"),
        s("the-guardian", "The Guardian", "https://www.theguardian.com"),
        s("le-monde", "Le Monde", "https://www.lemonde.fr"),
        s("der-spiegel", "Der Spiegel", "https://www.spiegel.de"),
        s("el-pais", "El País", "https://elpais.com"),
        s("financial-times", "Financial Times", "https://www.ft.com"),
        s("al-jazeera", "Al Jazeera", "https://www.aljazeera.com"),
        s("nhk", "NHK", "https://www3.nhk.or.jp"),
        s("ntb", "NTB", "https://www.ntb.no"),
        s("tt", "TT Nyhetsbyrån", "https://tt.se"),
        s("belga", "Belga", "https://www.belga.be"),
        s("apa", "Austria Presse Agentur", "https://apa.at"),
        s("ritzau", "Ritzau", "https://ritzau.dk"),
    ]
}

/// Every topic of the demo paper.
pub fn topics() -> &'static [Topic] {
    static ALL: OnceLock<Vec<Topic>> = OnceLock::new();
    ALL.get_or_init(|| {
        topics_news::TOPICS.iter().chain(topics_business::TOPICS).chain(topics_culture::TOPICS).copied().collect()
    })
}

/// One block of a story's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Subheading(String),
    /// Quoted words, who said them, and in what role.
    Quote {
        text: String,
        speaker: String,
        role: String,
    },
    List(Vec<String>),
}

/// The shape of a story's body, so that stories on one subject do not all read alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// The news: paragraphs under a few subheadings, often a quote, sometimes a list.
    Report,
    /// Questions a reader would ask as subheadings, each answered in a paragraph or two.
    Explainer,
    /// Reaction: several people quoted in turn, between short paragraphs.
    Voices,
    /// Fewer, longer paragraphs under two or three subheadings.
    Analysis,
    /// A few short paragraphs and no subheadings.
    Brief,
    /// An opinion column: the writer's own voice, few subheadings.
    Column,
}

/// A generated story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryText {
    pub topic: &'static str,
    pub headline: String,
    pub standfirst: String,
    pub body: Vec<Block>,
    pub tags: Vec<String>,
    pub form: Form,
    /// The topic's subject with its slots filled as in this story ("the Harwick marathon"), for
    /// the caption of its picture.
    pub subject: String,
    /// Which headline pattern was used: an index into the topic's headlines, then into its
    /// desk's shared frames. Stories on one topic go through all patterns before reusing one.
    pub headline_pattern: usize,
}

/// The caption and alt text of a story's picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureText {
    pub caption: String,
    pub alt: String,
}

const TOWNS: &[&str] = &[
    "Harwick",
    "Stellmouth",
    "Brenford",
    "Calder Cross",
    "Oakhaven",
    "Kestrel Bay",
    "Ashbury",
    "Dunmere",
    "Wrenfield",
    "Millbeck",
    "Sorrel Hill",
    "Eastholm",
    "Larkspur",
    "Norcaster",
    "Pendle Vale",
    "Greywater",
    "Thornbury Heath",
    "Redmarsh",
    "Hollins Ford",
    "Sallow Green",
    "Brackwater",
    "Elmridge",
    "Fenwick Moor",
    "Castlebrook",
];
const REGIONS: &[&str] = &[
    "the Northern Lowlands",
    "the Vell Valley",
    "the Eastern Coast",
    "the Upper Marches",
    "the Salt Plains",
    "the Western Hills",
    "the Lake District of Ostmark",
    "the Amber Coast",
    "the High Moors",
    "the River Tarn basin",
];
const COUNTRIES: &[&str] = &["Valdoria", "Ostmark", "Serania", "Kallonia", "Mirevia", "Tarsland", "Belmora", "Quillon"];
const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Chiara", "David", "Elif", "Farid", "Greta", "Hugo", "Ingrid", "Jonas", "Kemi", "Luca", "Mei",
    "Nils", "Olga", "Pavel", "Rosa", "Samir", "Tove", "Umar", "Vera", "Wiktor", "Yara", "Zofia", "Emeka", "Lucia",
    "Arjun", "Sofia",
];
const LAST_NAMES: &[&str] = &[
    "Albers",
    "Brandt",
    "Castillo",
    "Dlamini",
    "Eriksen",
    "Ferreira",
    "Gallo",
    "Hartmann",
    "Ilves",
    "Jansen",
    "Kowalczyk",
    "Lindgren",
    "Mwangi",
    "Novak",
    "Osei",
    "Pereira",
    "Quinn",
    "Rahman",
    "Sandoval",
    "Takahashi",
    "Ulrich",
    "Varga",
    "Whitlock",
    "Yilmaz",
    "Zeller",
    "Achterberg",
    "Bianchi",
    "Cheng",
];
const TEAMS: &[&str] = &[
    "Harwick Rovers",
    "Stellmouth Athletic",
    "Brenford United",
    "Oakhaven City",
    "Dunmere Wanderers",
    "Kestrel Bay",
    "Norcaster Town",
    "Greywater Albion",
];
const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The slot values of one story: every `{town}` in it names the same town and every `{person}`
/// the same person; numbers, `{person3}` (a bystander) and `{a|b}` choices are drawn afresh at
/// each use, as figures in a story differ.
struct Slots {
    numbers: std::cell::RefCell<Rng>,
    town: &'static str,
    town2: &'static str,
    region: &'static str,
    country: &'static str,
    person: String,
    person2: String,
    weekday: &'static str,
    month: &'static str,
    year: String,
    team: &'static str,
    team2: &'static str,
    /// The topic's subject, filled.
    subject: String,
    /// The people quoted in the story, none of them `person` or `person2`.
    voices: [String; 3],
}

impl Slots {
    fn new(r: &mut Rng, topic: &Topic) -> Slots {
        let towns = r.sample_indexes(TOWNS.len(), 2);
        let teams = r.sample_indexes(TEAMS.len(), 2);
        let mut names: Vec<String> = Vec::with_capacity(5);
        // Five different people; with 784 names a clash is rare, and a few redraws settle it.
        for _ in 0..40 {
            let name = person(r);
            if !names.contains(&name) {
                names.push(name);
            }
            if names.len() == 5 {
                break;
            }
        }
        while names.len() < 5 {
            names.push(format!("{} {}", FIRST_NAMES[names.len()], LAST_NAMES[names.len()]));
        }
        let mut names = names.into_iter();
        let mut next = || names.next().unwrap_or_default();
        let mut slots = Slots {
            numbers: std::cell::RefCell::new(r.fork(0x5107)),
            town: TOWNS[towns[0]],
            town2: TOWNS[towns[1]],
            region: *r.pick(REGIONS),
            country: *r.pick(COUNTRIES),
            person: next(),
            person2: next(),
            weekday: *r.pick(WEEKDAYS),
            month: *r.pick(MONTHS),
            year: r.range(2027, 2031).to_string(),
            team: TEAMS[teams[0]],
            team2: TEAMS[teams[1]],
            subject: String::new(),
            voices: [next(), next(), next()],
        };
        slots.subject = slots.fill(topic.subject);
        slots
    }

    fn get(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        let number = |lo: usize, hi: usize| Some(self.numbers.borrow_mut().range(lo, hi).to_string().into());
        if name.contains('|') {
            let choices: Vec<&str> = name.split('|').collect();
            return Some(self.numbers.borrow_mut().pick(&choices).to_string().into());
        }
        Some(
            match name {
                "n" => return number(2, 9),
                "num" => return number(10, 99),
                "big" => return number(100, 999),
                "pct" => return number(2, 40),
                "person3" => return Some(self.bystander().into()),
                "Subject" => return Some(capitalise(self.subject.clone()).into()),
                "subject" => &self.subject,
                "town" => self.town,
                "town2" => self.town2,
                "region" => self.region,
                "country" => self.country,
                "person" => &self.person,
                "person2" => &self.person2,
                "weekday" => self.weekday,
                "month" => self.month,
                "year" => &self.year,
                "team" => self.team,
                "team2" => self.team2,
                _ => return None,
            }
            .into(),
        )
    }

    /// Someone who is none of the story's named people.
    fn bystander(&self) -> String {
        let mut numbers = self.numbers.borrow_mut();
        let mut name = person(&mut numbers);
        for _ in 0..8 {
            if name != self.person && name != self.person2 && !self.voices.contains(&name) {
                break;
            }
            name = person(&mut numbers);
        }
        name
    }

    /// `template` with its slots filled. An unknown slot is kept as written (the tests catch it).
    fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}').and_then(|close| self.get(&after[..close]).map(|v| (close, v))) {
                Some((close, value)) => {
                    out.push_str(&value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

fn person(r: &mut Rng) -> String {
    format!("{} {}", *r.pick(FIRST_NAMES), *r.pick(LAST_NAMES))
}

/// `text` with a capital first letter (a slot such as `{region}` may open it in lower case).
fn capitalise(mut text: String) -> String {
    if let Some(first) = text.chars().next().filter(|c| c.is_lowercase()) {
        let upper: String = first.to_uppercase().collect();
        text.replace_range(..first.len_utf8(), &upper);
    }
    text
}

/// A 64-bit FNV-1a hash: what the writer remembers of each headline and standfirst, so that
/// 100,000 stories cost a few megabytes of memory rather than their whole text.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// How many patterns the writer tries before it settles for a headline or standfirst it has
/// written before (only long runs, far beyond what a reader browses, get that far).
const TRIES: usize = 12;

/// The shortest and longest headline, in words.
const HEADLINE_WORDS: std::ops::RangeInclusive<usize> = 5..=16;

/// A standfirst lead longer than this many words gets no second sentence.
const STANDFIRST_LEAD_WORDS: usize = 26;

/// A shuffled order of a topic's patterns, dealt one at a time and reshuffled when spent, so
/// all are used before any repeats, and a new round does not open with the last few dealt.
#[derive(Debug, Default)]
struct Deck {
    order: Vec<usize>,
    next: usize,
}

impl Deck {
    fn deal(&mut self, r: &mut Rng, len: usize) -> usize {
        if len == 0 {
            return 0;
        }
        if self.next >= self.order.len() || self.order.len() != len {
            // The last few dealt (up to a third of the deck) go to the end of the new round.
            let keep_back = (len / 3).min(3);
            let recent: Vec<usize> = self.order[..self.next.min(self.order.len())]
                .iter()
                .rev()
                .take(keep_back)
                .copied()
                .filter(|&i| i < len)
                .collect();
            let (mut order, later): (Vec<usize>, Vec<usize>) =
                r.sample_indexes(len, len).into_iter().partition(|i| !recent.contains(i));
            order.extend(later);
            self.order = order;
            self.next = 0;
        }
        let dealt = self.order[self.next];
        self.next += 1;
        dealt
    }
}

#[derive(Debug, Default)]
struct Decks {
    headlines: Deck,
    leads: Deck,
}

/// Writes the demo's stories and remembers what it has written: stories on one topic take turns
/// through its headline patterns and standfirst leads, and no headline or standfirst is written
/// twice (issue #19). Deterministic: the same stories in the same order give the same text.
#[derive(Debug, Default)]
pub struct Writer {
    decks: std::collections::HashMap<&'static str, Decks>,
    headlines: std::collections::HashSet<u64>,
    standfirsts: std::collections::HashSet<u64>,
}

impl Writer {
    /// A writer that has written nothing yet.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// Writes a story about `topic`; `index` (the story's number in the run) varies it.
    pub fn write(&mut self, r: &mut Rng, topic: &Topic, index: usize) -> StoryText {
        let mut r = r.fork(index as u64);
        let family = shared::family(topic.section);
        let slots = Slots::new(&mut r, topic);
        let decks = self.decks.entry(topic.key).or_default();

        // The headline: the topic's own patterns and the desk's frames around its subject.
        let patterns = topic.headlines.len() + family.frames.len();
        let mut chosen = None;
        let mut fallback = None;
        for _ in 0..TRIES {
            let pattern = decks.headlines.deal(&mut r, patterns);
            let template = match topic.headlines.get(pattern) {
                Some(own) => own,
                None => family.frames.get(pattern - topic.headlines.len()).unwrap_or(&topic.key),
            };
            let text = capitalise(slots.fill(template));
            if !HEADLINE_WORDS.contains(&text.split_whitespace().count()) {
                continue;
            }
            if self.headlines.insert(fingerprint(&text)) {
                chosen = Some((pattern, text));
                break;
            }
            if fallback.is_none() {
                fallback = Some((pattern, text));
            }
        }
        let (headline_pattern, headline) = chosen
            .or(fallback)
            .unwrap_or_else(|| (0, capitalise(slots.fill(topic.headlines.first().unwrap_or(&topic.key)))));

        // The standfirst: one of the topic's standfirsts or one of its sentences (which the
        // body then leaves out), often followed by a shorter sentence of the desk's.
        let leads = topic.standfirsts.len() + topic.sentences.len();
        let mut chosen = None;
        let mut fallback = None;
        for _ in 0..TRIES {
            let lead = decks.leads.deal(&mut r, leads);
            let (template, sentence) = match topic.standfirsts.get(lead) {
                Some(own) => (*own, None),
                None => {
                    let i = lead - topic.standfirsts.len();
                    (topic.sentences.get(i).copied().unwrap_or(topic.key), Some(i))
                }
            };
            let mut text = capitalise(slots.fill(template));
            let odds = if sentence.is_some() { 0.7 } else { 0.4 };
            if text.split_whitespace().count() <= STANDFIRST_LEAD_WORDS && !family.angles.is_empty() && r.chance(odds) {
                text.push(' ');
                text.push_str(&capitalise(slots.fill(*r.pick(family.angles))));
            }
            if self.standfirsts.insert(fingerprint(&text)) {
                chosen = Some((sentence, text));
                break;
            }
            if fallback.is_none() {
                fallback = Some((sentence, text));
            }
        }
        let (lead_sentence, standfirst) = chosen
            .or(fallback)
            .unwrap_or_else(|| (None, capitalise(slots.fill(topic.standfirsts.first().unwrap_or(&topic.key)))));

        let form = pick_form(&mut r, family);
        let body = compose(&mut r, topic, family, &slots, form, lead_sentence);

        let mut tags = vec![topic.tags[0].to_string()];
        let extra = r.range(0, 3);
        for i in r.sample_indexes(topic.tags.len() - 1, extra) {
            tags.push(topic.tags[i + 1].to_string());
        }
        StoryText {
            topic: topic.key,
            headline,
            standfirst,
            body,
            tags,
            form,
            subject: slots.subject.clone(),
            headline_pattern,
        }
    }
}

/// Generates one story about `topic`, remembering no other; `index` (the story's number in the
/// run) varies it. [`Writer`] keeps a run of stories from repeating each other.
pub fn story(r: &mut Rng, topic: &Topic, index: usize) -> StoryText {
    Writer::new().write(r, topic, index)
}

fn pick_form(r: &mut Rng, family: &shared::Family) -> Form {
    if family.questions.is_empty() {
        return Form::Column;
    }
    match r.below(20) {
        0..=7 => Form::Report,
        8..=10 => Form::Explainer,
        11..=13 => Form::Voices,
        14..=16 => Form::Analysis,
        _ => Form::Brief,
    }
}

/// First words that may follow a connector in lower case ("Meanwhile, the council…"); any
/// other (a name, "I") keeps the sentence as it is.
const LOWERABLE: &[&str] = &[
    "The",
    "A",
    "An",
    "Some",
    "Many",
    "Several",
    "Most",
    "More",
    "Around",
    "About",
    "Few",
    "Two",
    "Three",
    "Four",
    "Five",
    "Early",
    "Critics",
    "Officials",
    "Residents",
    "Supporters",
    "Analysts",
    "Neither",
    "Both",
    "Its",
    "Their",
    "This",
    "These",
    "Those",
    "Other",
    "Independent",
    "Local",
    "Police",
    "Observers",
    "Scientists",
    "Researchers",
    "Investors",
    "Economists",
    "Volunteers",
    "Tickets",
    "Shares",
];

/// Words that show a sentence already says who says so, or speaks for its writer.
const SPOKEN: &[&str] = &[
    " said",
    " says",
    "ccording to",
    " told",
    " confirmed",
    " warned",
    " argue",
    " claim",
    " I ",
    " my ",
    " we ",
    "?",
];

/// The sentences of a story's paragraphs: the topic's own first, each at most once and in a
/// fresh order; the desk's shared ones mixed in and used when the topic's run out.
struct Prose<'a> {
    topic: &'a Topic,
    family: &'static shared::Family,
    slots: &'a Slots,
    own: std::vec::IntoIter<usize>,
    shared: std::vec::IntoIter<usize>,
    written: usize,
}

impl Prose<'_> {
    fn shared_sentence(&self, i: usize) -> &'static str {
        let generic = self.family.generic;
        generic.get(i).copied().or_else(|| shared::COMMON.get(i - generic.len()).copied()).unwrap_or("")
    }

    /// The next sentence, or `None` when every one has been used (so none is repeated).
    fn sentence(&mut self, r: &mut Rng, joined: bool) -> Option<String> {
        self.written += 1;
        // The opening states the news: the topic's own sentences only.
        let mixed = if self.written > 3 && r.chance(0.25) { self.shared.next() } else { None };
        let template = match mixed {
            Some(i) => self.shared_sentence(i),
            None => match self.own.next() {
                Some(i) => self.topic.sentences[i],
                None => {
                    let i = self.shared.next()?;
                    self.shared_sentence(i)
                }
            },
        };
        let text = capitalise(self.slots.fill(template));
        Some(self.vary(r, text, joined))
    }

    /// Now and then joins a sentence to the one before it or says who says so, so the same
    /// fact does not read the same way in every story.
    fn vary(&self, r: &mut Rng, text: String, joined: bool) -> String {
        if self.written <= 1 || self.family.attributions.is_empty() {
            return text;
        }
        let x = r.f64();
        let first = text.split(' ').next().unwrap_or("");
        if joined && x < 0.12 && LOWERABLE.contains(&first) {
            let connector = r.pick(shared::CONNECTORS);
            let mut chars = text.chars();
            let lowered: String = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
            return format!("{connector}, {lowered}");
        }
        if (0.12..0.24).contains(&x) && text.ends_with('.') && !SPOKEN.iter().any(|w| text.contains(w)) {
            let ending = r.pick(self.family.attributions);
            return format!("{}{ending}.", &text[..text.len() - 1]);
        }
        text
    }

    /// A paragraph of `sentences` sentences (fewer when they run out; none gives `None`).
    fn paragraph(&mut self, r: &mut Rng, sentences: usize) -> Option<Block> {
        let mut parts = Vec::with_capacity(sentences);
        for j in 0..sentences {
            match self.sentence(r, j > 0) {
                Some(s) => parts.push(s),
                None => break,
            }
        }
        (!parts.is_empty()).then(|| Block::Paragraph(parts.join(" ")))
    }
}

/// How a sectioned form is built: ranges of paragraphs, sentences per paragraph and
/// subheadings, and the odds of a quote and of a list.
struct Shape {
    paragraphs: (usize, usize),
    sentences: (usize, usize),
    subheadings: (usize, usize),
    quote: f64,
    list: f64,
}

fn compose(
    r: &mut Rng,
    topic: &Topic,
    family: &'static shared::Family,
    slots: &Slots,
    form: Form,
    leave_out: Option<usize>,
) -> Vec<Block> {
    let own: Vec<usize> = r
        .sample_indexes(topic.sentences.len(), topic.sentences.len())
        .into_iter()
        .filter(|i| Some(*i) != leave_out)
        .collect();
    // Columns speak for their writer; reported stories also draw on the common pool.
    let pool = family.generic.len() + if form == Form::Column { 0 } else { shared::COMMON.len() };
    let mut prose = Prose {
        topic,
        family,
        slots,
        own: own.into_iter(),
        shared: r.sample_indexes(pool, pool).into_iter(),
        written: 0,
    };
    let quote = |r: &mut Rng, which: usize| Block::Quote {
        text: capitalise(slots.fill(*r.pick(topic.quotes))),
        speaker: slots.voices[which % slots.voices.len()].clone(),
        role: slots.fill(*r.pick(topic.roles)),
    };
    let list = |r: &mut Rng| {
        let count = r.range(3, 5);
        let items = r.sample_indexes(topic.list_items.len(), count);
        Block::List(items.into_iter().map(|i| capitalise(slots.fill(topic.list_items[i]))).collect())
    };
    let shape = match form {
        Form::Explainer => return explainer(r, &mut prose, family, quote, list),
        Form::Voices => return voices(r, &mut prose, topic, slots),
        Form::Report => Shape { paragraphs: (4, 9), sentences: (2, 3), subheadings: (1, 3), quote: 0.6, list: 0.2 },
        Form::Analysis => Shape { paragraphs: (5, 7), sentences: (3, 4), subheadings: (2, 3), quote: 0.4, list: 0.0 },
        Form::Brief => Shape { paragraphs: (3, 4), sentences: (1, 2), subheadings: (0, 0), quote: 0.3, list: 0.0 },
        Form::Column => Shape { paragraphs: (5, 8), sentences: (2, 3), subheadings: (0, 2), quote: 0.4, list: 0.1 },
    };

    let paragraphs = r.range(shape.paragraphs.0, shape.paragraphs.1);
    let subheadings = r
        .range(shape.subheadings.0, shape.subheadings.1)
        .min(paragraphs.saturating_sub(2))
        .min(topic.subheadings.len());
    // Gaps are "before paragraph g"; subheadings never open or close the body.
    let mut gaps: Vec<usize> = r.sample_indexes(paragraphs - 2, subheadings).into_iter().map(|g| g + 2).collect();
    gaps.sort_unstable();
    let quote_at = r.chance(shape.quote).then(|| r.range(1, paragraphs - 1));
    let list_at = r.chance(shape.list).then(|| r.range(2, paragraphs - 1));
    let heads = r.sample_indexes(topic.subheadings.len(), subheadings);
    let mut body: Vec<Block> = Vec::new();
    for p in 0..paragraphs {
        let sentences = r.range(shape.sentences.0, shape.sentences.1);
        let Some(paragraph) = prose.paragraph(r, sentences) else { break };
        if let Some(pos) = gaps.iter().position(|&g| g == p) {
            body.push(Block::Subheading(capitalise(slots.fill(topic.subheadings[heads[pos]]))));
        }
        body.push(paragraph);
        if quote_at == Some(p) {
            body.push(quote(r, 0));
        } else if list_at == Some(p) {
            body.push(list(r));
        }
    }
    body
}

/// An explainer: an opening paragraph, then three or four of the desk's questions, in order,
/// each answered in a paragraph or two; a list of what is known under one, a quote under another.
fn explainer(
    r: &mut Rng,
    prose: &mut Prose<'_>,
    family: &shared::Family,
    quote: impl Fn(&mut Rng, usize) -> Block,
    list: impl Fn(&mut Rng) -> Block,
) -> Vec<Block> {
    let mut body: Vec<Block> = prose.paragraph(r, 2).into_iter().collect();
    let count = r.range(3, 4).min(family.questions.len());
    let mut questions = r.sample_indexes(family.questions.len(), count);
    questions.sort_unstable();
    let list_under = r.chance(0.6).then(|| r.below(count.max(1)));
    let quote_under = r.chance(0.5).then(|| r.below(count.max(1)));
    for (k, q) in questions.into_iter().enumerate() {
        let mut answers: Vec<Block> = Vec::new();
        for _ in 0..r.range(1, 2) {
            let sentences = r.range(2, 3);
            answers.extend(prose.paragraph(r, sentences));
        }
        if answers.is_empty() {
            break;
        }
        body.push(Block::Subheading(family.questions[q].to_string()));
        body.extend(answers);
        if list_under == Some(k) {
            body.push(list(r));
        } else if quote_under == Some(k) {
            body.push(quote(r, 0));
        }
    }
    body
}

/// Reaction: an opening paragraph, then two or three people quoted in turn, each introduced
/// by a short paragraph, a subheading before a later one, and a closing paragraph.
fn voices(r: &mut Rng, prose: &mut Prose<'_>, topic: &Topic, slots: &Slots) -> Vec<Block> {
    let opening = r.range(2, 3);
    let mut body: Vec<Block> = prose.paragraph(r, opening).into_iter().collect();
    let count = r.range(2, 3).min(topic.quotes.len()).min(topic.roles.len()).max(1);
    let quotes = r.sample_indexes(topic.quotes.len(), count);
    let roles = r.sample_indexes(topic.roles.len(), count);
    let head_before = (count > 1 && !topic.subheadings.is_empty()).then(|| 1 + r.below(count - 1));
    for (v, (q, role)) in quotes.into_iter().zip(roles).enumerate() {
        let sentences = r.range(1, 2);
        let Some(paragraph) = prose.paragraph(r, sentences) else { break };
        if head_before == Some(v) {
            body.push(Block::Subheading(capitalise(slots.fill(*r.pick(topic.subheadings)))));
        }
        body.push(paragraph);
        body.push(Block::Quote {
            text: capitalise(slots.fill(topic.quotes[q])),
            speaker: slots.voices[v % slots.voices.len()].clone(),
            role: slots.fill(topic.roles[role]),
        });
    }
    body.extend(prose.paragraph(r, 2));
    body
}

/// The caption and alt text of a story's picture, from what the picture shows: its `scene` in
/// words and the `lettering` drawn on it, tied to the story's subject (issue #19: captions
/// described photographs nobody had taken).
pub fn picture_text(r: &mut Rng, story: &StoryText, scene: &str, lettering: Option<&str>) -> PictureText {
    let subject = &story.subject;
    let scene_cap = capitalise(scene.to_string());
    let (caption, alt) = match lettering.filter(|w| !w.trim().is_empty()) {
        Some(words) => {
            let caption = match r.below(4) {
                0 => format!("{scene_cap}, lettered {words}: our illustration for {subject}."),
                1 => format!("Our illustration for {subject}: {scene}, with the words {words}."),
                2 => format!("The words {words} across {scene}, drawn to go with this story on {subject}."),
                _ => format!("{scene_cap}, with {words} lettered on a dark band, illustrating {subject}."),
            };
            (caption, format!("{scene_cap}, with the words {words} in pale capitals on a dark band."))
        }
        None => (format!("{scene_cap}: our illustration for {subject}."), format!("{scene_cap}.")),
    };
    PictureText { caption, alt }
}

/// The byline of a story about `topic`: indexes into `authors`. The lead writer has the topic
/// or its section on their beat (those with the topic itself are likelier); a second name, on
/// about one story in seven and never on a column, is another such specialist or else a general
/// reporter. With no specialist at all, a general reporter or editor writes it (issue #19: a
/// health correspondent was writing football).
pub fn byline(r: &mut Rng, topic: &Topic, authors: &[AuthorSeed]) -> Vec<usize> {
    let specialists: Vec<(usize, usize)> = authors
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            if a.beats.contains(&topic.key) {
                Some((i, 3))
            } else if a.beats.contains(&topic.section) {
                Some((i, 2))
            } else {
                None
            }
        })
        .collect();
    let general: Vec<(usize, usize)> =
        authors.iter().enumerate().filter(|(_, a)| a.is_general()).map(|(i, _)| (i, 1)).collect();
    let pick = |r: &mut Rng, from: &[(usize, usize)], not: Option<usize>| -> Option<usize> {
        let total: usize = from.iter().filter(|(i, _)| Some(*i) != not).map(|(_, w)| w).sum();
        if total == 0 {
            return None;
        }
        let mut x = r.below(total);
        for &(i, w) in from.iter().filter(|(i, _)| Some(*i) != not) {
            if x < w {
                return Some(i);
            }
            x -= w;
        }
        None
    };
    let Some(lead) = pick(r, &specialists, None).or_else(|| pick(r, &general, None)) else {
        return Vec::new();
    };
    let mut names = vec![lead];
    if topic.section != "opinion"
        && r.chance(0.15)
        && let Some(second) = pick(r, &specialists, Some(lead)).or_else(|| pick(r, &general, Some(lead)))
    {
        names.push(second);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    const FORBIDDEN: &[char] = &['#', '*', '_', '<', '>', '[', ']', '`', '|', '~', '\\', '{', '}', '"'];

    fn check_text(what: &str, text: &str) {
        assert!(!text.trim().is_empty(), "empty {what}");
        assert!(!text.contains(FORBIDDEN), "{what} has a forbidden character or an unknown slot: {text:?}");
        assert!(!text.starts_with(|c: char| c.is_lowercase()), "{what} opens in lower case: {text:?}");
    }

    /// Every template of the shared material, with the desk it belongs to (the civic desk's for
    /// the common sentences).
    fn shared_templates() -> Vec<(usize, &'static str)> {
        let mut all: Vec<(usize, &str)> = shared::COMMON.iter().map(|t| (0, *t)).collect();
        for (k, f) in shared::all().into_iter().enumerate() {
            all.extend(f.generic.iter().chain(f.frames).chain(f.angles).chain(f.questions).map(|t| (k, *t)));
            all.extend(f.attributions.iter().map(|t| (k, *t)));
        }
        all
    }

    /// Every sentence of a story (standfirst, paragraphs, quotes, list items), trimmed of its
    /// final stop, for spotting repeats.
    fn sentences(s: &StoryText) -> Vec<String> {
        let mut texts = vec![s.standfirst.clone()];
        for b in &s.body {
            match b {
                Block::Paragraph(t) => texts.push(t.clone()),
                Block::Quote { text, .. } => texts.push(text.clone()),
                Block::List(items) => texts.extend(items.iter().cloned()),
                Block::Subheading(_) => {}
            }
        }
        texts
            .iter()
            .flat_map(|t| t.split(". ").map(|x| x.trim_end_matches('.').to_string()).collect::<Vec<_>>())
            .filter(|x| !x.is_empty())
            .collect()
    }

    /// `n` stories as a run writes them: topics drawn at random, one writer throughout.
    fn run(seed: u64, n: usize) -> Vec<StoryText> {
        let rng = Rng::new(seed);
        let mut writer = Writer::new();
        (0..n)
            .map(|index| {
                let mut r = rng.fork(1_000_000 + index as u64);
                let topic = &topics()[r.below(topics().len())];
                writer.write(&mut r, topic, index)
            })
            .collect()
    }

    #[test]
    fn sections_authors_sources_are_consistent() {
        let sections = sections();
        let slugs: HashSet<_> = sections.iter().map(|s| s.slug).collect();
        assert_eq!(slugs.len(), sections.len(), "section slugs must be unique");
        assert!(sections.iter().filter(|s| s.parent.is_none()).count() >= 6);
        for (i, s) in sections.iter().enumerate() {
            if let Some(p) = s.parent {
                assert!(sections[..i].iter().any(|x| x.slug == p), "{} comes before its parent {p}", s.slug);
            }
        }
        let authors = authors();
        assert!(authors.len() >= 12);
        assert_eq!(authors.iter().map(|a| a.slug).collect::<HashSet<_>>().len(), authors.len());
        let keys: HashSet<_> = topics().iter().map(|t| t.key).collect();
        for a in &authors {
            for beat in a.beats {
                assert!(slugs.contains(beat) || keys.contains(beat), "{}'s beat {beat} is no section or topic", a.slug);
            }
        }
        assert!(authors.iter().any(AuthorSeed::is_general), "someone must be free to write anything");
        let sources = sources();
        assert!(sources.len() >= 20);
        assert_eq!(sources.iter().map(|s| s.slug).collect::<HashSet<_>>().len(), sources.len());
        for t in topics() {
            assert!(slugs.contains(t.section), "topic {} files into unknown section {}", t.key, t.section);
            assert!(authors.iter().any(|a| a.covers(t)), "nobody has topic {} on their beat", t.key);
        }
        let filed: HashSet<_> = topics().iter().map(|t| t.section).collect();
        for s in &sections {
            let has_children = sections.iter().any(|c| c.parent == Some(s.slug));
            assert!(has_children || filed.contains(s.slug), "leaf section {} has no topic", s.slug);
        }
    }

    #[test]
    fn topic_material_is_complete() {
        let keys: HashSet<_> = topics().iter().map(|t| t.key).collect();
        assert_eq!(keys.len(), topics().len(), "topic keys must be unique");
        assert!(topics().len() >= 24, "{} topics", topics().len());
        for t in topics() {
            assert!(t.headlines.len() >= 5 && t.standfirsts.len() >= 3 && t.sentences.len() >= 12, "{} is thin", t.key);
            assert!(!t.subheadings.is_empty() && !t.quotes.is_empty() && !t.roles.is_empty(), "{}", t.key);
            assert!(t.list_items.len() >= 5 && !t.tags.is_empty(), "{}", t.key);
            assert!(!t.image_words.is_empty() && !t.scenes.is_empty(), "{}", t.key);
            assert!(t.subject.starts_with("the "), "{}: the subject reads after 'What we know about'", t.key);
        }
    }

    #[test]
    fn shared_material_is_well_formed() {
        for (desk, t) in shared_templates() {
            assert!(!t.trim().is_empty(), "{desk}: empty template");
            // Only the documented slots: fill with a story's slots and look for leftovers.
            let family = shared::all()[desk];
            let topic =
                topics().iter().find(|x| std::ptr::eq(shared::family(x.section), family)).unwrap_or(&topics()[0]);
            let filled = Slots::new(&mut Rng::new(3), topic).fill(t);
            assert!(!filled.contains(FORBIDDEN), "desk {desk}: {t:?} fills to {filled:?}");
        }
        for (k, f) in shared::all().into_iter().enumerate() {
            assert!(f.frames.len() >= 5 && f.angles.len() >= 4 && f.generic.len() >= 10, "desk {k} is thin");
            assert!(f.frames.iter().all(|t| t.contains("ubject}")), "desk {k}: a frame without its subject");
            assert!(f.angles.iter().all(|t| t.ends_with('.')), "desk {k}");
            for q in f.questions {
                assert!((2..=6).contains(&q.split_whitespace().count()), "desk {k}: {q:?}");
            }
            assert!(f.attributions.iter().all(|a| a.starts_with(", ") && !a.ends_with('.')), "desk {k}");
        }
        assert!(topics().iter().all(|t| shared::all().iter().any(|f| std::ptr::eq(shared::family(t.section), *f))));
        // Frames around every topic's subject make headlines of a sensible length.
        for (i, topic) in topics().iter().enumerate() {
            let slots = Slots::new(&mut Rng::new(i as u64), topic);
            for frame in shared::family(topic.section).frames {
                let words = slots.fill(frame).split_whitespace().count();
                assert!(HEADLINE_WORDS.contains(&words), "{}: {frame:?} gives {words} words", topic.key);
            }
        }
        for word in ["runner", "marathon", "title race"] {
            let sport = shared::family("sport");
            let texts = sport.generic.iter().chain(sport.frames).chain(sport.angles).chain(shared::COMMON);
            assert!(texts.clone().all(|t| !t.to_lowercase().contains(word)), "{word} belongs to its own topic");
        }
    }

    #[test]
    fn stories_follow_the_body_rules() {
        let rng = Rng::new(7);
        let generic: Vec<&str> = shared::all()
            .iter()
            .flat_map(|f| f.generic.iter().copied())
            .chain(shared::COMMON.iter().copied())
            .collect();
        for index in 0..2000 {
            let topic = &topics()[index % topics().len()];
            let s = story(&mut rng.fork(index as u64), topic, index);
            check_text("headline", &s.headline);
            check_text("standfirst", &s.standfirst);
            assert!(!s.headline.ends_with('.'), "{:?}", s.headline);
            let words = s.headline.split_whitespace().count();
            assert!((5..=16).contains(&words), "headline of {words} words: {:?}", s.headline);
            let paragraphs = s.body.iter().filter(|b| matches!(b, Block::Paragraph(_))).count();
            assert!((3..=12).contains(&paragraphs), "{:?}: {paragraphs} paragraphs", s.form);
            let heads: Vec<usize> =
                s.body.iter().enumerate().filter(|(_, b)| matches!(b, Block::Subheading(_))).map(|(i, _)| i).collect();
            let expected = match s.form {
                Form::Brief => 0..=0,
                Form::Column => 0..=2,
                Form::Voices => 0..=1,
                Form::Explainer => 3..=4,
                Form::Report | Form::Analysis => 1..=3,
            };
            assert!(expected.contains(&heads.len()), "{:?} with {} subheadings", s.form, heads.len());
            assert!(!heads.contains(&0) && !heads.contains(&(s.body.len() - 1)), "subheading at an edge");
            assert!(heads.windows(2).all(|w| w[1] > w[0] + 1), "adjacent subheadings");
            assert!(
                heads.iter().all(|&h| matches!(s.body[h + 1], Block::Paragraph(_))),
                "a subheading opens a paragraph"
            );
            for b in &s.body {
                match b {
                    Block::Paragraph(t) | Block::Subheading(t) => check_text("body", t),
                    Block::Quote { text, speaker, role } => {
                        check_text("quote", text);
                        check_text("speaker", speaker);
                        assert!(!role.contains(FORBIDDEN), "{role:?}");
                    }
                    Block::List(items) => items.iter().for_each(|i| check_text("list item", i)),
                }
            }
            assert!(!s.tags.is_empty() && s.tags.len() <= 4);
            assert_eq!(s.form == Form::Column, topic.section == "opinion", "columns are for the opinion pages");
            if let Some(Block::Paragraph(first)) = s.body.first() {
                let generic_opening = generic.iter().any(|g| {
                    let stem: String = g.chars().take_while(|c| *c != '{').take(25).collect();
                    stem.len() >= 20 && first.starts_with(&stem)
                });
                assert!(!generic_opening, "a story must open with its news, not a generic line: {first:?}");
            } else {
                panic!("a story must open with a paragraph");
            }
        }
    }

    #[test]
    fn stories_are_deterministic_and_varied() {
        let topic = &topics()[0];
        let a = story(&mut Rng::new(1), topic, 5);
        let b = story(&mut Rng::new(1), topic, 5);
        assert_eq!(a, b);
        let headlines: HashSet<String> = (0..50).map(|i| story(&mut Rng::new(1), topic, i).headline).collect();
        assert!(headlines.len() >= 20, "only {} distinct headlines in 50 stories", headlines.len());
        assert_eq!(run(11, 300), run(11, 300), "a run is the same for the same seed");
    }

    // Issue #19: stories in the demo looked alike.
    #[test]
    fn no_two_headlines_or_standfirsts_repeat_in_500_stories() {
        let stories = run(20261125, 500);
        let mut standfirsts = HashMap::new();
        let mut headlines = HashMap::new();
        for (i, s) in stories.iter().enumerate() {
            if let Some(j) = standfirsts.insert(s.standfirst.clone(), i) {
                panic!("stories {j} and {i} share the standfirst {:?}", s.standfirst);
            }
            if let Some(j) = headlines.insert(s.headline.clone(), i) {
                panic!("stories {j} and {i} share the headline {:?}", s.headline);
            }
        }
        // Nor do they open their standfirsts the same way more than a few times.
        let mut openings: HashMap<String, usize> = HashMap::new();
        for s in &stories {
            let opening: Vec<&str> = s.standfirst.split_whitespace().take(6).collect();
            *openings.entry(opening.join(" ")).or_default() += 1;
        }
        let (worst, count) = openings.iter().max_by_key(|(_, n)| **n).map(|(o, n)| (o.clone(), *n)).unwrap_or_default();
        assert!(count <= 8, "{count} standfirsts open with {worst:?}");
    }

    // Issue #19: stories on one topic repeated the same few headline patterns.
    #[test]
    fn a_topic_goes_through_its_headline_patterns_before_reusing_one() {
        let stories = run(5, 500);
        let mut by_topic: HashMap<&str, Vec<usize>> = HashMap::new();
        for s in &stories {
            by_topic.entry(s.topic).or_default().push(s.headline_pattern);
        }
        for (topic, patterns) in by_topic {
            assert!(
                patterns.windows(2).all(|w| w[0] != w[1]),
                "{topic}: the same pattern twice in a row: {patterns:?}"
            );
            let first: Vec<usize> = patterns.iter().copied().take(10).collect();
            let distinct: HashSet<usize> = first.iter().copied().collect();
            assert_eq!(distinct.len(), first.len(), "{topic}: a pattern repeats among the first ten: {first:?}");
        }
    }

    // Issue #19: the same sentence must not appear twice in one story.
    #[test]
    fn a_story_never_repeats_a_sentence() {
        for s in run(99, 1000) {
            let all = sentences(&s);
            let mut seen = HashSet::new();
            for sentence in &all {
                assert!(seen.insert(sentence.as_str()), "{:?} repeats {sentence:?} in {:?}", s.form, s.headline);
            }
        }
    }

    #[test]
    fn stories_take_every_form_and_vary_their_length() {
        let stories = run(3, 500);
        let forms: HashSet<Form> = stories.iter().map(|s| s.form).collect();
        for form in [Form::Report, Form::Explainer, Form::Voices, Form::Analysis, Form::Brief, Form::Column] {
            assert!(forms.contains(&form), "no {form:?} in 500 stories");
        }
        let lengths: HashSet<usize> = stories.iter().map(|s| s.body.len()).collect();
        assert!(lengths.len() >= 8, "bodies come in only {} lengths", lengths.len());
        // Stories on one topic share only some of their sentences (Jaccard index, on average).
        for topic in topics() {
            let texts: Vec<HashSet<String>> = stories
                .iter()
                .filter(|s| s.topic == topic.key)
                .take(8)
                .map(|s| sentences(s).into_iter().collect())
                .collect();
            let mut similarity = Vec::new();
            for (i, a) in texts.iter().enumerate() {
                for b in &texts[i + 1..] {
                    similarity.push(a.intersection(b).count() as f64 / a.union(b).count().max(1) as f64);
                }
            }
            let mean = similarity.iter().sum::<f64>() / similarity.len().max(1) as f64;
            assert!(mean < 0.5, "{}: stories share {:.0}% of their sentences", topic.key, mean * 100.0);
        }
    }

    // Issue #19: a health correspondent was writing about football.
    #[test]
    fn every_byline_matches_the_story_beat() {
        let authors = authors();
        let rng = Rng::new(19);
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for i in 0..3000u64 {
            let topic = &topics()[i as usize % topics().len()];
            let names = byline(&mut rng.fork(i), topic, &authors);
            assert!((1..=2).contains(&names.len()), "{names:?}");
            assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len(), "an author twice in a byline");
            assert!(authors[names[0]].covers(topic), "{} leads a story on {}", authors[names[0]].title, topic.key);
            for &n in &names {
                let a = &authors[n];
                assert!(
                    a.covers(topic) || a.is_general(),
                    "{} ({}) bylined on {} in {}",
                    a.name,
                    a.title,
                    topic.key,
                    topic.section
                );
                if topic.section == "football" || topic.section == "sport" {
                    assert!(!a.title.contains("Health"), "{} on the sports pages", a.title);
                }
                *counts.entry(n).or_default() += 1;
            }
            if topic.section == "opinion" {
                assert_eq!(names.len(), 1, "columns have one writer");
            }
        }
        assert!(counts.len() >= authors.len() - 1, "some journalists never write: {counts:?}");
        // With nobody on the beat, a general reporter or editor steps in.
        let orphan = Topic { key: "orphan", section: "nowhere", ..topics()[0] };
        for i in 0..50 {
            let names = byline(&mut rng.fork(i), &orphan, &authors);
            assert!(!names.is_empty() && names.iter().all(|&n| authors[n].is_general()), "{names:?}");
        }
    }

    // Issue #19: captions described photographs the drawn pictures did not show.
    #[test]
    fn captions_describe_the_picture_and_the_story() {
        for (i, s) in run(8, 200).iter().enumerate() {
            let scene = "rolling hills and fields under a bright sun";
            let words = "GLACIER ICE";
            let text = picture_text(&mut Rng::new(i as u64), s, scene, Some(words));
            check_text("caption", &text.caption);
            check_text("alt text", &text.alt);
            for (what, part) in [("caption", &text.caption), ("alt text", &text.alt)] {
                assert!(part.to_lowercase().contains(scene), "the {what} must show the scene: {part:?}");
                assert!(part.contains(words), "the {what} must name the drawn words: {part:?}");
            }
            assert!(text.caption.contains(&s.subject), "the caption ties the picture to the story: {:?}", text.caption);
            let bare = picture_text(&mut Rng::new(i as u64), s, scene, None);
            assert!(bare.caption.to_lowercase().contains(scene) && !bare.alt.contains("words"), "{bare:?}");
        }
    }
}
