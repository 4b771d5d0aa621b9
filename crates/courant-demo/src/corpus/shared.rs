//! Writing material shared by the topics of one desk (a family of sections): body sentences any
//! of its stories may use, headline frames around a topic's subject, second sentences for
//! standfirsts, the questions an explainer answers and the endings that attribute a sentence.
//! Written for Courant, like the topics; the slots are those of `text.rs`.
//!
//! Sport sentences never say "runners", "marathon" or "title race": the search tests rely on
//! those words belonging to their topics.

/// The shared material of one desk.
pub(super) struct Family {
    /// Body sentences that suit any story of the desk.
    pub(super) generic: &'static [&'static str],
    /// Headline patterns around `{subject}`: 5 to 16 words once filled, no final full stop.
    pub(super) frames: &'static [&'static str],
    /// Second sentences for standfirsts.
    pub(super) angles: &'static [&'static str],
    /// An explainer's subheadings, in the order a reader would ask them; empty where the desk
    /// writes no explainers.
    pub(super) questions: &'static [&'static str],
    /// Endings that attribute a sentence (", officials said"); empty where nothing is attributed.
    pub(super) attributions: &'static [&'static str],
}

/// The desk whose material suits stories filed in `section`.
pub(super) fn family(section: &str) -> &'static Family {
    match section {
        "business" | "markets" | "technology" => &MONEY,
        "sport" | "football" => &SPORT,
        "culture" => &CULTURE,
        "science" => &SCIENCE,
        "opinion" => &OPINION,
        _ => &CIVIC,
    }
}

/// Every desk, for the tests.
#[cfg(test)]
pub(super) fn all() -> [&'static Family; 6] {
    [&CIVIC, &MONEY, &SPORT, &CULTURE, &SCIENCE, &OPINION]
}

/// Sentences any reported story may use (not columns).
pub(super) const COMMON: &[&str] = &[
    "Reporters from this newspaper spoke to {num} people affected, most of whom asked not to be named.",
    "Further details are expected before the end of {month}.",
    "A spokesperson declined to comment on the details but said {talks were continuing|more would be said in due course|a statement would follow}.",
    "{person3}, who has followed the issue for years, said the outcome would be watched closely {in other cities|across the region|well beyond the area}.",
    "Independent analysts said the numbers pointed to a longer trend rather than a one-off.",
    "The figures released on {weekday} were {pct} per cent higher than those of the same period last year.",
    "This newspaper has asked for the full documents and will report on them once they are released.",
    "Readers in {town2} have written to us in {large numbers|their dozens} since the story first appeared.",
    "It is not the first time the issue has come up, and few of those involved believe it will be the last.",
    "None of those involved expect the matter to be settled quickly.",
];

/// Prefixes that join a sentence to the one before it.
pub(super) const CONNECTORS: &[&str] = &["Meanwhile", "At the same time", "Separately", "In the meantime"];

static CIVIC: Family = Family {
    generic: &[
        "Officials said a full statement would follow on {weekday}, once the figures had been checked.",
        "Residents of {town} said they had heard little from the authorities until the news broke on {weekday} morning.",
        "The decision is expected to be reviewed again in {month}, when new figures are due.",
        "Opposition members called for a public hearing and said the timetable left too little room for scrutiny.",
        "The last comparable case, in {town2}, took {n} months to resolve and cost far more than first planned.",
        "Local businesses said they were preparing for disruption but welcomed the clarity of a fixed date.",
        "More than {big} people have signed a petition asking for the plans to be published in full.",
        "The regional council in {region} is due to discuss the matter at its next meeting.",
        "Critics argue that the costs will fall hardest on those least able to bear them.",
        "Supporters say the changes are overdue and that delay would only make them more expensive.",
        "A report published last year warned that the problem would grow without action, and few of its recommendations were adopted.",
        "Neither side expects a quick resolution, and several people involved described the mood as tense but businesslike.",
        "The authorities have promised regular updates and set up a telephone line for questions.",
        "Questions remain about who will pay, and over what period, for the work still to be done.",
        "The plans must still be approved by a committee, which meets every {n} weeks.",
        "In {town2}, where a similar approach was tried, the results were mixed, according to a study by the local university.",
        "Party officials in {region} said privately that they had been caught off guard by the speed of events.",
        "A public meeting in {town} on {weekday} evening drew more than {big} people, many of whom had to stand at the back of the hall.",
        "Diplomats in {country} said they were following developments closely.",
        "{person3}, a former official in {region}, said the government had known about the problem for years.",
        "The issue is expected to feature heavily in the next round of local elections.",
        "Council officers have been asked to prepare a report on the options, including the cost of doing nothing.",
    ],
    frames: &[
        "What we know so far about {subject}",
        "{Subject}: what happens next",
        "Why {subject} matters well beyond {town}",
        "{Subject}: the view from {town}",
        "Explained: {subject} and the questions still open",
        "Five questions about {subject}, answered",
        "How {subject} is being felt in {town}",
        "{Subject} leaves {town} waiting for answers",
        "Timeline: how {subject} unfolded",
    ],
    angles: &[
        "{person3}, who lives in {town}, says nobody has yet explained what happens next.",
        "Our reporters spent {weekday} in {town} asking what it means for the people who live there.",
        "Officials promise an answer by {month}, though few in {town2} expect one so soon.",
        "The next test comes on {weekday}, when {a vote is due|the figures are published|ministers meet again}.",
        "Here is what we know so far, and what we do not.",
        "In {town}, opinion is divided and tempers are short.",
        "Critics in {region} say the real cost has not yet been counted.",
        "For families in {town2}, the {uncertainty|waiting} is the hardest part.",
    ],
    questions: &[
        "What happened?",
        "How did we get here?",
        "Who is affected?",
        "What are people saying?",
        "Why does it matter?",
        "What happens next?",
    ],
    attributions: &[
        ", officials said",
        ", according to people familiar with the matter",
        ", according to documents seen by this newspaper",
        ", a senior official confirmed",
    ],
};

static MONEY: Family = Family {
    generic: &[
        "Shares in the companies most exposed {rose|fell|barely moved} in early trading on {weekday}.",
        "Analysts at several banks said they would revise their forecasts once the full figures were published.",
        "Investors have grown used to surprises this year, and several said they would wait for the next set of figures before acting.",
        "{person3}, an analyst who covers the sector, said the move had been widely expected but its timing had not.",
        "Trade bodies said their members wanted clarity above all, so that they could plan for the rest of the year.",
        "Smaller firms in {region} say they feel the effects first and recover last.",
        "The regulator plans to publish its own assessment before the end of {month}.",
        "Consumer groups warned that customers would end up paying for the changes one way or another.",
        "Staff at the {town} site were told of the plans at a meeting on {weekday} morning.",
        "Economists said it was too early to tell whether the change would last.",
        "Several pension funds hold large stakes in the businesses involved, so the outcome matters to savers as well as to investors.",
        "Suppliers in {town2} said they had not yet been told what the decision would mean for their contracts.",
        "A survey of {big} firms published on {weekday} found that most expected costs to keep rising for at least a year.",
        "Unions said they would seek guarantees on jobs and pay before the end of {month}.",
    ],
    frames: &[
        "What {subject} means for businesses in {region}",
        "{Subject}: what it means for your money",
        "Explained: {subject} and who stands to gain",
        "Why investors are watching {subject} so closely",
        "{Subject}: the numbers behind the headlines",
        "Five questions about {subject}, answered",
        "How {subject} is being felt in {town}",
        "{Subject}: what happens next",
    ],
    angles: &[
        "Analysts say the effects will reach {region} within {n} months.",
        "For businesses in {town}, the question is who pays.",
        "{person3}, who runs a small firm in {town}, says the uncertainty is the hardest part.",
        "Investors will be watching the next figures, due in {month}, closely.",
        "Here is what it means for customers, workers and shareholders.",
        "The decision could cost or save households about {num} euros a month.",
        "Not everyone in {town2} is convinced it will work.",
    ],
    questions: &[
        "What has been decided?",
        "How did we get here?",
        "Who stands to gain?",
        "Who pays?",
        "What do analysts say?",
        "What happens next?",
    ],
    attributions: &[
        ", analysts said",
        ", people familiar with the matter said",
        ", according to industry figures",
        ", according to filings seen by this newspaper",
    ],
};

static SPORT: Family = Family {
    generic: &[
        "Local clubs in {region} say interest among young people has grown sharply this season.",
        "Volunteers and stewards were out from early morning, and organisers thanked them for their patience.",
        "{person3}, who has coached in {town} for {num} years, said the day would be remembered for a long time.",
        "Medical staff reported a busy afternoon, though most injuries were minor.",
        "Sports scientists say that careful recovery in the days afterwards matters as much as the preparation.",
        "Local businesses said the crowds brought one of their busiest days of the year.",
        "The weather, {cool and mostly dry|grey but calm|bright and breezy}, suited the athletes.",
        "Television coverage drew an audience of more than {big} thousand, according to the broadcaster.",
        "The governing body said it would review the day's arrangements before next season.",
        "Several of those taking part said the crowd had carried them through the hardest moments.",
        "Ticket and entry prices have risen by {pct} per cent in three years, a point raised by supporters' groups.",
        "Police said the day had passed off peacefully, with only a handful of arrests.",
    ],
    frames: &[
        "{Subject}: the talking points",
        "What we learned from {subject} this week",
        "{Subject}: the view from {town2}",
        "Why {subject} has {town2} talking",
        "Five things to know about {subject}",
        "{Subject}: what comes next",
    ],
    angles: &[
        "For supporters in {town}, it was a {weekday} to remember.",
        "{person3}, who has followed the sport for {num} years, has rarely seen anything like it.",
        "The next chapter comes on {weekday}.",
        "Here is how the day unfolded, and what it means for the rest of the season.",
        "Not everyone in {town2} was celebrating.",
        "The crowd, about {num} thousand strong, made itself heard.",
    ],
    questions: &["What happened?", "Who stood out?", "What does it mean?", "What comes next?"],
    attributions: &[", organisers said", ", officials said", ", according to the organisers", ", those present said"],
};

static CULTURE: Family = Family {
    generic: &[
        "Tickets for the opening weekend sold out within {n} days of going on sale.",
        "Critics were divided, though audiences on the first night appeared to have no doubts.",
        "{person3}, who has written about the city's arts scene for {num} years, called it a rare moment of confidence.",
        "The arts council said it would look again at how grants in {region} are shared out.",
        "Local schools have been offered free places, and more than {big} pupils are expected to attend.",
        "Volunteers, many of them retired, have given thousands of hours to make the season possible.",
        "Box office figures for the year are {pct} per cent up on last year, according to the venues.",
        "Artists in {town} say the cost of studio space and rehearsal rooms has become the biggest obstacle to their work.",
        "A programme of talks and workshops runs alongside the main events until the end of {month}.",
        "Visitors from {country} made up a growing share of the audience, organisers said.",
        "Sponsors from local businesses covered about a {third|quarter} of the costs this year.",
    ],
    frames: &[
        "{Subject}: the story so far",
        "Why {subject} has {town2} talking",
        "{Subject}: the view from {town2}",
        "What {subject} says about {town2}",
        "Five things to know about {subject}",
        "{Subject}: what happens next",
    ],
    angles: &[
        "For audiences in {town}, it is a welcome moment, if a long time coming.",
        "{person3}, who has followed the city's arts scene for {num} years, calls it a turning point.",
        "The real test comes in {month}, when the crowds arrive.",
        "Here is what to expect, and what it has cost.",
        "Not everyone in {town2} is applauding.",
    ],
    questions: &[
        "What is happening?",
        "Who is behind it?",
        "What has it cost?",
        "What do critics say?",
        "What happens next?",
    ],
    attributions: &[
        ", organisers said",
        ", according to the organisers",
        ", a spokesperson confirmed",
        ", those involved said",
    ],
};

static SCIENCE: Family = Family {
    generic: &[
        "The findings have been submitted to a peer-reviewed journal and are due to be published in {month}.",
        "Other researchers, not involved in the work, said the results were promising but needed to be confirmed.",
        "{person3}, a researcher at the university in {town}, said the data would keep scientists busy for years.",
        "The project is funded by a grant of {big} thousand from the national research council.",
        "Scientists stressed that a single study rarely settles a question, however striking its results.",
        "The team has made its data available to other researchers, who are expected to test the conclusions.",
        "Students from the university in {town2} helped to collect the measurements over {n} months.",
        "Public lectures on the work are planned in {town} and {town2} in {month}.",
        "Some of the instruments used in the study were built in a small workshop on the university campus.",
        "The researchers said they would return next year to repeat the measurements.",
        "Funding for the next stage has not yet been agreed, and the team is applying for a grant from {country}.",
    ],
    frames: &[
        "What we know so far about {subject}",
        "Explained: the science behind {subject}",
        "{Subject}: what the researchers found",
        "Why scientists in {town} are watching {subject} closely",
        "Five questions about {subject}, answered",
        "{Subject}: what happens next",
    ],
    angles: &[
        "The researchers say the next results are due in {month}.",
        "{person3}, who was not involved in the work, calls the findings a careful step forward.",
        "Here is what the scientists found, and what they still do not know.",
        "Students and volunteers in {town} helped gather the data.",
        "The work took {n} years, and it is not finished.",
    ],
    questions: &[
        "What did they find?",
        "How was it done?",
        "Why does it matter?",
        "What remains unknown?",
        "What happens next?",
    ],
    attributions: &[", the researchers said", ", according to the team", ", scientists involved in the work said"],
};

static OPINION: Family = Family {
    generic: &[
        "I do not pretend to have all the answers, but I know what I see every day.",
        "Readers have written to me about this more than about anything else this year, and most of them agree.",
        "Some will say I am being nostalgic, and perhaps I am, but nostalgia is not always wrong.",
        "It would be easy to blame one person or one decision, but the truth is that we let it happen slowly.",
        "My neighbour in {town2} put it better than I can: nobody asked us, and nobody listened.",
        "None of this is inevitable, and that is the most hopeful thing I can say about it.",
        "I have changed my mind about this more than once, and I may yet change it again.",
        "There is a simple test for any plan: would the people who made it live with the results themselves?",
        "We tend to notice what we have only when it is gone, and by then it is usually too late.",
        "If you disagree, write to me, and the best letters will appear on this page next {weekday}.",
    ],
    frames: &[
        "We need to talk honestly about {subject}",
        "I changed my mind about {subject}, and here is why",
        "{Subject} deserves more attention than it gets",
        "Let us stop pretending about {subject}",
        "What {subject} says about the town we want to be",
    ],
    angles: &[
        "It is time we stopped pretending otherwise.",
        "It is a small thing, our columnist argues, that says a great deal about us.",
        "Readers in {town} have strong views, and so do I.",
        "There is a better way, and it need not cost much.",
        "A {weekday} morning in {town2} changed my mind.",
    ],
    questions: &[],
    attributions: &[],
};
