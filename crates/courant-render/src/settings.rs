//! What a publication configures about its pages: name, address, language, time zone, the ad
//! slot, and every label a reader sees. All words on the site come from [`Labels`], so a
//! publication in another language changes them in one place (`[labels]` in `courant.toml`).

use serde::Deserialize;

/// The publication as its pages present it.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSettings {
    /// The publication's name, e.g. "The Courant Daily".
    pub title: String,
    /// One sentence about the publication, for the home page and search engines.
    pub description: String,
    /// The public address of the site without a trailing slash, for canonical links.
    pub url: String,
    /// IANA time zone name (e.g. "Europe/Paris") in which dates are shown.
    pub timezone: String,
    /// BCP 47 language tag of the pages, e.g. "en-GB".
    pub locale: String,
    /// How many stories each section block of the home page shows.
    pub home_section_stories: usize,
    /// The publication's logo for structured data: a site path or an absolute URL. The default
    /// is the name drawn as a 600×60 PNG (the SVG wordmark for a name in a script our font
    /// does not draw).
    pub logo: String,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            title: "The Courant Daily".into(),
            description: "News, analysis and opinion, updated around the clock.".into(),
            url: "http://127.0.0.1:8080".into(),
            timezone: "UTC".into(),
            locale: "en-GB".into(),
            home_section_stories: 3,
            logo: DEFAULT_LOGO.into(),
        }
    }
}

/// The advertisement slot on article pages.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AdSettings {
    /// The label above the slot, so readers can tell an ad from the news.
    pub label: String,
    /// An HTML snippet from the operator (an ad server's tag); trusted, shown as it is. When
    /// absent, the slot shows a house ad for the publication itself.
    pub html: Option<String>,
    /// The height reserved for the slot in CSS pixels, so nothing shifts when it fills.
    pub height: u32,
    /// Records of `/ads.txt` (IAB Tech Lab), one per line, e.g.
    /// `"adserver.example, pub-0000, DIRECT"`. Without records `/ads.txt` answers 404.
    pub txt: Vec<String>,
}

impl Default for AdSettings {
    fn default() -> Self {
        AdSettings { label: "Advertisement".into(), html: None, height: 250, txt: Vec::new() }
    }
}

/// Feeds.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FeedSettings {
    /// How many of the latest stories each feed carries.
    pub items: usize,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings { items: 50 }
    }
}

/// `/robots.txt`.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RobotsSettings {
    /// Paths crawlers should stay out of, besides the newsroom and the API's write paths.
    pub disallow: Vec<String>,
}

/// Everything the renderer is configured with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub site: SiteSettings,
    pub ads: AdSettings,
    pub labels: Labels,
    pub feeds: FeedSettings,
    pub robots: RobotsSettings,
}

/// Every word the site shows that is not content.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Labels {
    pub home: String,
    pub breadcrumb: String,
    pub skip_to_content: String,
    pub main_navigation: String,
    pub by: String,
    pub and: String,
    pub published: String,
    pub updated: String,
    pub also_read: String,
    pub more_on_this_story: String,
    /// Heading of the box of recent stories on article pages, until trending exists.
    pub latest: String,
    pub others_reading: String,
    /// Heading of the front page's box of the most read stories.
    pub most_read: String,
    /// The footer's links to the publication's own pages, feeds and newsletters.
    pub about_site: String,
    pub newsletters: String,
    pub rss: String,
    pub sources: String,
    pub tags: String,
    pub corrections: String,
    pub correction: String,
    pub section_more: String,
    pub page: String,
    pub previous_page: String,
    pub next_page: String,
    pub no_stories: String,
    pub stories_by: String,
    pub stories_tagged: String,
    pub stories_from: String,
    pub not_found_title: String,
    pub not_found_text: String,
    pub gone_title: String,
    pub gone_text: String,
    pub error_title: String,
    pub error_text: String,
    pub sections: String,
    pub house_ad_title: String,
    pub house_ad_text: String,
    pub feeds: String,
    pub search: String,
    pub search_label: String,
    pub all_sections: String,
    pub sort_relevance: String,
    pub sort_newest: String,
    pub search_since: String,
    pub search_until: String,
    /// "{count} results for “{query}”".
    pub search_results: String,
    pub nothing_found: String,
    pub nothing_found_text: String,
    /// The sign-up box at the foot of pages and articles.
    pub newsletter_pitch: String,
    pub email_address: String,
    pub subscribe: String,
    /// Month names, January first.
    pub months: Vec<String>,
    /// How a date and time read: `{day}`, `{month}`, `{year}`, `{hour}` (00-23), `{minute}`.
    pub datetime_format: String,
    /// How a date without time reads.
    pub date_format: String,
}

impl Default for Labels {
    fn default() -> Self {
        let months = [
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
        Labels {
            home: "Home".into(),
            breadcrumb: "Breadcrumb".into(),
            skip_to_content: "Skip to content".into(),
            main_navigation: "Sections".into(),
            by: "By".into(),
            and: "and".into(),
            published: "Published".into(),
            updated: "Updated".into(),
            also_read: "Also read".into(),
            more_on_this_story: "More on this story".into(),
            latest: "Latest".into(),
            others_reading: "Others are reading now".into(),
            most_read: "Most read".into(),
            about_site: "About this site".into(),
            newsletters: "Newsletters".into(),
            rss: "RSS feed".into(),
            sources: "Sources".into(),
            tags: "Topics".into(),
            corrections: "Corrections".into(),
            correction: "Correction".into(),
            section_more: "More from".into(),
            page: "Page".into(),
            previous_page: "Newer stories".into(),
            next_page: "Older stories".into(),
            no_stories: "No stories here yet.".into(),
            stories_by: "Stories by".into(),
            stories_tagged: "Stories about".into(),
            stories_from: "Stories based on reporting by".into(),
            not_found_title: "Page not found".into(),
            not_found_text: "We could not find this page. It may have moved, or the address may be mistyped.".into(),
            gone_title: "This story has been withdrawn".into(),
            gone_text: "The newsroom has taken this story down. It is no longer available.".into(),
            error_title: "Something went wrong".into(),
            error_text: "We could not show this page just now. Please try again in a moment.".into(),
            sections: "Sections".into(),
            house_ad_title: "Read it here first".into(),
            house_ad_text: "Our reporters file around the clock. Come back to the front page for the latest.".into(),
            feeds: "Feeds".into(),
            search: "Search".into(),
            search_label: "Search the site".into(),
            all_sections: "All sections".into(),
            sort_relevance: "Best match".into(),
            sort_newest: "Newest first".into(),
            search_since: "From".into(),
            search_until: "To".into(),
            search_results: "{count} results for “{query}”".into(),
            nothing_found: "Nothing found".into(),
            nothing_found_text: "Check the spelling, use fewer words, or try one of these stories:".into(),
            newsletter_pitch: "Our stories in your inbox: choose a newsletter.".into(),
            email_address: "Your email address".into(),
            subscribe: "Subscribe".into(),
            months: months.iter().map(|m| m.to_string()).collect(),
            datetime_format: "{day} {month} {year}, {hour}:{minute}".into(),
            date_format: "{day} {month} {year}".into(),
        }
    }
}

impl Labels {
    /// Checks what serde cannot: twelve months, known placeholders.
    pub fn validate(&self) -> Result<(), String> {
        if self.months.len() != 12 {
            return Err(format!("labels.months must list 12 month names, found {}", self.months.len()));
        }
        for (key, format) in
            [("labels.datetime_format", &self.datetime_format), ("labels.date_format", &self.date_format)]
        {
            let mut rest = format.as_str();
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}') else {
                    return Err(format!("{key} has an unclosed '{{'"));
                };
                let name = &rest[open + 1..open + close];
                if !["day", "month", "year", "hour", "minute"].contains(&name) {
                    return Err(format!(
                        "{key} uses {{{name}}}; use {{day}}, {{month}}, {{year}}, {{hour}}, {{minute}}"
                    ));
                }
                rest = &rest[open + close + 1..];
            }
        }
        Ok(())
    }
}

/// What admins may change in the newsroom without touching `courant.toml`: stored in the
/// store and laid over the file's values. The rest (address, time zone, language, labels)
/// stays in the file, where a change goes with a restart.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PublicationSettings {
    pub title: String,
    pub description: String,
    pub home_section_stories: usize,
    pub ads_label: String,
    /// The ad server's tag; empty for the house ad.
    pub ads_html: String,
    pub ads_height: u32,
    pub feed_items: usize,
}

impl PublicationSettings {
    /// The values in force in `settings`.
    pub fn of(settings: &Settings) -> PublicationSettings {
        PublicationSettings {
            title: settings.site.title.clone(),
            description: settings.site.description.clone(),
            home_section_stories: settings.site.home_section_stories,
            ads_label: settings.ads.label.clone(),
            ads_html: settings.ads.html.clone().unwrap_or_default(),
            ads_height: settings.ads.height,
            feed_items: settings.feeds.items,
        }
    }

    /// `settings` with these values laid over.
    pub fn apply(&self, settings: &Settings) -> Settings {
        let mut s = settings.clone();
        s.site.title = self.title.trim().to_string();
        s.site.description = self.description.trim().to_string();
        s.site.home_section_stories = self.home_section_stories;
        s.ads.label = self.ads_label.trim().to_string();
        s.ads.html = Some(self.ads_html.trim().to_string()).filter(|h| !h.is_empty());
        s.ads.height = self.ads_height;
        s.feeds.items = self.feed_items;
        s
    }

    /// The first problem with these values: the field (as in `courant.toml`) and what to do.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        if self.title.trim().is_empty() {
            return Some(("site.title", "the publication needs a name"));
        }
        if self.ads_label.trim().is_empty() {
            return Some(("ads.label", "readers must be able to tell an ad from the news; give the slot a label"));
        }
        if !(50..=1200).contains(&self.ads_height) {
            return Some(("ads.height", "expected a height in pixels from 50 to 1200"));
        }
        if !(1..=24).contains(&self.home_section_stories) {
            return Some(("site.home_section_stories", "expected a number from 1 to 24"));
        }
        if !(1..=1000).contains(&self.feed_items) {
            return Some(("feeds.items", "expected how many stories a feed carries, from 1 to 1000"));
        }
        None
    }
}

/// The generated PNG wordmark (`courant_media::brand::logo_png`).
pub const DEFAULT_LOGO: &str = "/static/logo.png";
