//! The demo paper's words: its sections, journalists, sources, and stories assembled from each
//! topic's writing material (`topics_*.rs`) and shared pools of fictional names and numbers.
//! All of it is written for Courant; agency and outlet names are used only as source names.

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
}

/// The paper's journalists (fictional).
pub fn authors() -> Vec<AuthorSeed> {
    let a = |slug, name, title, bio| AuthorSeed { slug, name, title, bio };
    vec![
        a(
            "maren-holt",
            "Maren Holt",
            "Political correspondent",
            "Maren Holt covers parliament and the coalition. She joined the paper from a regional daily, where she spent six years on the council beat.",
        ),
        a(
            "tomas-okafor",
            "Tomas Okafor",
            "Transport reporter",
            "Tomas Okafor writes about trains, buses and the people who depend on them. He commutes by bike and by rail, depending on the strike calendar.",
        ),
        a(
            "ines-carvalho",
            "Ines Carvalho",
            "World affairs editor",
            "Ines Carvalho edits the World desk. She has reported on elections on three continents and speaks four languages.",
        ),
        a(
            "yusuf-demir",
            "Yusuf Demir",
            "Markets editor",
            "Yusuf Demir follows interest rates, energy prices and the currency. Before journalism he spent a decade on a bank's trading floor.",
        ),
        a(
            "hanna-lindqvist",
            "Hanna Lindqvist",
            "Technology correspondent",
            "Hanna Lindqvist reports on chips, data centres and the platforms. She studied electrical engineering before switching to reporting.",
        ),
        a(
            "rafael-moreno",
            "Rafael Moreno",
            "Football writer",
            "Rafael Moreno has followed the league for twelve seasons. He keeps a spreadsheet of every goal scored since he started.",
        ),
        a(
            "aiko-tanaka",
            "Aiko Tanaka",
            "Science editor",
            "Aiko Tanaka edits the Science pages. She writes about space, climate and medicine, and runs the paper's night-sky guide.",
        ),
        a(
            "olu-adeyemi",
            "Olu Adeyemi",
            "Local affairs reporter",
            "Olu Adeyemi covers the city council, housing and the river. He grew up two streets from the old rail yard.",
        ),
        a(
            "claire-dubois",
            "Claire Dubois",
            "Culture editor",
            "Claire Dubois edits the Culture section and reviews film and theatre. She has sat on two festival juries.",
        ),
        a(
            "piotr-nowak",
            "Piotr Nowak",
            "Business reporter",
            "Piotr Nowak writes about retail, supply chains and the companies behind the weekly shop.",
        ),
        a(
            "leila-haddad",
            "Leila Haddad",
            "Health correspondent",
            "Leila Haddad covers hospitals, trials and public health. She trained as a nurse before she became a reporter.",
        ),
        a(
            "sean-mcbride",
            "Sean McBride",
            "Columnist",
            "Sean McBride writes a weekly column about city life and the daily commute. Readers write to him more than to anyone else at the paper.",
        ),
        a(
            "nadia-petrova",
            "Nadia Petrova",
            "Environment reporter",
            "Nadia Petrova reports on weather, water and the changing climate, often from the mountains she grew up in.",
        ),
        a(
            "daniel-weiss",
            "Daniel Weiss",
            "Sports reporter",
            "Daniel Weiss covers running, cycling and the city's sporting events. He has finished the city marathon seven times.",
        ),
        a(
            "grace-mensah",
            "Grace Mensah",
            "Deputy editor",
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

/// A generated story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryText {
    pub topic: &'static str,
    pub headline: String,
    pub standfirst: String,
    pub body: Vec<Block>,
    pub tags: Vec<String>,
    pub caption: String,
    pub image_alt: String,
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

/// Sentences any story may use: reactions, background, what comes next.
const GENERIC: &[&str] = &[
    "Officials said a full statement would follow on {weekday}, once the figures had been checked.",
    "Residents of {town} said they had heard little from the authorities until the news broke on {weekday} morning.",
    "The decision is expected to be reviewed again in {month}, when new figures are due.",
    "Opposition members called for a public hearing and said the timetable left too little room for scrutiny.",
    "A spokesperson declined to comment on the details but said talks were continuing.",
    "The last comparable case, in {town2}, took {n} months to resolve and cost far more than first planned.",
    "Local businesses said they were preparing for disruption but welcomed the clarity of a fixed date.",
    "Independent analysts said the numbers pointed to a longer trend rather than a one-off.",
    "More than {big} people have signed a petition asking for the plans to be published in full.",
    "The regional council in {region} is due to discuss the matter at its next meeting.",
    "Critics argue that the costs will fall hardest on those least able to bear them.",
    "Supporters say the changes are overdue and that delay would only make them more expensive.",
    "A report published last year warned that the problem would grow without action, and few of its recommendations were adopted.",
    "The figures released on {weekday} were {pct} per cent higher than those of the same period last year.",
    "Neither side expects a quick resolution, and several people involved described the mood as tense but businesslike.",
    "{person}, who has followed the issue for years, said the outcome would be watched closely in other cities.",
    "The authorities have promised regular updates and set up a telephone line for questions.",
    "Questions remain about who will pay, and over what period, for the work still to be done.",
    "Reporters from this newspaper spoke to {num} people affected, most of whom asked not to be named.",
    "Further details are expected before the end of {month}.",
    "The plans must still be approved by a committee, which meets every {n} weeks.",
    "In {town2}, where a similar approach was tried, the results were mixed, according to a study by the local university.",
];

/// The slot values of one story: every `{town}` in it names the same town and every `{person}`
/// the same person; numbers are drawn afresh at each use, as figures in a story differ.
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
}

impl Slots {
    fn new(r: &mut Rng) -> Slots {
        let towns = r.sample_indexes(TOWNS.len(), 2);
        let teams = r.sample_indexes(TEAMS.len(), 2);
        Slots {
            numbers: std::cell::RefCell::new(r.fork(0x5107)),
            town: TOWNS[towns[0]],
            town2: TOWNS[towns[1]],
            region: *r.pick(REGIONS),
            country: *r.pick(COUNTRIES),
            person: person(r),
            person2: person(r),
            weekday: *r.pick(WEEKDAYS),
            month: *r.pick(MONTHS),
            year: r.range(2027, 2031).to_string(),
            team: TEAMS[teams[0]],
            team2: TEAMS[teams[1]],
        }
    }

    fn get(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        let number = |lo: usize, hi: usize| Some(self.numbers.borrow_mut().range(lo, hi).to_string().into());
        Some(
            match name {
                "n" => return number(2, 9),
                "num" => return number(10, 99),
                "big" => return number(100, 999),
                "pct" => return number(2, 40),
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

/// Generates one story about `topic`; `index` (the story's number in the run) varies it.
pub fn story(r: &mut Rng, topic: &Topic, index: usize) -> StoryText {
    let mut r = r.fork(index as u64);
    let slots = Slots::new(&mut r);
    let headline = slots.fill(*r.pick(topic.headlines));
    let standfirst = slots.fill(*r.pick(topic.standfirsts));

    // Topic sentences first, each at most once, shuffled; generic ones mixed in a quarter of
    // the time and whenever the topic's run out.
    let mut own = r.sample_indexes(topic.sentences.len(), topic.sentences.len()).into_iter();
    let mut generic = r.sample_indexes(GENERIC.len(), GENERIC.len()).into_iter();
    let mut written = 0usize;
    let mut next_sentence = |r: &mut Rng| -> String {
        // The opening paragraph states the news: the topic's own sentences only.
        written += 1;
        let pick = if written > 3 && r.chance(0.25) { generic.next().map(|i| GENERIC[i]) } else { None };
        let sentence = pick
            .or_else(|| own.next().map(|i| topic.sentences[i]))
            .or_else(|| generic.next().map(|i| GENERIC[i]))
            .unwrap_or(GENERIC[0]);
        slots.fill(sentence)
    };

    let paragraphs = r.range(4, 12);
    let mut body: Vec<Block> = Vec::new();
    let subheadings = r.range(1, 3).min((paragraphs - 1) / 2).max(1);
    // Gaps are "before paragraph g"; subheadings never open or close the body.
    let mut gaps: Vec<usize> = r.sample_indexes(paragraphs - 2, subheadings).into_iter().map(|g| g + 2).collect();
    gaps.sort_unstable();
    let quote_at = r.chance(0.6).then(|| r.range(2, paragraphs - 1));
    let list_at = r.chance(0.2).then(|| r.range(2, paragraphs - 1));
    let heads = r.sample_indexes(topic.subheadings.len(), subheadings);
    for p in 0..paragraphs {
        if let Some(pos) = gaps.iter().position(|&g| g == p) {
            body.push(Block::Subheading(slots.fill(topic.subheadings[heads[pos % heads.len()]])));
        }
        let sentences = r.range(2, 3);
        let text: Vec<String> = (0..sentences).map(|_| next_sentence(&mut r)).collect();
        body.push(Block::Paragraph(text.join(" ")));
        if quote_at == Some(p) {
            body.push(Block::Quote {
                text: slots.fill(*r.pick(topic.quotes)),
                speaker: slots.person2.clone(),
                role: slots.fill(*r.pick(topic.roles)),
            });
        } else if list_at == Some(p) {
            let count = r.range(3, 5);
            let items = r.sample_indexes(topic.list_items.len(), count);
            body.push(Block::List(items.into_iter().map(|i| slots.fill(topic.list_items[i])).collect()));
        }
    }

    let mut tags = vec![topic.tags[0].to_string()];
    let extra = r.range(0, 3);
    for i in r.sample_indexes(topic.tags.len() - 1, extra) {
        tags.push(topic.tags[i + 1].to_string());
    }
    let caption = slots.fill(*r.pick(topic.captions));
    let image_alt = format!("Drawn illustration for a story about {}", topic.tags[0].to_lowercase());
    StoryText { topic: topic.key, headline, standfirst, body, tags, caption, image_alt }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const FORBIDDEN: &[char] = &['#', '*', '_', '<', '>', '[', ']', '`', '|', '~', '\\', '{', '}', '"'];

    fn check_text(what: &str, text: &str) {
        assert!(!text.trim().is_empty(), "empty {what}");
        assert!(!text.contains(FORBIDDEN), "{what} has a forbidden character or an unknown slot: {text:?}");
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
        let sources = sources();
        assert!(sources.len() >= 20);
        assert_eq!(sources.iter().map(|s| s.slug).collect::<HashSet<_>>().len(), sources.len());
        for t in topics() {
            assert!(slugs.contains(t.section), "topic {} files into unknown section {}", t.key, t.section);
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
            assert!(t.list_items.len() >= 5 && !t.captions.is_empty() && !t.tags.is_empty(), "{}", t.key);
            assert!(!t.image_words.is_empty(), "{}", t.key);
        }
    }

    #[test]
    fn stories_follow_the_body_rules() {
        let rng = Rng::new(7);
        for index in 0..2000 {
            let topic = &topics()[index % topics().len()];
            let s = story(&mut rng.fork(index as u64), topic, index);
            check_text("headline", &s.headline);
            check_text("standfirst", &s.standfirst);
            check_text("caption", &s.caption);
            assert!(!s.headline.ends_with('.'), "{:?}", s.headline);
            let words = s.headline.split_whitespace().count();
            assert!((5..=16).contains(&words), "headline of {words} words: {:?}", s.headline);
            let paragraphs = s.body.iter().filter(|b| matches!(b, Block::Paragraph(_))).count();
            assert!((4..=12).contains(&paragraphs), "{paragraphs} paragraphs");
            let heads: Vec<usize> =
                s.body.iter().enumerate().filter(|(_, b)| matches!(b, Block::Subheading(_))).map(|(i, _)| i).collect();
            assert!((1..=3).contains(&heads.len()), "{} subheadings", heads.len());
            assert!(!heads.contains(&0) && !heads.contains(&(s.body.len() - 1)), "subheading at an edge");
            assert!(heads.windows(2).all(|w| w[1] > w[0] + 1), "adjacent subheadings");
            for b in &s.body {
                match b {
                    Block::Paragraph(t) | Block::Subheading(t) => check_text("body", t),
                    Block::Quote { text, speaker, role } => {
                        check_text("quote", text);
                        check_text("speaker", speaker);
                        check_text("role", role);
                    }
                    Block::List(items) => items.iter().for_each(|i| check_text("list item", i)),
                }
            }
            assert!(!s.tags.is_empty() && s.tags.len() <= 4);
            if let Some(Block::Paragraph(first)) = s.body.first() {
                let generic_opening = GENERIC.iter().any(|g| {
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
    }
}
