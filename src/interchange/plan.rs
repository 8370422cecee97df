//! What an import appends, decided without touching the disk.
//!
//! Each incoming annotation is matched to an article by address (its
//! `url:`, or its page on this site; see [`crate::content::url_key`]), its quote
//! anchored as the build anchors quotes ([`anchor::find`]): a quote found
//! in several places is told apart by the selector's prefix and suffix
//! and written with `occurrence=N`; one found nowhere is an orphan,
//! reported (at its place in the import file) with the closest passage,
//! as the build reports a hand-written quote, and not written. Replies
//! are folded into the note of the annotation they answer.
//!
//! What is written for each annotation is a section appended to the
//! article's annotation file (the file that already holds its notes, as
//! the preview's Annotate button chooses it: `annotations/<slug>.md`, else
//! the first naming it, else a new one):
//!
//! ```markdown
//! ## "the quoted passage" {#id .tag occurrence=2 origin=hypothesis:AbC_1}
//!
//! The note.
//! ```
//!
//! `origin=` remembers where it came from: an annotation whose origin is
//! already in one of the article's files is not added again, and neither
//! is one whose passage is annotated already.
//!
//! A page note (no quoted passage: a note on the whole article) is added
//! to the note before the file's first heading, its origin to the list in
//! the file's front matter (`origin:`); one whose origin is there already,
//! or whose text the article's notes hold already, is not added again.

use super::{Incoming, Quote, origin_value, special_tags, tag_name, valid_name};
use crate::annotate::anchor::{self, Outcome};
use crate::annotate::parse::{ParsedFile, derive_id, parse_file};
use crate::annotate::{AnnotationSource, Status, srcmap};
use crate::config::Config;
use crate::content::Article;
use crate::content::url_key;
use crate::diag::{Problem, Problems, line_col};
use crate::markdown::plain_text;
use crate::model::{SitePath, Slug};
use crate::serve::annotate_endpoint::{escape_heading, one_line};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The import file, for diagnostics.
pub struct ImportFile<'a> {
    pub name: &'a str,
    pub text: &'a Arc<str>,
}

/// One annotation to append.
#[derive(Clone, Debug)]
pub struct Section {
    /// Its Markdown (heading and note), starting with a blank line.
    pub text: String,
    pub quote: String,
    pub id: String,
    /// Where it is in the import file, and its line and column there.
    pub at: usize,
    pub line_col: (usize, usize),
}

/// One page note (a note on the whole article) to add.
#[derive(Clone, Debug)]
pub struct PageNote {
    /// Its Markdown, without blank lines around it.
    pub text: String,
    /// Its `origin:` entry (see [`origin_value`]), when it has one.
    pub origin: Option<String>,
    /// Where it is in the import file, and its line and column there.
    pub at: usize,
    pub line_col: (usize, usize),
}

/// One annotation file to write.
#[derive(Clone, Debug)]
pub struct FilePlan {
    /// Project-relative path.
    pub rel: String,
    pub article: Slug,
    /// Its text now (`None`: a new file).
    pub old: Option<Arc<str>>,
    /// Page notes, added before its first heading.
    pub pages: Vec<PageNote>,
    pub sections: Vec<Section>,
}

impl FilePlan {
    /// The text before the sections — the file as it is (ending with a
    /// newline), or a new file's front matter, with the page notes'
    /// origins added to its front matter and the notes before its first
    /// heading —, and the 1-based lines each page note takes there.
    fn layout(&self) -> (String, Vec<std::ops::Range<usize>>) {
        let mut s = match &self.old {
            Some(t) => {
                let mut s = t.to_string();
                if !s.is_empty() && !s.ends_with('\n') {
                    s.push('\n');
                }
                s
            }
            None => format!("---\narticle: {}\n---\n", self.article),
        };
        if self.pages.is_empty() {
            return (s, Vec::new());
        }
        let origins: Vec<&str> = self
            .pages
            .iter()
            .filter_map(|p| p.origin.as_deref())
            .collect();
        if !origins.is_empty() {
            add_origins(&mut s, &origins);
        }
        let at = first_heading(&s).unwrap_or(s.len());
        let mut block = String::new();
        if !s[..at].ends_with("\n\n") {
            block.push('\n');
        }
        let mut line = s[..at].matches('\n').count() + block.matches('\n').count() + 1;
        let mut lines = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            if i > 0 {
                block.push('\n');
                line += 1;
            }
            block.push_str(p.text.trim_end_matches('\n'));
            block.push('\n');
            let n = p.text.trim_end_matches('\n').matches('\n').count() + 1;
            lines.push(line..line + n);
            line += n;
        }
        if at < s.len() {
            block.push('\n');
        }
        s.insert_str(at, &block);
        (s, lines)
    }

    fn head(&self) -> String {
        self.layout().0
    }

    /// The 1-based lines each page note takes in [`FilePlan::text`].
    pub fn page_lines(&self) -> Vec<std::ops::Range<usize>> {
        self.layout().1
    }

    /// The file's new text.
    pub fn text(&self) -> String {
        let mut s = self.head();
        for sec in &self.sections {
            s.push_str(&sec.text);
        }
        s
    }

    /// The 1-based lines each section takes in [`FilePlan::text`].
    pub fn section_lines(&self) -> Vec<std::ops::Range<usize>> {
        let mut line = self.head().matches('\n').count() + 1;
        self.sections
            .iter()
            .map(|s| {
                let n = s.text.matches('\n').count();
                let r = line..line + n;
                line += n;
                r
            })
            .collect()
    }

    /// Whether the new text reads back as the old items and then exactly
    /// the sections' quotes, each well formed.
    pub fn reads_back(&self) -> bool {
        let old = self.old.as_ref().and_then(|t| parsed(&self.rel, t));
        let before = old.as_ref().map_or(0, |p| p.items.len());
        let text: Arc<str> = Arc::from(self.text());
        let Some(p) = parsed(&self.rel, &text) else {
            return false;
        };
        let mut origins: Vec<&str> = old
            .iter()
            .flat_map(|o| o.origins.iter().map(String::as_str))
            .collect();
        origins.extend(self.pages.iter().filter_map(|p| p.origin.as_deref()));
        let note = p.article_note.as_ref().map_or("", |n| n.md.as_str());
        p.article == self.article
            && p.items.len() == before + self.sections.len()
            && p.items[before..]
                .iter()
                .zip(&self.sections)
                .all(|(i, s)| i.valid && i.quote == s.quote && i.id == s.id)
            && p.origins.iter().map(String::as_str).eq(origins)
            && self.pages.iter().all(|pg| note.contains(pg.text.trim()))
    }
}

fn parsed(rel: &str, text: &Arc<str>) -> Option<ParsedFile> {
    let mut problems = Problems::default();
    parse_file(
        &AnnotationSource {
            file: rel.to_string(),
            text: text.clone(),
        },
        &mut problems,
    )
}

/// Where the first level-2 heading's line starts in an annotation file's
/// text (after its front matter), as the file's reader finds it.
fn first_heading(text: &str) -> Option<usize> {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};
    let split = crate::yaml::split_front_matter(text).ok()?;
    let start = Parser::new_ext(split.body, crate::markdown::options())
        .into_offset_iter()
        .find_map(|(ev, r)| {
            matches!(
                ev,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    ..
                })
            )
            .then_some(r.start)
        })?;
    let at = split.body_offset + start;
    Some(
        text[..at]
            .rfind('\n')
            .map_or(0, |i| i + 1)
            .max(split.body_offset),
    )
}

/// Add `origins` to the `origin:` list of a file's front matter (after
/// its last entry, as indented), or add the list at its end.
fn add_origins(text: &mut String, origins: &[&str]) {
    let Ok(split) = crate::yaml::split_front_matter(text) else {
        return;
    };
    let Some(yaml) = split.yaml else { return };
    let base = split.yaml_offset;
    let entry = |indent: &str, o: &str| {
        format!(
            "{indent}- {}\n",
            serde_json::to_string(o).expect("a string serialises")
        )
    };
    let key = crate::yaml::top_level_keys(yaml)
        .into_iter()
        .find(|(_, k)| *k == "origin")
        .map(|(at, _)| at);
    let (at, insert) = match key {
        Some(k) => {
            // the list's lines: those after the key that are indented or
            // start with `-`
            let mut end = yaml[k..].find('\n').map_or(yaml.len(), |i| k + i + 1);
            let mut indent = String::new();
            for line in yaml[end..].split_inclusive('\n') {
                if !(line.starts_with([' ', '\t', '-'])) {
                    break;
                }
                if line.trim_start().starts_with('-') {
                    indent = line[..line.len() - line.trim_start().len()].to_string();
                }
                end += line.len();
            }
            (end, origins.iter().map(|o| entry(&indent, o)).collect())
        }
        None => {
            let mut add = String::new();
            if !yaml.is_empty() && !yaml.ends_with('\n') {
                add.push('\n');
            }
            add.push_str("origin:\n");
            for o in origins {
                add.push_str(&entry("", o));
            }
            (yaml.len(), add)
        }
    };
    text.insert_str(base + at, &insert);
}

/// What an import will do.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<FilePlan>,
    /// Orphans, annotations matching no article, page notes, replies not
    /// folded: warnings at their place in the import file.
    pub problems: Problems,
    /// Annotations already in the annotation files (by origin or passage).
    pub already: usize,
    /// Replies folded into the notes they answer.
    pub replies: usize,
    /// The first few passages annotated already (by hand, or by an import
    /// that kept no origin), and how many there were: reported together.
    pub annotated: Vec<Problem>,
    pub annotated_count: usize,
}

impl Plan {
    pub fn added(&self) -> usize {
        self.files
            .iter()
            .map(|f| f.sections.len() + f.pages.len())
            .sum()
    }
}

/// An article's text and what its annotation files hold already.
struct Target<'a> {
    article: &'a Article,
    plain: String,
    map: std::sync::OnceLock<srcmap::SourceMap>,
    /// The files naming it, by path.
    files: Vec<(&'a AnnotationSource, ParsedFile)>,
    origins: BTreeSet<String>,
    ids: BTreeSet<String>,
    /// (quote, occurrence) of its annotations, and where they are.
    quotes: BTreeMap<(String, Option<usize>), String>,
}

impl Target<'_> {
    /// `file:line:col` of a plain-text offset.
    fn loc(&self, plain: usize) -> String {
        let a = self.article;
        let map = self.map.get_or_init(|| srcmap::SourceMap::new(a.body()));
        let (l, c) = line_col(&a.text, a.body_offset + map.to_source(plain));
        format!("{}:{l}:{c}", a.file)
    }
}

/// Decide what importing `incoming` appends (see the module docs).
pub fn plan(
    import: &ImportFile,
    incoming: Vec<Incoming>,
    articles: &[Article],
    files: &[AnnotationSource],
    config: &Config,
) -> Plan {
    let mut plan = Plan::default();
    let warn = |inc: &Incoming, msg: String, help: String| {
        Problem::at_line_col(
            import.name,
            import.text.clone(),
            inc.at,
            1,
            inc.line_col,
            msg,
        )
        .with_help(help)
        .warning()
    };

    // articles by address: their `url`, and their page on this site
    let mut by_url: HashMap<String, usize> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(k) = a.url.as_deref().and_then(url_key) {
            by_url.entry(k).or_insert(i);
        }
        if let Some(k) = url_key(&config.absolute(&SitePath::article(&a.slug))) {
            by_url.entry(k).or_insert(i);
        }
    }

    // replies go into the notes they answer
    let mut main: Vec<Incoming> = Vec::new();
    let mut replies: Vec<Incoming> = Vec::new();
    for inc in incoming {
        if inc.reply_to.is_some() {
            replies.push(inc);
        } else {
            main.push(inc);
        }
    }
    let by_origin: HashMap<String, usize> = main
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.origin.clone().map(|o| (o, i)))
        .collect();
    let mut answers: Vec<Vec<Incoming>> = vec![Vec::new(); main.len()];
    for r in replies {
        let parent = r.reply_to.as_deref().unwrap_or_default();
        match by_origin.get(parent) {
            Some(&i) => answers[i].push(r),
            None => plan.problems.push(warn(
                &r,
                "a reply to an annotation that is not in this file is not imported".into(),
                format!(
                    "it answers `{parent}`; import the file holding that annotation, or add the reply to its note by hand"
                ),
            )),
        }
    }

    // group by article
    let mut groups: BTreeMap<usize, Vec<(Incoming, Vec<Incoming>)>> = BTreeMap::new();
    for (inc, ans) in main.into_iter().zip(answers) {
        if let Some(kind) = inc.unread_selector.as_ref().filter(|_| inc.quote.is_none()) {
            plan.problems.push(warn(
                &inc,
                format!("its passage is given by a {kind} only; not imported"),
                "briefing finds passages by their text (a TextQuoteSelector with `exact`); export it from its tool with one, or annotate the passage by hand".into(),
            ));
            continue;
        }
        match inc
            .sources
            .iter()
            .find_map(|s| url_key(s).and_then(|k| by_url.get(&k)))
        {
            Some(&i) => groups.entry(i).or_default().push((inc, ans)),
            None => {
                let shown = inc
                    .sources
                    .first()
                    .map_or("(none)".to_string(), |s| format!("`{s}`"));
                plan.problems.push(warn(
                    &inc,
                    format!("no article has the address {shown}"),
                    "an annotation is matched to the article whose `url:` (or page on this site) is its page's address; add the `url:` to the article's front matter, or clean the page into an article first".into(),
                ));
            }
        }
    }

    // the annotation files, by the article they name
    let mut parsed_files: BTreeMap<Slug, Vec<(&AnnotationSource, ParsedFile)>> = BTreeMap::new();
    let mut sorted: Vec<&AnnotationSource> = files.iter().collect();
    sorted.sort_by(|a, b| a.file.cmp(&b.file));
    let wanted: BTreeSet<&Slug> = groups.keys().map(|&i| &articles[i].slug).collect();
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for f in sorted {
        paths.insert(f.file.clone());
        // (only files that mention one of the slugs are worth parsing)
        if !wanted.iter().any(|s| f.text.contains(s.as_str())) {
            continue;
        }
        if let Some(p) = parsed(&f.file, &f.text)
            && wanted.contains(&p.article)
        {
            parsed_files
                .entry(p.article.clone())
                .or_default()
                .push((f, p));
        }
    }

    for (i, items) in groups {
        let article = &articles[i];
        let files = parsed_files.remove(&article.slug).unwrap_or_default();
        let mut t = Target {
            article,
            plain: plain_text(article.body()).text,
            map: std::sync::OnceLock::new(),
            origins: BTreeSet::new(),
            ids: BTreeSet::new(),
            quotes: BTreeMap::new(),
            files,
        };
        for (_, p) in &t.files {
            t.origins.extend(p.origins.iter().cloned());
        }
        for (src, p) in &t.files {
            for item in &p.items {
                t.origins.extend(item.origin.clone());
                t.ids.insert(item.id.clone());
                let (line, _) = line_col(&src.text, item.quote_at.0);
                t.quotes
                    .entry((item.quote.clone(), item.occurrence))
                    .or_insert_with(|| format!("{}:{line}", src.file));
            }
        }
        let mut sections = Vec::new();
        let mut pages: Vec<PageNote> = Vec::new();
        for (inc, ans) in items {
            if inc.quote.is_none() {
                if let Some(p) = page_note(&mut t, &pages, inc, ans, &mut plan, &warn) {
                    pages.push(p);
                }
            } else if let Some(s) = section(&mut t, inc, ans, &mut plan, &warn, import) {
                sections.push(s);
            }
        }
        if sections.is_empty() && pages.is_empty() {
            continue;
        }
        let preferred = format!("annotations/{}.md", article.slug);
        let existing = t
            .files
            .iter()
            .find(|(s, _)| s.file == preferred)
            .or_else(|| t.files.first());
        let (rel, old) = match existing {
            Some((s, _)) => (s.file.clone(), Some(s.text.clone())),
            None => {
                let mut rel = preferred;
                let mut n = 1;
                while paths.contains(&rel) {
                    n += 1;
                    rel = format!(
                        "annotations/{}-imported{}.md",
                        article.slug,
                        if n == 2 {
                            String::new()
                        } else {
                            format!("-{}", n - 1)
                        }
                    );
                }
                paths.insert(rel.clone());
                (rel, None)
            }
        };
        plan.files.push(FilePlan {
            rel,
            article: article.slug.clone(),
            old,
            pages,
            sections,
        });
    }
    let shown = plan.annotated.len();
    if plan.annotated_count > shown
        && let Some(last) = plan.annotated.last_mut()
    {
        last.help = Some(format!(
            "not imported again; and {} more passage(s) of this file are annotated already",
            plan.annotated_count - shown
        ));
    }

    let annotated = std::mem::take(&mut plan.annotated);
    plan.problems.extend(annotated);
    plan
}

/// The section for one incoming annotation (with its replies), or `None`
/// (reported, or counted as already there).
fn section(
    t: &mut Target,
    inc: Incoming,
    answers: Vec<Incoming>,
    plan: &mut Plan,
    warn: &dyn Fn(&Incoming, String, String) -> Problem,
    import: &ImportFile,
) -> Option<Section> {
    let file = &t.article.file;
    if inc
        .origin
        .as_ref()
        .is_some_and(|o| t.origins.contains(&origin_value(o)))
    {
        plan.already += 1;
        return None;
    }
    let Quote {
        exact,
        prefix,
        suffix,
    } = inc.quote.clone().unwrap_or_default();
    let quote = one_line(&exact);
    let plain = t.plain.as_str();
    let occurrence = match anchor::find(plain, &quote) {
        Outcome::Missing(closest) => {
            let help = match closest {
                Some((r, score)) => format!(
                    "the closest passage is “{}” at {} ({}% similar): the cleaner may have left the highlighted text out, or the page changed; not imported",
                    crate::annotate::note::shorten(&one_line(&plain[r.clone()]), 120),
                    t.loc(r.start),
                    (score * 100.0).floor()
                ),
                None => "the article has no text like it; not imported".to_string(),
            };
            plan.problems.push(warn(
                &inc,
                format!(
                    "quoted passage not found in {file}: “{}”",
                    crate::annotate::note::shorten(&quote, 80)
                ),
                help,
            ));
            return None;
        }
        Outcome::Found(m) if m.ranges.len() == 1 => None,
        Outcome::Found(m) => match pick(plain, &m.ranges, &prefix, &suffix) {
            Some(k) => Some(k + 1),
            None => {
                let places: Vec<String> = m.ranges.iter().take(5).map(|r| t.loc(r.start)).collect();
                plan.problems.push(warn(
                    &inc,
                    format!(
                        "quoted passage occurs {} times in {file}, and its prefix and suffix do not tell which",
                        m.ranges.len()
                    ),
                    format!("it occurs at {}; not imported: annotate it by hand with `occurrence=N`", places.join(", ")),
                ));
                return None;
            }
        },
    };
    if let Some(at) = t.quotes.get(&(quote.clone(), occurrence)) {
        plan.already += 1;
        if plan.annotated.len() < 3 {
            plan.annotated.push(warn(
                &inc,
                format!("this passage of {file} is annotated already, at {at}"),
                "not imported again; merge the notes by hand if they differ".into(),
            ));
        }
        plan.annotated_count += 1;
        return None;
    }

    // tags and the attributes they carry
    let (free, special) = special_tags(&inc.tags);
    let mut tags: Vec<String> = Vec::new();
    for raw in &free {
        match tag_name(raw) {
            Some(n) if !tags.contains(&n) => tags.push(n),
            Some(_) => {}
            None => plan.problems.push(warn(
                &inc,
                format!("the tag `{raw}` has no letters or digits; left out"),
                "tags become names of letters, digits and `-`".into(),
            )),
        }
    }
    let status = inc.status.or(special.status);
    let claim = special.claim;
    if (status.is_some() || claim.is_some()) && !tags.iter().any(|t| t == "claim") {
        tags.push("claim".into());
    }
    let implied =
        tags.iter().any(|t| t == "claim") && tags.iter().find_map(|t| Status::parse(t)) == status;
    if special.date.is_none() && tags.iter().any(|t| t == "event") {
        tags.retain(|t| t != "event");
        plan.problems.push(warn(
            &inc,
            "the tag `event` needs a date; left out".into(),
            "tag the annotation `date:YYYY-MM-DD` as well to put it on the timeline".into(),
        ));
    }

    // its id: the one it had in a briefing, else one derived from the quote
    let id = match inc.id_hint.filter(|h| valid_name(h) && !t.ids.contains(h)) {
        Some(h) => h,
        None => {
            let base = derive_id(&quote);
            let mut id = base.clone();
            let mut n = 1;
            while t.ids.contains(&id) {
                n += 1;
                id = format!("{base}-{n}");
            }
            id
        }
    };
    t.ids.insert(id.clone());
    t.quotes.insert(
        (quote.clone(), occurrence),
        format!("{}:{}:{}", import.name, inc.line_col.0, inc.line_col.1),
    );
    if let Some(o) = &inc.origin {
        t.origins.insert(origin_value(o));
    }

    let mut attrs = vec![format!("#{id}")];
    attrs.extend(tags.iter().map(|t| format!(".{t}")));
    if let Some(c) = &claim {
        attrs.push(format!("claim={c}"));
    }
    if let Some(s) = status.filter(|_| !implied) {
        attrs.push(format!("status={}", s.as_str()));
    }
    if let Some(d) = special.date {
        attrs.push(format!("date={d}"));
    }
    if let Some(k) = occurrence {
        attrs.push(format!("occurrence={k}"));
    }
    if let Some(o) = &inc.origin {
        attrs.push(format!("origin={}", origin_value(o)));
    }
    let mut note = safe_markdown(inc.note.trim());
    fold_replies(&mut note, &answers, plan);
    let mut text = format!(
        "\n## \"{}\" {{{}}}\n",
        escape_heading(&quote),
        attrs.join(" ")
    );
    if !note.is_empty() {
        text.push('\n');
        text.push_str(&note);
        text.push('\n');
    }
    Some(Section {
        text,
        quote,
        id,
        at: inc.at,
        line_col: inc.line_col,
    })
}

/// Fold replies into the note they answer: each quoted, after a line
/// with its author and date.
fn fold_replies(note: &mut String, answers: &[Incoming], plan: &mut Plan) {
    for r in answers {
        plan.replies += 1;
        let who = r
            .author
            .as_deref()
            .map(|a| a.trim_start_matches("acct:").split('@').next().unwrap_or(a))
            .filter(|a| !a.is_empty());
        let when = r.created.as_deref().and_then(|c| c.get(..10));
        let by = match (who, when) {
            (Some(w), Some(d)) => format!(" — {w}, {d}"),
            (Some(w), None) => format!(" — {w}"),
            (None, Some(d)) => format!(" — {d}"),
            (None, None) => String::new(),
        };
        let body = safe_markdown(r.note.trim());
        if !note.is_empty() {
            note.push_str("\n\n");
        }
        note.push_str(&format!("**Reply**{}:\n\n", escape_heading(&by)));
        let quoted: Vec<String> = body
            .lines()
            .map(|l| {
                if l.is_empty() {
                    ">".to_string()
                } else {
                    format!("> {l}")
                }
            })
            .collect();
        note.push_str(&quoted.join("\n"));
    }
}

/// The page note (a note on the whole article) for one incoming
/// annotation without a quote, with its replies, or `None` (reported, or
/// counted as already there).
fn page_note(
    t: &mut Target,
    planned: &[PageNote],
    inc: Incoming,
    answers: Vec<Incoming>,
    plan: &mut Plan,
    warn: &dyn Fn(&Incoming, String, String) -> Problem,
) -> Option<PageNote> {
    let origin = inc.origin.as_deref().map(origin_value);
    if origin.as_ref().is_some_and(|o| t.origins.contains(o)) {
        plan.already += 1;
        return None;
    }
    let mut note = safe_markdown(inc.note.trim());
    let text = note.trim();
    if text.is_empty() && answers.is_empty() {
        plan.problems.push(warn(
            &inc,
            "a page note without text is not imported".into(),
            "it has no note and no tags' worth of text to add to the note on the whole article"
                .into(),
        ));
        return None;
    }
    // (held already: in the article's notes, as an export joins them —
    // every file's, in file order)
    let notes: Vec<&str> = t
        .files
        .iter()
        .filter_map(|(_, p)| p.article_note.as_ref().map(|n| n.md.trim()))
        .chain(planned.iter().map(|p| p.text.as_str()))
        .collect();
    if !text.is_empty() && notes.join("\n\n").contains(text) {
        plan.already += 1;
        return None;
    }
    if !inc.tags.is_empty() {
        plan.problems.push(warn(
            &inc,
            format!(
                "the tags of a page note are left out: {}",
                inc.tags.join(", ")
            ),
            "a note on the whole article has no tags; tag the article in its front matter (`tags:`) if they belong to it".into(),
        ));
    }
    fold_replies(&mut note, &answers, plan);
    if let Some(o) = &origin {
        t.origins.insert(o.clone());
    }
    Some(PageNote {
        text: note.trim().to_string(),
        origin,
        at: inc.at,
        line_col: inc.line_col,
    })
}

/// Which of several places (`ranges`) the prefix and suffix point at: the
/// one whose text before and after agrees with them over the most
/// characters (compared folded), if it is the only best.
fn pick(
    plain: &str,
    ranges: &[std::ops::Range<usize>],
    prefix: &str,
    suffix: &str,
) -> Option<usize> {
    let fold = |s: &str| -> Vec<char> {
        let mut out = Vec::new();
        for w in s.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(w.chars().flat_map(char::to_lowercase));
        }
        out
    };
    let (p, s) = (fold(prefix), fold(suffix));
    if p.is_empty() && s.is_empty() {
        return None;
    }
    let window = |from: usize, to: usize| -> &str {
        let mut a = from.min(plain.len());
        while !plain.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = to.min(plain.len());
        while !plain.is_char_boundary(b) {
            b += 1;
        }
        &plain[a..b]
    };
    let scores: Vec<usize> = ranges
        .iter()
        .map(|r| {
            let before = fold(window(
                r.start.saturating_sub(prefix.len() * 2 + 8),
                r.start,
            ));
            let after = fold(window(r.end, r.end + suffix.len() * 2 + 8));
            // (a prefix ends where the quote starts: compare from there)
            let pb = p
                .iter()
                .rev()
                .zip(before.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            let sa = s
                .iter()
                .zip(after.iter())
                .take_while(|(a, b)| a == b)
                .count();
            pb + sa
        })
        .collect();
    let best = *scores.iter().max()?;
    (best > 0 && scores.iter().filter(|&&x| x == best).count() == 1)
        .then(|| scores.iter().position(|&x| x == best))
        .flatten()
}

/// A note as the body of an annotation section: a line that would start
/// a heading (`#…`, or a setext underline), also inside a quote or a list
/// item — a new section, or a heading inside the note that the file's
/// reader would take for one — is escaped; a code fence left open is
/// closed.
pub fn safe_markdown(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 8);
    let mut fence: Option<(char, usize)> = None;
    // whether the open fence began inside a quote or list item: that
    // container's end (a line without its markers) ends the fence too,
    // and nothing is left to close at the end
    let mut fence_in_container = false;
    let mut prev_blank = true;
    for line in md.lines() {
        let i = container_prefix(line);
        let rest = &line[i..];
        // (the prefix may be indentation alone)
        let container = !line[..i].trim().is_empty();
        if fence.is_some() && fence_in_container && !container {
            fence = None;
        }
        let fence_of = |b: &str| -> Option<(char, usize)> {
            let b = b.trim_start_matches([' ', '\t']);
            let c = b.chars().next().filter(|c| *c == '`' || *c == '~')?;
            let n = b.chars().take_while(|x| *x == c).count();
            // (CommonMark: a backtick fence's info string holds no
            // backtick, or the line is a paragraph with inline code)
            let info_ok = c == '~' || !b[n..].contains('`');
            (n >= 3 && info_ok).then_some((c, n))
        };
        // (four columns of indentation make a code block, not a fence;
        // after a quote or list marker its one space does not count)
        let pre = &line[..i];
        let ws = &pre[pre.trim_end_matches([' ', '\t']).len()..];
        let cols: usize = ws.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
        let indent = cols.saturating_sub(usize::from(container));
        let opens = fence_of(rest).filter(|_| indent < 4);
        match (fence, opens) {
            (None, Some(f)) => {
                fence = Some(f);
                fence_in_container = container;
            }
            (Some((c, n)), Some((c2, n2)))
                if c == c2 && n2 >= n && rest.trim().chars().all(|x| x == c) =>
            {
                fence = None
            }
            _ => {}
        }
        let in_fence = fence.is_some() && opens.is_none();
        let head = rest.trim_start_matches([' ', '\t']);
        let hashes = head.chars().take_while(|c| *c == '#').count();
        let atx = (1..=6).contains(&hashes)
            && head[hashes..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t');
        // (an underline is read before a list marker: `-` alone under a
        // paragraph makes it a heading)
        let q = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        let under = line[q..].trim();
        let setext = !prev_blank
            && !under.is_empty()
            && (under.chars().all(|c| c == '=') || under.chars().all(|c| c == '-'));
        if !in_fence && (atx || setext) {
            let at = if setext {
                q
            } else {
                i + (rest.len() - head.len())
            };
            out.push_str(&line[..at]);
            out.push('\\');
            out.push_str(&line[at..]);
        } else {
            out.push_str(line);
        }
        out.push('\n');
        prev_blank = head.trim().is_empty();
    }
    if let Some((c, n)) = fence.filter(|_| !fence_in_container) {
        out.extend(std::iter::repeat_n(c, n));
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// The length of a line's block-quote markers and list-item markers
/// (`> `, `- `, `1. `), with the spaces between them.
fn container_prefix(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        if i < b.len() && b[i] == b'>' {
            i += 1;
            continue;
        }
        let spaced = |j: usize| j >= b.len() || b[j] == b' ' || b[j] == b'\t';
        if i < b.len() && matches!(b[i], b'-' | b'*' | b'+') && i + 1 < b.len() && spaced(i + 1) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() && j - i < 9 {
            j += 1;
        }
        if j > i && j < b.len() && matches!(b[j], b'.' | b')') && spaced(j + 1) {
            i = j + 1;
            continue;
        }
        return i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_cannot_start_sections() {
        assert_eq!(
            safe_markdown("a\n## b\n#c\n### d"),
            "a\n\\## b\n#c\n\\### d"
        );
        assert_eq!(safe_markdown("Title\n---\n\n---"), "Title\n\\---\n\n---");
        assert_eq!(
            safe_markdown("```\n## code\n```\n## x"),
            "```\n## code\n```\n\\## x"
        );
        assert_eq!(safe_markdown("~~~\nopen"), "~~~\nopen\n~~~");
        // a backtick in a backtick fence's info string makes it inline code,
        // not a fence: nothing to close (a closing fence would open one)
        assert_eq!(safe_markdown("```~`"), "```~`");
        // a fence inside a quote ends with the quote: closing it with a
        // bare fence would open one
        assert_eq!(safe_markdown(">~~~"), ">~~~");
        // four spaces make it code, not a fence
        assert_eq!(safe_markdown("    ~~~"), "    ~~~");
        assert_eq!(safe_markdown("> ```\n## x"), "> ```\n\\## x");
        assert_eq!(
            safe_markdown("> ## q\n- # l\n1. ### n"),
            "> \\## q\n- \\# l\n1. \\### n"
        );
        assert_eq!(safe_markdown("> a\n> ---"), "> a\n> \\---");
    }

    proptest::proptest! {
        /// Whatever a note holds, the section made of it reads back as one
        /// annotation with its quote, its note's lines kept.
        #[test]
        fn a_note_never_starts_a_section(
            note in "([#=`~> -]{0,4}[a-z ]{0,6}\n{0,2}){0,8}",
        ) {
            let md = safe_markdown(&note);
            let text: Arc<str> = Arc::from(format!(
                "---\narticle: a\n---\n## \"q\" {{#x}}\n\n{md}\n\n## \"r\" {{#y}}\n"
            ));
            let p = parsed("annotations/a.md", &text).expect("parses");
            proptest::prop_assert_eq!(p.items.len(), 2, "{}", text);
            proptest::prop_assert_eq!(p.items[1].quote.as_str(), "r");
        }
    }

    fn page(text: &str, origin: Option<&str>) -> PageNote {
        PageNote {
            text: text.into(),
            origin: origin.map(str::to_string),
            at: 0,
            line_col: (1, 1),
        }
    }

    fn file_plan(old: Option<&str>, pages: Vec<PageNote>) -> FilePlan {
        FilePlan {
            rel: "annotations/a.md".into(),
            article: Slug::parse("a").unwrap(),
            old: old.map(Arc::from),
            pages,
            sections: Vec::new(),
        }
    }

    #[test]
    fn page_notes_go_before_the_first_heading_and_origins_into_the_list() {
        // a new file
        let f = file_plan(
            None,
            vec![
                page("One.", Some("hypothesis:x")),
                page("Two\nlines.", None),
            ],
        );
        assert_eq!(
            f.text(),
            "---\narticle: a\norigin:\n- \"hypothesis:x\"\n---\n\nOne.\n\nTwo\nlines.\n"
        );
        assert_eq!(f.page_lines(), [7..8, 9..11]);
        assert!(f.reads_back());
        // before the first heading, after the note there; the list grows
        // with its indentation
        let old = "---\narticle: a\norigin:\n  - \"hypothesis:old\"\ndraft: false\n---\nMine.\n## \"q\" {#q}\n\nNote.\n";
        let f = file_plan(Some(old), vec![page("New.", Some("urn:x#y"))]);
        assert_eq!(
            f.text(),
            "---\narticle: a\norigin:\n  - \"hypothesis:old\"\n  - \"urn:x#y\"\ndraft: false\n---\nMine.\n\nNew.\n\n## \"q\" {#q}\n\nNote.\n"
        );
        assert_eq!(f.page_lines(), vec![std::ops::Range { start: 10, end: 11 }]);
        assert!(f.reads_back());
        // a heading in a code block is not one
        let old = "---\narticle: a\n---\n```\n## \"not\"\n```\n";
        let f = file_plan(Some(old), vec![page("New.", None)]);
        assert_eq!(f.text(), format!("{old}\nNew.\n"));
        assert!(f.reads_back());
        // an `origin:` that is not a list: the note does not read back
        let old = "---\narticle: a\norigin: hypothesis:one\n---\n";
        let f = file_plan(Some(old), vec![page("New.", Some("hypothesis:two"))]);
        assert!(!f.reads_back());
    }

    #[test]
    fn prefix_and_suffix_pick_a_place() {
        let plain = "The cat sat. A dog ran. The cat ran.";
        let ranges = vec![0..7, 24..31];
        assert_eq!(pick(plain, &ranges, "dog ran. ", " ran."), Some(1));
        assert_eq!(pick(plain, &ranges, "", " sat"), Some(0));
        assert_eq!(pick(plain, &ranges, "", ""), None);
        assert_eq!(pick(plain, &ranges, "zzz", "qqq"), None);
    }
}
