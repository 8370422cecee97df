//! A test set of invented page heads and tails around invented article
//! text, in the shapes the dev pages show (menus, repeated headlines,
//! scraper headers, date and byline lines in many formats, captions with
//! credits, share bars, related-headline lists, comments, footers). Each
//! case has exact expected metadata and body.

use super::*;

const BODY_EN: &[&str] = &[
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, ending weeks of debate over the cost of repairs.",
    "Engineers told councillors that the steel frame had corroded faster than expected and that heavy traffic was adding to the strain every day.",
    "“We cannot keep patching a structure that was built for horses and carts,” said the council’s head of transport, who has argued for the closure since the summer.",
    "Shop owners on both sides of the river say they fear losing customers, and a petition against the plan has gathered more than four thousand signatures.",
    "The council said buses, cyclists and pedestrians would still be able to cross, and that a decision on a replacement bridge would follow a study next year.",
];

const BODY_DE: &[&str] = &[
    "Der Stadtrat hat am Dienstag beschlossen, die alte Hafenbrücke ab dem kommenden Frühjahr für Autos zu sperren, nachdem wochenlang über die Kosten gestritten wurde.",
    "Ingenieure berichteten, dass der Stahlrahmen schneller als erwartet korrodiert sei und der Schwerverkehr die Brücke jeden Tag zusätzlich belaste.",
    "Geschäftsleute auf beiden Seiten des Flusses fürchten, Kunden zu verlieren; eine Petition gegen den Plan hat bereits mehr als viertausend Unterschriften.",
    "Busse, Radfahrer und Fußgänger sollen die Brücke weiterhin nutzen dürfen, über einen Neubau soll nach einer Studie im nächsten Jahr entschieden werden.",
];

const BODY_JA: &[&str] = &[
    "市議会は火曜日、老朽化した港の橋を来年の春から車両通行止めにすることを決めた。修理費用をめぐって数週間にわたり議論が続いていた。",
    "技術者によると、鉄骨の腐食は予想より早く進んでおり、大型車の通行が毎日橋に負担をかけているという。",
    "川の両岸の商店主らは客離れを心配しており、計画に反対する署名はすでに四千人を超えた。",
    "バスや自転車、歩行者は引き続き橋を渡ることができ、新しい橋については来年の調査の後に判断するという。",
];

const NAV: &str =
    "Home\n\nNews\n\nWorld\n\nBusiness\n\nSport\n\nCulture\n\nTravel\n\nSubscribe\n\nSign in";
const NAV_DE: &str =
    "Startseite\n\nPolitik\n\nWirtschaft\n\nSport\n\nKultur\n\nReisen\n\nAbo\n\nAnmelden";
const RELATED: &str = "More news\n\nTrain strike called off after late-night talks\n\nRecord number of visitors at the winter fair\n\nSchool reopens after roof repairs\n\nLocal team wins the regional cup final\n\nNew cycle lanes planned for the ring road";
const FOOTER: &str = "About us\n\nContact\n\nPrivacy policy\n\nTerms of use\n\n© 2019 The Daily Harbour. All rights reserved.";
const COMMENTS: &str = "12 comments\n\nharbourfan says:\n\nNovember 19, 2019 at 6:34 am\n\nAbout time.\n\nriverside_rita says:\n\nNovember 19, 2019 at 7:02 am\n\nWhat about the shops?\n\nLeave a comment";
const SHARE: &str = "Share this article\n\nFacebook\n\nTwitter\n\nEmail";
/// A thread of reader comments as long and prose-like as the article's own
/// paragraphs: only its "name / when" headers give it away.
const LONG_COMMENTS: &str = "Share this article\n\nFacebook\n\nTwitter\n\nEmail\n\n3 comments\n\nharbourfan\n\nNovember 19, 2019 at 6:34 am\n\nAbout time they did something about that bridge, it has been falling apart for years and everyone in town knows it.\n\nReply\n\nriverside_rita\n\nNovember 19, 2019 at 7:02 am\n\nWhat about the shops on the quay? Nobody seems to have asked them what they think of the closure.\n\nReply\n\nold_sailor\n\nNovember 19, 2019 at 7:52 am\n\nBuild a new one and be done with it, the repairs have already cost more than a new bridge would.\n\nReply";
/// A comment form whose consent text reads like a sentence of prose.
const COMMENT_FORM: &str = "Leave a Reply\n\nYour email address will not be published. Required fields are marked *\n\nComment\n\nName *\n\nEmail *\n\nWebsite\n\nSave my name, email, and website in this browser for the next time I comment.\n\nThis site uses a spam filter to reduce unwanted comments, and your data is processed as our privacy policy explains.";
/// An article that quotes an embedded post, with the embed's attribution
/// line, between its paragraphs.
const BODY_EMBED: &[&str] = &[
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, ending weeks of debate over the cost of repairs.",
    "Engineers told councillors that the steel frame had corroded faster than expected and that heavy traffic was adding to the strain every day.",
    "The council announced the decision on social media shortly after the vote.",
    "The harbour bridge will close to cars from next spring. Buses, bikes and pedestrians can still cross. pic.twitter.com/abc123",
    "— Harbour City Council (@harbourcouncil) November 19, 2019",
    "Shop owners on both sides of the river say they fear losing customers, and a petition against the plan has gathered more than four thousand signatures.",
    "The council said buses, cyclists and pedestrians would still be able to cross, and that a decision on a replacement bridge would follow a study next year.",
];

struct Case {
    name: &'static str,
    head: String,
    body: &'static [&'static str],
    tail: String,
    title: &'static str,
    date: Option<&'static str>,
    byline: Option<&'static str>,
    figures: Vec<(&'static str, Option<&'static str>)>,
}

fn case(
    name: &'static str,
    head: &str,
    tail: &str,
    title: &'static str,
    date: Option<&'static str>,
    byline: Option<&'static str>,
) -> Case {
    Case {
        name,
        head: head.to_string(),
        body: BODY_EN,
        tail: tail.to_string(),
        title,
        date,
        byline,
        figures: Vec::new(),
    }
}

const T: &str = "Harbour bridge to close to cars next spring";

fn cases() -> Vec<Case> {
    let mut v = vec![
        case(
            "plain repeated headline",
            &format!("{T}\n\n{T}"),
            "",
            T,
            None,
            None,
        ),
        case(
            "menu, headline, date, byline",
            &format!("{NAV}\n\n{T}\n\nNovember 19, 2019\n\nBy Jane Doe"),
            RELATED,
            T,
            Some("2019-11-19T00:00:00"),
            Some("Jane Doe"),
        ),
        case(
            "scraper header and date-time line",
            &format!(" date 2019-11-19 {T}\n\n19 November 2019, 15:39"),
            RELATED,
            T,
            Some("2019-11-19T15:39:00"),
            None,
        ),
        // the date line after the headline is one of a run of dated
        // entries (other stories' dates): no date rather than a guess
        case(
            "date line inside a list of dated stories",
            &format!(
                "{NAV}\n\n{T}\n\n{T}\n\nMarch 3, 2021\n\nFerry timetable changes\n\nJanuary 9, 2020\n\nNew cycle lanes planned\n\nJune 30, 2019"
            ),
            FOOTER,
            T,
            None,
            None,
        ),
        // the scraper's header and the printed dateline disagree
        case(
            "scraper header against a dateline weeks away",
            &format!(" date 2019-11-19 {T}\n\n2 October 2019, 09:15"),
            RELATED,
            T,
            None,
            None,
        ),
        case(
            "scraper header only",
            &format!(" date 2019-11-19 {T}"),
            FOOTER,
            T,
            Some("2019-11-19T00:00:00"),
            None,
        ),
        case(
            "two authors with and",
            &format!(
                "{NAV}\n\n{T}\n\nBy Jane Doe and John Roe\n\nUpdated 10:05 AM ET, Tue November 19, 2019"
            ),
            SHARE,
            T,
            Some("2019-11-19T10:05:00"),
            Some("Jane Doe and John Roe"),
        ),
        case(
            "two authors with comma",
            &format!("{T}\n\nBy Jane Doe, John Roe\n\nPublished: Nov. 19, 2019 at 3:04 p.m. ET"),
            FOOTER,
            T,
            Some("2019-11-19T15:04:00"),
            Some("Jane Doe, John Roe"),
        ),
        case(
            "byline with agency",
            &format!("{NAV}\n\n{T}\n\nBY MARIA LOPEZ | Associated Press\n\n11/19/2019"),
            RELATED,
            T,
            Some("2019-11-19T00:00:00"),
            Some("MARIA LOPEZ"),
        ),
        case(
            "byline and date in one line",
            &format!("{T}\n\nBy Anna Bell November 19, 2019"),
            COMMENTS,
            T,
            Some("2019-11-19T00:00:00"),
            Some("Anna Bell"),
        ),
        case(
            "relative date is no date",
            &format!("{NAV}\n\n{T}\n\nBy Sam Lee\n\n2 hours ago"),
            RELATED,
            T,
            None,
            Some("Sam Lee"),
        ),
        case(
            "ISO date-time",
            &format!("{T}\n\n2019-11-19T08:30:00Z"),
            FOOTER,
            T,
            Some("2019-11-19T08:30:00"),
            None,
        ),
        case(
            "agency and date",
            &format!("{NAV}\n\n{T}\n\nReuters November 18, 2019 11:03 PM"),
            SHARE,
            T,
            Some("2019-11-18T23:03:00"),
            None,
        ),
        case(
            "comments after the article",
            &format!("{T}\n\nOctober 5, 2018\n\nPosted by Vortex"),
            COMMENTS,
            T,
            Some("2018-10-05T00:00:00"),
            None,
        ),
        case("no metadata, footer", T, FOOTER, T, None, None),
        case(
            "day-first numeric date with time",
            &format!("{NAV}\n\n{T}\n\n19/11/2019 13:00"),
            RELATED,
            T,
            Some("2019-11-19T13:00:00"),
            None,
        ),
        case(
            "share bar and related list",
            &format!("{NAV}\n\n{T}\n\nBy Jane Doe\n\n{SHARE}"),
            &format!("{SHARE}\n\n{RELATED}\n\n{FOOTER}"),
            T,
            None,
            Some("Jane Doe"),
        ),
        case(
            "tabs and runs of spaces",
            &format!("\t{T}  \n\n  By   Jane Doe\t"),
            RELATED,
            T,
            None,
            Some("Jane Doe"),
        ),
    ];
    // captions with credits
    let mut c = case(
        "caption shaped X / X. Picture: credit",
        &format!(
            "{T}\n\n6 December 2024, 15:39\n\nThe bridge at dusk on Monday\nThe bridge at dusk on Monday. Picture: Alamy\n\nBy Kit Lane"
        ),
        RELATED,
        T,
        Some("2024-12-06T15:39:00"),
        Some("Kit Lane"),
    );
    c.figures = vec![("The bridge at dusk on Monday", Some("Alamy"))];
    v.push(c);
    let mut c = case(
        "caption with Photo: credit",
        &format!(
            "{NAV}\n\n{T}\n\nCars queue on the bridge in the morning rush. Photo: Jane Roe/Reuters\n\nNovember 19, 2019"
        ),
        FOOTER,
        T,
        Some("2019-11-19T00:00:00"),
        None,
    );
    c.figures = vec![(
        "Cars queue on the bridge in the morning rush",
        Some("Jane Roe/Reuters"),
    )];
    v.push(c);
    let mut c = case(
        "Above: caption, Image Credit line",
        &format!(
            "{NAV}\n\n{T}\n\nReuters November 18, 2019 11:03 PM\n\nAbove: The old harbour bridge.\n\nImage Credit: City Council"
        ),
        RELATED,
        T,
        Some("2019-11-18T23:03:00"),
        None,
    );
    c.figures = vec![("The old harbour bridge.", Some("City Council"))];
    v.push(c);
    let mut c = case(
        "Photo by credit in parentheses",
        &format!(
            "{T}\n\nBy Jane Doe\n\nThe mayor speaks to reporters on Tuesday. (Photo by Sam Lee/Harbour News)"
        ),
        SHARE,
        T,
        None,
        Some("Jane Doe"),
    );
    c.figures = vec![(
        "The mayor speaks to reporters on Tuesday",
        Some("Sam Lee/Harbour News"),
    )];
    v.push(c);
    // non-English pages
    let td = "Hafenbrücke wird im Frühjahr für Autos gesperrt";
    v.push(Case { name: "German", head: format!("{NAV_DE}\n\n{td}\n\nVon Max Mustermann\n\nDienstag, 19. November 2019, 14:05 Uhr"), body: BODY_DE, tail: "Mehr zum Thema\n\nZugstreik abgesagt\n\nRekord beim Wintermarkt\n\nSchule wieder offen\n\nImpressum\n\nDatenschutz".into(), title: td, date: Some("2019-11-19T14:05:00"), byline: Some("Max Mustermann"), figures: vec![] });
    let tj = "港の橋、来春から車両通行止めへ";
    v.push(Case { name: "Japanese", head: format!("ホーム\n\nニュース\n\n経済\n\nスポーツ\n\n{tj}\n\n{tj}\n\n2019年11月19日"), body: BODY_JA, tail: "関連記事\n\n電車のストライキ中止\n\n冬の市に過去最多の来場者\n\nプライバシーポリシー\n\nお問い合わせ".into(), title: tj, date: Some("2019-11-19T00:00:00"), byline: None, figures: vec![] });
    v.push(Case {
        name: "Japanese without date",
        head: format!("ホーム\n\nニュース\n\n{tj}"),
        body: BODY_JA,
        tail: "関連記事\n\n電車のストライキ中止\n\n冬の市に過去最多の来場者".into(),
        title: tj,
        date: None,
        byline: None,
        figures: vec![],
    });
    let tp = "Ponte do porto será fechada para carros na primavera";
    v.push(Case {
        name: "Portuguese date",
        head: format!("Início\n\nNotícias\n\nEsportes\n\n{tp}\n\n19 de novembro de 2019"),
        body: BODY_EN,
        tail: FOOTER.into(),
        title: tp,
        date: Some("2019-11-19T00:00:00"),
        byline: None,
        figures: vec![],
    });
    v.push(case(
        "Indonesian date line",
        &format!("{NAV}\n\n{T}\n\nSelasa, 19 November 2019 09:45 WIB"),
        RELATED,
        T,
        Some("2019-11-19T09:45:00"),
        None,
    ));
    v.push(case(
        "Italian date line",
        &format!("{T}\n\n19 novembre 2019 - 08:12"),
        FOOTER,
        T,
        Some("2019-11-19T08:12:00"),
        None,
    ));
    v.push(case(
        "long reader comments after the article",
        &format!("{NAV}\n\n{T}\n\nBy Jane Doe"),
        &format!("{LONG_COMMENTS}\n\n{FOOTER}"),
        T,
        None,
        Some("Jane Doe"),
    ));
    v.push(case(
        "comment form after the article",
        &format!("{NAV}\n\n{T}"),
        &format!("{COMMENT_FORM}\n\n{FOOTER}"),
        T,
        None,
        None,
    ));
    v.push(Case {
        name: "embedded post inside the article",
        head: format!("{NAV}\n\n{T}\n\nNovember 19, 2019"),
        body: BODY_EMBED,
        tail: format!("{SHARE}\n\n{RELATED}\n\n{FOOTER}"),
        title: T,
        date: Some("2019-11-19T00:00:00"),
        byline: None,
        figures: vec![],
    });
    v
}

#[test]
fn page_heads_and_tails() {
    let cases = cases();
    assert!(cases.len() >= 25, "{}", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let mut page = c.head.clone();
        for p in c.body {
            page.push_str("\n\n");
            page.push_str(p);
        }
        if !c.tail.is_empty() {
            page.push_str("\n\n");
            page.push_str(&c.tail);
        }
        let got = match clean_dump(&page) {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!("{}: error {e}", c.name));
                continue;
            }
        };
        let figures: Vec<(String, Option<String>)> = got
            .figures
            .iter()
            .map(|f| (f.caption.clone(), f.credit.clone()))
            .collect();
        let want_figures: Vec<(String, Option<String>)> = c
            .figures
            .iter()
            .map(|(a, b)| (a.to_string(), b.map(str::to_string)))
            .collect();
        let want_body: Vec<String> = c.body.iter().map(|p| escape_paragraph(p)).collect();
        let checks = [
            ("title", got.title == c.title, format!("{:?}", got.title)),
            (
                "date",
                got.date.as_deref() == c.date,
                format!("{:?}", got.date),
            ),
            (
                "byline",
                got.byline.as_deref() == c.byline,
                format!("{:?}", got.byline),
            ),
            ("figures", figures == want_figures, format!("{figures:?}")),
            ("body", got.body == want_body, format!("{:#?}", got.body)),
        ];
        for (what, ok, got) in checks {
            if !ok {
                failures.push(format!("{}: {what} is {got}", c.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The date `decide_date` gives a dump whose blocks are `blocks` with the
/// headline at `head` (and the scraper header's date), with its source.
fn dump_date(blocks: &[&str], head: usize, header: Option<&str>) -> (Option<String>, &'static str) {
    let dateline = meta::dates::dateline(blocks, head);
    let d = decide_date(
        blocks,
        dateline.as_ref(),
        Some(head),
        header.map(str::to_string),
    );
    (d.date.map(|s| s[..10].to_string()), d.from)
}

#[test]
fn dump_datelines_in_the_shapes_unseen_dumps_use() {
    let (t, p1, p2) = ("Harbour bridge to close to cars", BODY_EN[0], BODY_EN[1]);
    let dec6 = (Some("2024-12-06".to_string()), "dateline");
    // after a byline, with an "Updated"/"Published" label, in German,
    // over two lines of one block, split over tiny blocks
    for blocks in [
        vec![t, "By Jane Roe", "Updated 6 December 2024, 15:39", p1, p2],
        vec![
            t,
            "Jane Roe | Reuters",
            "Published Dec. 6, 2024 3:39 PM ET",
            p1,
            p2,
        ],
        vec![t, "Veröffentlicht am 6. Dezember 2024, 15:39 Uhr", p1, p2],
        vec![t, "Jane Roe\nDecember 6, 2024 3:39 PM", p1, p2],
        vec![t, "6 December", "2024", p1, p2],
        vec![t, "Sexta-feira, 6 de Dezembro de 2024", p1, p2],
    ] {
        assert_eq!(dump_date(&blocks, 0, None), dec6, "{blocks:?}");
    }
    // a numeric date that could be swapped: read the way the page's own
    // unambiguous dates are written, else not at all
    let dated = |order_hint: &'static str| vec![t, "Published 06/12/2024", p1, p2, order_hint];
    assert_eq!(
        dump_date(&dated("Comments closed 13/12/2024"), 0, None),
        dec6
    );
    assert_eq!(
        dump_date(&dated("Comments closed 12/13/2024"), 0, None)
            .0
            .as_deref(),
        Some("2024-06-12")
    );
    assert_eq!(
        dump_date(&dated("Comments closed"), 0, None),
        (None, "none: dateline in a list or unresolved")
    );
}

#[test]
fn dump_dates_that_the_page_contradicts_are_left_out() {
    let (t, p1, p2) = ("Harbour bridge to close to cars", BODY_EN[0], BODY_EN[1]);
    // the scraper header within a day of the dateline: the dateline (the
    // page's own clock); further apart: no date
    let blocks = [t, "December 6, 2024 11:40 PM", p1, p2];
    assert_eq!(
        dump_date(&blocks, 0, Some("2024-12-07T05:40")),
        (Some("2024-12-06".into()), "dateline")
    );
    assert_eq!(
        dump_date(&blocks, 0, Some("2024-12-20")),
        (None, "none: dateline and header disagree")
    );
    // … and then neither is written as the publication or update time
    let untrusted = [
        t,
        "Published December 6, 2024 11:40 PM | Updated December 7, 2024",
        p1,
        p2,
    ];
    let times = |header: Option<&str>| {
        let dateline = meta::dates::dateline(&untrusted, 0);
        let d = decide_date(
            &untrusted,
            dateline.as_ref(),
            Some(0),
            header.map(str::to_string),
        );
        (d.date.is_some(), d.published, d.modified)
    };
    assert_eq!(
        times(Some("2024-12-20")),
        (false, None, None),
        "the header weeks away"
    );
    assert_eq!(
        times(Some("2024-12-07")),
        (
            true,
            Some("2024-12-06T23:40:00".into()),
            Some("2024-12-07T00:00:00".into())
        )
    );
    // the header alone
    assert_eq!(
        dump_date(&[t, p1, p2], 0, Some("2024-12-20")),
        (Some("2024-12-20".into()), "header")
    );
    // a date line that is one entry of a list of other stories' dates
    let listed = [
        t,
        "December 6, 2024",
        "Council backs new ferry",
        "November 30, 2024",
        "Bridge study ordered",
        "November 21, 2024",
        p1,
        p2,
    ];
    assert_eq!(
        dump_date(&listed, 0, None),
        (None, "none: dateline in a list or unresolved")
    );
    // a dateline without a year takes the copyright line's
    let yearless = [
        t,
        "Posted Dec 6, 3:39 PM",
        p1,
        p2,
        "© 2018-2024 Harbour Daily",
    ];
    assert_eq!(
        dump_date(&yearless, 0, None),
        (Some("2024-12-06".into()), "yearless")
    );
    // nothing printed near the headline (a relative "1 day ago" is no
    // date: there is no day to count from)
    assert_eq!(
        dump_date(&[t, "1 day ago", p1, p2], 0, None),
        (None, "none")
    );
}
