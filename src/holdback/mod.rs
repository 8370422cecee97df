//! holdback: what a public build leaves out, and why — draft articles
//! and annotation files (`draft: true`), internal annotations (`.internal`),
//! `internal` blocks in notes, the summary and articles ([`internal`]),
//! articles under embargo (`embargo:` later than the build's time) — and
//! the proof that none of it reached the output ([`leak`]).
//!
//! A public build filters held-back material out of the inputs before
//! anything downstream reads them (`site::assemble`): held articles are
//! taken out before anchoring and linking, annotation files are read
//! through [`annotation_view`] (a draft file, or one annotating a held
//! article, not at all; internal annotations and blocks blanked, keeping
//! every offset), so every page, listing, count, index and feed lacks them
//! by construction. An internal build keeps everything and marks it.
//!
//! Pure: texts in, views and descriptions out.

pub mod leak;

use crate::annotate::{AnnotationSource, parse};
use crate::content::{Article, Summary};
use crate::diag::{Problem, Problems};
use crate::markdown::internal;
use crate::model::Slug;
use crate::yaml;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Who a build is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Readers: nothing held back is built (and a leak check proves it).
    #[default]
    Public,
    /// The desk: everything is built, held-back material clearly marked.
    Internal,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Public => "public",
            Profile::Internal => "internal",
        }
    }
}

/// What a build holds back: its profile, and the time embargoes are
/// judged at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub profile: Profile,
    /// Articles under embargo until after this are held back.
    pub now: jiff::Timestamp,
}

impl Default for Policy {
    /// The safest: public, and no embargo ever over (a caller that
    /// forgets to say the time publishes less, never more).
    fn default() -> Policy {
        Policy {
            profile: Profile::Public,
            now: jiff::Timestamp::MIN,
        }
    }
}

impl Policy {
    pub fn new(profile: Profile, now: jiff::Timestamp) -> Policy {
        Policy { profile, now }
    }
    pub fn is_public(&self) -> bool {
        self.profile == Profile::Public
    }
}

pub use crate::content::Hold;

/// Whether an article is held back at `now`, and why.
pub fn article_hold(a: &Article, now: jiff::Timestamp) -> Option<Hold> {
    if a.draft {
        return Some(Hold::Draft);
    }
    let until = a.embargo?;
    (now < until.instant()?).then_some(Hold::Embargo(until))
}

/// The first embargo of `articles` to end after `now`: until then a
/// build's output stays as it is.
pub fn next_embargo_end<'a>(
    articles: impl IntoIterator<Item = &'a Article>,
    now: jiff::Timestamp,
) -> Option<jiff::Timestamp> {
    articles
        .into_iter()
        .filter(|a| !a.draft)
        .filter_map(|a| a.embargo?.instant())
        .filter(|t| now < *t)
        .min()
}

/// What a public build held back: for wikilinks that point at it, and
/// for the leak check.
#[derive(Clone, Debug, Default)]
pub struct HeldBack {
    /// Held articles, by slug.
    pub articles: BTreeMap<Slug, Hold>,
    /// Held annotations: (article, id).
    pub annotations: BTreeSet<(Slug, String)>,
    /// Every held article, summary or article block, with what of it
    /// would show in a page.
    pub items: Vec<leak::Item>,
    /// The same for the annotation files (made again after an
    /// annotation edit).
    pub annotation_items: Vec<leak::Item>,
}

impl HeldBack {
    /// Why `[[target]]` (with `current` the article of the note) points at
    /// held-back material, if it does: the message, in words.
    pub fn link_reason(&self, target: &str, current: Option<&Slug>) -> Option<String> {
        let (slug, id) = match target.split_once('#') {
            Some((s, id)) => (s.trim(), Some(id.trim())),
            None => (target.trim(), None),
        };
        let article = if slug.is_empty() {
            current.cloned()?
        } else {
            Slug::parse(slug).ok()?
        };
        if let Some(h) = self.articles.get(&article) {
            let what = match h {
                Hold::Draft => "a draft".to_string(),
                Hold::Embargo(s) => format!("under embargo until {}", s.iso()),
            };
            return Some(format!("`{article}` is {what}"));
        }
        let id = id?;
        self.annotations
            .contains(&(article.clone(), id.to_string()))
            .then(|| format!("annotation `{id}` of `{article}` is internal or a draft"))
    }
}

impl crate::annotate::HeldTargets for HeldBack {
    fn link_reason(&self, target: &str, current: Option<&Slug>) -> Option<String> {
        HeldBack::link_reason(self, target, current)
    }
}

/// What holding back does to an annotation file.
#[derive(Clone, Debug, Default)]
pub struct AnnotationView {
    /// The text the build reads: the file's own (the same `Arc`) when
    /// nothing in it is held back, else with the held-back parts blanked;
    /// `None` when the whole file is held back.
    pub text: Option<Arc<str>>,
    /// Unknown keys in its front matter.
    pub warnings: Vec<Problem>,
    /// What of it is held back.
    pub items: Vec<leak::Item>,
    /// The held annotations: (article, id).
    pub ids: Vec<(Slug, String)>,
}

/// The [`annotation_view`]s of a live session's last build, so that an
/// annotation edit reads again only the files whose text changed (at
/// 10,000 files, reading every front matter again was a quarter of an
/// annotation edit's rebuild). A view depends on the file's text, the
/// profile and the held articles: when either of the last two changes,
/// every file is read again.
#[derive(Debug, Default)]
pub struct ViewCache(std::sync::Mutex<ViewMemo>);

#[derive(Debug, Default)]
struct ViewMemo {
    profile: Option<Profile>,
    held: BTreeMap<Slug, crate::content::Hold>,
    /// By file: its text (the same `Arc` means the same text) and view.
    views: rustc_hash::FxHashMap<String, (Arc<str>, AnnotationView)>,
}

impl ViewCache {
    /// [`annotation_view`] of each file, in order, reusing the views of
    /// files whose text is the one last seen.
    pub fn views(
        &self,
        files: &[AnnotationSource],
        profile: Profile,
        held_articles: &BTreeMap<Slug, crate::content::Hold>,
    ) -> Vec<AnnotationView> {
        use rayon::prelude::*;
        let mut memo = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if memo.profile != Some(profile) || memo.held != *held_articles {
            memo.views.clear();
            memo.profile = Some(profile);
            memo.held = held_articles.clone();
        }
        let known = |s: &AnnotationSource| {
            memo.views
                .get(&s.file)
                .filter(|(text, _)| Arc::ptr_eq(text, &s.text))
                .map(|(_, v)| v.clone())
        };
        let views: Vec<AnnotationView> = files
            .par_iter()
            .with_min_len(256)
            .map(|s| known(s).unwrap_or_else(|| annotation_view(s, profile, held_articles)))
            .collect();
        if memo.views.len() > 2 * files.len() + 64 {
            memo.views.clear();
        }
        for (s, v) in files.iter().zip(&views) {
            let same = memo
                .views
                .get(&s.file)
                .is_some_and(|(text, _)| Arc::ptr_eq(text, &s.text));
            if !same {
                memo.views
                    .insert(s.file.clone(), (s.text.clone(), v.clone()));
            }
        }
        views
    }
}

/// The keys of an annotation file's front matter.
pub const ANNOTATION_KEYS: &[&str] = &["article", "draft", "origin"];

#[derive(serde::Deserialize, Default)]
struct AnnotationFront {
    #[serde(default)]
    article: Option<String>,
    #[serde(default, deserialize_with = "yaml::flag")]
    draft: Option<bool>,
}

fn contains_word(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

/// An annotation file as a build under `profile` reads it. A public build
/// drops a draft file and the files of held articles, blanks each
/// `.internal` annotation (its heading and note) and each `internal`
/// block; an internal build reads every file as it is. Problems in the
/// file are left to the annotation parser, which reads what is kept
/// (a file whose front matter does not read is kept, and fails there).
pub fn annotation_view(
    src: &AnnotationSource,
    profile: Profile,
    held_articles: &BTreeMap<Slug, Hold>,
) -> AnnotationView {
    let text = &src.text;
    let mut view = AnnotationView::default();
    let front = match yaml::split_front_matter(text) {
        Ok(yaml::Split {
            yaml: Some(y),
            yaml_offset,
            ..
        }) => {
            view.warnings = yaml::unknown_keys(
                &src.file,
                text,
                y,
                yaml_offset,
                ANNOTATION_KEYS,
                "the front matter",
            );
            yaml::from_str_loose::<AnnotationFront>(y)
        }
        _ => None,
    }
    .unwrap_or_default();
    if profile == Profile::Internal {
        view.text = Some(text.clone());
        return view;
    }
    let article = front
        .article
        .as_deref()
        .and_then(|a| Slug::parse(a.trim()).ok());
    let whole = if front.draft == Some(true) {
        Some(format!("the draft annotation file {}", src.file))
    } else {
        article
            .as_ref()
            .filter(|a| held_articles.contains_key(*a))
            .map(|a| {
                format!(
                    "the annotations ({}) of `{a}`, which is held back",
                    src.file
                )
            })
    };
    if whole.is_none() && !contains_word(text, internal::WORD) {
        view.text = Some(text.clone());
        return view;
    }
    let mut problems = Problems::default();
    let parsed = parse::parse_file(src, &mut problems);
    if let Some(what) = whole {
        // the whole file: every annotation, note and tag in it
        let mut item = leak::Item {
            what,
            ..Default::default()
        };
        if let Some(pf) = &parsed {
            if let Some(n) = &pf.article_note {
                item.text.extend(leak::sentences(&n.md, leak::SENTENCES));
            }
            for a in &pf.items {
                item.ids.push(a.id.clone());
                item.tags.extend(a.tags.iter().cloned());
                item.text
                    .extend(leak::sentences(&a.note.md, leak::SENTENCES));
                view.ids.push((pf.article.clone(), a.id.clone()));
            }
        }
        view.items.push(item);
        return view;
    }
    let Some(pf) = parsed else {
        view.text = Some(text.clone());
        return view;
    };
    // `.internal` annotations: from the start of the heading's line to
    // the end of the note
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for a in pf
        .items
        .iter()
        .filter(|a| a.tags.iter().any(|t| t == internal::WORD))
    {
        let start = text[..a.quote_at.0].rfind('\n').map_or(0, |i| i + 1);
        let end = (a.note.offset + a.note.md.len()).min(text.len());
        ranges.push(start..end);
        let (line, _) = crate::diag::line_col(text, a.quote_at.0);
        view.items.push(leak::Item {
            what: format!(
                "the internal annotation `{}` of `{}` ({}:{line})",
                a.id, pf.article, src.file
            ),
            ids: vec![a.id.clone()],
            tags: a.tags.clone(),
            text: leak::sentences(&a.note.md, leak::SENTENCES),
            ..Default::default()
        });
        view.ids.push((pf.article.clone(), a.id.clone()));
    }
    // `internal` blocks elsewhere in the file
    let body_at = yaml::split_front_matter(text).map_or(0, |s| s.body_offset);
    for b in internal::blocks(&text[body_at..]) {
        let r = b.range.start + body_at..b.range.end + body_at;
        if ranges.iter().any(|x| x.start <= r.start && r.end <= x.end) {
            continue;
        }
        view.items.push(block_item(&src.file, text, r.start, &b));
        ranges.push(r);
    }
    view.text = Some(if ranges.is_empty() {
        text.clone()
    } else {
        Arc::from(internal::blank(text, ranges))
    });
    view
}

/// The leak-check item of an `internal` block at `at` in `file`.
fn block_item(file: &str, text: &str, at: usize, b: &internal::Block) -> leak::Item {
    let (line, _) = crate::diag::line_col(text, at);
    leak::Item {
        what: format!("the internal block at {file}:{line}"),
        text: leak::sentences(&b.content, leak::SENTENCES),
        ..Default::default()
    }
}

/// An article's text with its `internal` blocks blanked (same length and
/// lines), and what they held; `None` when it has none.
pub fn article_view(a: &Article) -> Option<(Arc<str>, Vec<leak::Item>)> {
    let (body, blocks) = internal::strip(a.body())?;
    let mut text = String::with_capacity(a.text.len());
    text.push_str(&a.text[..a.body_offset]);
    text.push_str(&body);
    let items = blocks
        .iter()
        .map(|b| block_item(&a.file, &a.text, a.body_offset + b.range.start, b))
        .collect();
    Some((Arc::from(text), items))
}

/// The executive summary with its `internal` blocks blanked, and what
/// they held; `None` when it has none.
pub fn summary_view(s: &Summary) -> Option<(Summary, Vec<leak::Item>)> {
    let (body, blocks) = internal::strip(&s.body)?;
    let mut text = String::with_capacity(s.text.len());
    text.push_str(&s.text[..s.body_offset]);
    text.push_str(&body);
    let items = blocks
        .iter()
        .map(|b| block_item(&s.file, &s.text, s.body_offset + b.range.start, b))
        .collect();
    Some((
        Summary {
            body,
            text: Arc::from(text),
            ..s.clone()
        },
        items,
    ))
}

/// The leak-check item of a held-back article: its page, its title, its
/// summary and its longest sentences.
pub fn article_item(a: &Article, hold: &Hold) -> leak::Item {
    let what = match hold {
        Hold::Draft => format!("the draft article `{}` ({})", a.slug, a.file),
        Hold::Embargo(s) => format!(
            "the article `{}` ({}), under embargo until {}",
            a.slug,
            a.file,
            s.iso()
        ),
    };
    let mut text: Vec<String> = leak::title_phrase(&a.title).into_iter().collect();
    text.extend(leak::sentences(&a.summary, 1));
    text.extend(leak::sentences(a.body(), leak::SENTENCES + 1));
    text.sort();
    text.dedup();
    leak::Item {
        what,
        marks: vec![
            crate::model::SitePath::article(&a.slug)
                .pretty()
                .to_string(),
        ],
        text,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> AnnotationSource {
        AnnotationSource {
            file: "annotations/a.md".into(),
            text: Arc::from(text),
        }
    }

    fn art(fm: &str) -> Article {
        crate::content::parse_article(
            "content/a.md",
            Arc::from(format!("---\ntitle: T\nslug: a\n{fm}---\n\nBody.\n")),
        )
        .unwrap()
    }

    #[test]
    fn drafts_and_embargoes_are_held_until_their_time() {
        let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        let now = t("2024-12-06T12:00:00Z");
        assert_eq!(article_hold(&art(""), now), None);
        assert_eq!(article_hold(&art("draft: true\n"), now), Some(Hold::Draft));
        assert_eq!(article_hold(&art("draft: false\n"), now), None);
        let e = art("embargo: 2024-12-06T15:00:00+02:00\n");
        // 13:00 UTC
        assert!(matches!(article_hold(&e, now), Some(Hold::Embargo(_))));
        assert_eq!(article_hold(&e, t("2024-12-06T13:00:00Z")), None);
        assert_eq!(
            article_hold(&e, now).unwrap().label(),
            "embargoed until 2024-12-06T15:00:00+02:00"
        );
        assert_eq!(next_embargo_end([&e], now), Some(t("2024-12-06T13:00:00Z")));
        assert_eq!(next_embargo_end([&e], t("2025-01-01T00:00:00Z")), None);
        // the default policy never lifts an embargo
        assert!(matches!(
            article_hold(&e, Policy::default().now),
            Some(Hold::Embargo(_))
        ));
    }

    #[test]
    fn an_embargo_needs_an_offset() {
        let e = crate::content::parse_article(
            "content/a.md",
            Arc::from("---\ntitle: T\nembargo: 2024-12-06T15:00:00\n---\nx\n"),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "the embargo \"2024-12-06T15:00:00\" has no UTC offset"
        );
        assert_eq!((e.line, e.column), (3, 10));
    }

    #[test]
    fn a_public_view_blanks_internal_annotations_and_blocks() {
        let text = "---\narticle: a\n---\nOverall.\n\n```internal\nDesk only: the aide is our source.\n```\n\n## \"public quote\" {#p}\nPublic note.\n\n## \"secret quote\" {#s .internal .claim}\nThe internal note names the source in full detail.\n\n## \"last\"\nLast note.\n";
        let v = annotation_view(&src(text), Profile::Public, &BTreeMap::new());
        let public = v.text.unwrap();
        assert_eq!(public.len(), text.len());
        assert_eq!(public.lines().count(), text.lines().count());
        for gone in ["aide", "secret quote", "internal note", "{#s"] {
            assert!(!public.contains(gone), "{gone}: {public}");
        }
        for kept in [
            "Overall.",
            "## \"public quote\" {#p}",
            "Public note.",
            "## \"last\"",
            "Last note.",
        ] {
            assert!(public.contains(kept), "{kept}: {public}");
        }
        assert_eq!(v.ids, [(Slug::parse("a").unwrap(), "s".to_string())]);
        assert_eq!(v.items.len(), 2);
        assert_eq!(v.items[0].ids, ["s"]);
        assert_eq!(
            v.items[0].text,
            ["The internal note names the source in full detail."]
        );
        assert!(
            v.items[1].what.contains("annotations/a.md:6"),
            "{}",
            v.items[1].what
        );
        // internal: as it is
        let v = annotation_view(&src(text), Profile::Internal, &BTreeMap::new());
        assert_eq!(&*v.text.unwrap(), text);
    }

    #[test]
    fn draft_files_and_files_of_held_articles_are_held_whole() {
        let text = "---\narticle: a\ndraft: true\n---\n## \"q\" {#k .event date=2024-01-01}\nA long enough note to count as a sentence.\n";
        let v = annotation_view(&src(text), Profile::Public, &BTreeMap::new());
        assert!(v.text.is_none());
        assert_eq!(v.items[0].ids, ["k"]);
        assert_eq!(v.items[0].tags, ["event"]);
        let text = "---\narticle: a\n---\n## \"q\"\nNote.\n";
        let held = BTreeMap::from([(Slug::parse("a").unwrap(), Hold::Draft)]);
        let v = annotation_view(&src(text), Profile::Public, &held);
        assert!(v.text.is_none());
        // nothing held: the very same text
        let s = src(text);
        let v = annotation_view(&s, Profile::Public, &BTreeMap::new());
        assert!(Arc::ptr_eq(&v.text.unwrap(), &s.text));
    }

    #[test]
    fn unknown_front_matter_keys_are_warnings_naming_the_closest() {
        let v = annotation_view(
            &src("---\narticle: a\ndrafts: true\n---\n"),
            Profile::Public,
            &BTreeMap::new(),
        );
        let w: Vec<String> = v.warnings.iter().map(|p| p.headline()).collect();
        assert_eq!(
            w,
            [
                "annotations/a.md:3:1: warning: unknown key `drafts` in the front matter: did you mean `draft`?"
            ]
        );
    }

    #[test]
    fn links_to_held_material_say_what_it_is() {
        let mut h = HeldBack::default();
        let a = Slug::parse("a").unwrap();
        h.articles.insert(Slug::parse("d").unwrap(), Hold::Draft);
        h.annotations.insert((a.clone(), "s".into()));
        assert_eq!(h.link_reason("d", None).as_deref(), Some("`d` is a draft"));
        assert_eq!(
            h.link_reason("d#x", None).as_deref(),
            Some("`d` is a draft")
        );
        assert!(h.link_reason("a#s", None).is_some());
        assert!(h.link_reason("#s", Some(&a)).is_some());
        assert_eq!(h.link_reason("a#t", None), None);
        assert_eq!(h.link_reason("Oreshnik", None), None);
    }
}
