//! Reading an import file: Hypothesis JSON (a list of annotations, the
//! client's export `{"annotations": […]}` or an API search result
//! `{"rows": […]}`) or W3C Web Annotation JSON-LD (an
//! `AnnotationCollection` with its first page embedded, an
//! `AnnotationPage`, one `Annotation`, or a list of them) into
//! [`Incoming`] annotations.
//!
//! Every annotation keeps its position in the file; anything that is not
//! JSON, or not of the format named (a W3C file given as Hypothesis, a
//! field of the wrong type), is one [`Problem`] at its line and column,
//! and nothing is imported.

use super::{Format, Incoming, Quote, id_from_anchor};
use crate::annotate::Status;
use crate::diag::Problem;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::sync::Arc;

/// Read `text` (the file `file`) as `format`.
pub fn read(file: &str, text: &Arc<str>, format: Format) -> Result<Vec<Incoming>, Problem> {
    let cx = Cx { file, text };
    let top: &RawValue = serde_json::from_str(text).map_err(|e| cx.serde(0, text, &e, None))?;
    let items = cx.items(top, format)?;
    let mut out = Vec::with_capacity(items.len());
    // lines and columns in one pass (the items are in file order)
    let (mut pos, mut line, mut line_start) = (0, 1, 0);
    for raw in items {
        let mut incoming = match format {
            Format::Hypothesis => cx.hypothesis(raw)?,
            Format::W3c => cx.w3c(raw)?,
        };
        let at = incoming.at.max(pos);
        for i in memchr::memchr_iter(b'\n', &text.as_bytes()[pos..at]) {
            line += 1;
            line_start = pos + i + 1;
        }
        pos = at;
        incoming.line_col = (line, text[line_start..at].chars().count() + 1);
        out.push(incoming);
    }
    Ok(out)
}

struct Cx<'a> {
    file: &'a str,
    text: &'a Arc<str>,
}

/// The top level of either format, as far as finding the annotations goes.
#[derive(Deserialize)]
struct Top<'a> {
    #[serde(borrow, default)]
    annotations: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    rows: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    items: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    first: Option<&'a RawValue>,
    #[serde(rename = "type", default)]
    kind: Option<Value>,
    #[serde(default)]
    target: Option<Value>,
    #[serde(default)]
    uri: Option<Value>,
}

fn has_type(kind: &Option<Value>, name: &str) -> bool {
    match kind {
        Some(Value::String(s)) => s == name,
        Some(Value::Array(v)) => v.iter().any(|k| k.as_str() == Some(name)),
        _ => false,
    }
}

impl Cx<'_> {
    /// Byte offset of `raw` (a slice of the file's text) in the file.
    fn offset(&self, raw: &str) -> usize {
        (raw.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    fn problem(&self, at: usize, message: String, help: &str) -> Problem {
        Problem::at(self.file, self.text.clone(), at, 1, message).with_help(help)
    }

    /// A serde_json error in `part` (which starts at `base`), at its line
    /// and column in the file.
    fn serde(&self, base: usize, part: &str, e: &serde_json::Error, what: Option<&str>) -> Problem {
        let (line, col) = (e.line().max(1), e.column().max(1));
        let line_start = part
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        let mut at = (base + line_start + col - 1).min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let mut msg = e.to_string();
        // serde_json ends its message with " at line L column C": the
        // diagnostic says where
        if let Some(i) = msg.rfind(" at line ") {
            msg.truncate(i);
        }
        let message = match what {
            Some(w) => format!("{w}: {msg}"),
            None if e.is_syntax() || e.is_eof() => format!("not valid JSON: {msg}"),
            None => msg,
        };
        self.problem(
            at,
            message,
            "fix the file, or export it again; nothing was imported",
        )
    }

    /// The annotations of the file, each as its raw JSON.
    fn items<'t>(&self, top: &'t RawValue, format: Format) -> Result<Vec<&'t RawValue>, Problem> {
        let s = top.get();
        let at = self.offset(s);
        if s.starts_with('[') {
            let v: Vec<&RawValue> =
                serde_json::from_str(s).map_err(|e| self.serde(at, s, &e, None))?;
            return Ok(v);
        }
        let expected = match format {
            Format::Hypothesis => {
                "a Hypothesis export holds a list of annotations, or an object with `annotations` (the client's export) or `rows` (the API's search result)"
            }
            Format::W3c => {
                "a W3C Web Annotation file holds an AnnotationCollection (with its `first` page embedded), an AnnotationPage, an Annotation, or a list of them"
            }
        };
        if !s.starts_with('{') {
            return Err(self.problem(
                at,
                format!("not a {} file: it holds a single value", format.name()),
                expected,
            ));
        }
        let t: Top = serde_json::from_str(s).map_err(|e| self.serde(at, s, &e, None))?;
        match format {
            Format::Hypothesis => {
                if let Some(v) = t.annotations.or(t.rows) {
                    return Ok(v);
                }
                if t.uri.is_some() {
                    // one annotation
                    return Ok(vec![top]);
                }
                let hint = if t.items.is_some() || t.first.is_some() || t.kind.is_some() {
                    "this looks like a W3C Web Annotation file: run `briefing import w3c FILE`"
                } else {
                    expected
                };
                Err(self.problem(
                    at,
                    "not a Hypothesis export: no `annotations` or `rows` list".into(),
                    hint,
                ))
            }
            Format::W3c => {
                if has_type(&t.kind, "AnnotationCollection") {
                    let Some(first) = t.first else {
                        return Err(self.problem(
                            at,
                            "the AnnotationCollection has no `first` page".into(),
                            "embed the first AnnotationPage (with its `items`) in the collection: pages fetched by address are not followed",
                        ));
                    };
                    let fs = first.get();
                    let fat = self.offset(fs);
                    if !fs.starts_with('{') {
                        return Err(self.problem(
                            fat,
                            "the collection's `first` page is a reference, not embedded".into(),
                            "embed the first AnnotationPage (with its `items`) in the collection: pages fetched by address are not followed",
                        ));
                    }
                    let page: Top =
                        serde_json::from_str(fs).map_err(|e| self.serde(fat, fs, &e, None))?;
                    return page.items.ok_or_else(|| {
                        self.problem(
                            fat,
                            "the first AnnotationPage has no `items`".into(),
                            expected,
                        )
                    });
                }
                if let Some(items) = t.items {
                    return Ok(items);
                }
                if has_type(&t.kind, "Annotation") || t.target.is_some() {
                    return Ok(vec![top]);
                }
                let hint = if t.annotations.is_some() || t.rows.is_some() {
                    "this looks like a Hypothesis export: run `briefing import hypothesis FILE`"
                } else {
                    expected
                };
                Err(self.problem(
                    at,
                    "not a W3C Web Annotation file: no AnnotationCollection, AnnotationPage or Annotation".into(),
                    hint,
                ))
            }
        }
    }

    fn hypothesis(&self, raw: &RawValue) -> Result<Incoming, Problem> {
        #[derive(Deserialize)]
        struct H {
            id: Option<String>,
            uri: Option<String>,
            #[serde(default)]
            text: Option<String>,
            #[serde(default)]
            tags: Option<Vec<String>>,
            #[serde(default)]
            target: Option<Vec<HTarget>>,
            #[serde(default)]
            references: Option<Vec<String>>,
            user: Option<String>,
            created: Option<String>,
            document: Option<HDoc>,
            links: Option<HLinks>,
            #[serde(rename = "@context", default)]
            context: Option<Value>,
            #[serde(rename = "type", default)]
            kind: Option<Value>,
        }
        #[derive(Deserialize)]
        struct HTarget {
            #[serde(default)]
            source: Option<Value>,
            #[serde(default)]
            selector: Option<Vec<Value>>,
        }
        #[derive(Deserialize)]
        struct HDoc {
            #[serde(default)]
            link: Option<Vec<HLink>>,
        }
        #[derive(Deserialize)]
        struct HLink {
            href: Option<String>,
        }
        #[derive(Deserialize)]
        struct HLinks {
            html: Option<String>,
            incontext: Option<String>,
        }
        let s = raw.get();
        let at = self.offset(s);
        if !s.starts_with('{') {
            return Err(self.problem(
                at,
                "not a Hypothesis annotation: expected an object".into(),
                "each annotation of a Hypothesis export is an object with `uri`, `target`, `text` and `tags`",
            ));
        }
        let h: H = serde_json::from_str(s)
            .map_err(|e| self.serde(at, s, &e, Some("not a Hypothesis annotation")))?;
        let w3c = h.context.is_some() || has_type(&h.kind, "Annotation");
        if w3c || (h.uri.is_none() && h.target.is_none()) {
            return Err(self.problem(
                at,
                "not a Hypothesis annotation: no `uri`".into(),
                if w3c {
                    "this looks like a W3C Web Annotation: run `briefing import w3c FILE`"
                } else {
                    "each annotation of a Hypothesis export names its page in `uri`"
                },
            ));
        }
        let mut inc = Incoming {
            at,
            origin: h.id.as_ref().map(|id| format!("hypothesis:{id}")),
            note: h.text.unwrap_or_default(),
            tags: h.tags.unwrap_or_default(),
            author: h.user,
            created: h.created,
            ..Incoming::default()
        };
        inc.id_hint = h
            .links
            .as_ref()
            .and_then(|l| l.html.as_deref().or(l.incontext.as_deref()))
            .and_then(id_from_anchor);
        inc.reply_to = h
            .references
            .as_ref()
            .and_then(|r| r.first())
            .map(|r| format!("hypothesis:{r}"));
        for t in h.target.iter().flatten() {
            match &t.source {
                Some(Value::String(s)) => inc.sources.push(s.clone()),
                Some(Value::Array(v)) => inc
                    .sources
                    .extend(v.iter().filter_map(|s| s.as_str().map(str::to_string))),
                _ => {}
            }
            for sel in t.selector.iter().flatten() {
                if inc.quote.is_none() {
                    inc.quote = quote_selector(sel);
                }
                note_unread(&mut inc, sel);
            }
        }
        inc.sources.extend(h.uri);
        inc.sources.extend(
            h.document
                .and_then(|d| d.link)
                .into_iter()
                .flatten()
                .filter_map(|l| l.href),
        );
        Ok(inc)
    }

    fn w3c(&self, raw: &RawValue) -> Result<Incoming, Problem> {
        #[derive(Deserialize)]
        struct W {
            id: Option<String>,
            #[serde(rename = "type", default)]
            kind: Option<Value>,
            #[serde(default)]
            motivation: Option<Value>,
            #[serde(default)]
            body: Option<Value>,
            #[serde(rename = "bodyValue", default)]
            body_value: Option<String>,
            #[serde(default)]
            target: Option<Value>,
            #[serde(default)]
            creator: Option<Value>,
            #[serde(default)]
            created: Option<String>,
            #[serde(default)]
            uri: Option<Value>,
        }
        let s = raw.get();
        let at = self.offset(s);
        if !s.starts_with('{') {
            return Err(self.problem(
                at,
                "not a W3C Web Annotation: expected an object".into(),
                "each item of an AnnotationPage is an Annotation object (items given by address are not fetched)",
            ));
        }
        let w: W = serde_json::from_str(s)
            .map_err(|e| self.serde(at, s, &e, Some("not a W3C Web Annotation")))?;
        if !has_type(&w.kind, "Annotation") || w.target.is_none() {
            let hint = if w.uri.is_some() {
                "this looks like a Hypothesis annotation: run `briefing import hypothesis FILE`"
            } else {
                "a Web Annotation has `\"type\": \"Annotation\"` and a `target`"
            };
            return Err(self.problem(
                at,
                "not a W3C Web Annotation: no `type` Annotation with a `target`".into(),
                hint,
            ));
        }
        let motivations: Vec<&str> = match &w.motivation {
            Some(Value::String(m)) => vec![m.as_str()],
            Some(Value::Array(v)) => v.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let tagging = motivations.contains(&"tagging");
        let mut inc = Incoming {
            at,
            id_hint: w.id.as_deref().and_then(id_from_anchor),
            origin: w.id,
            created: w.created,
            author: match &w.creator {
                Some(Value::String(c)) => Some(c.clone()),
                Some(Value::Object(o)) => o
                    .get("name")
                    .or_else(|| o.get("nickname"))
                    .or_else(|| o.get("id"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                _ => None,
            },
            ..Incoming::default()
        };
        let mut notes: Vec<String> = Vec::new();
        notes.extend(w.body_value);
        let bodies: Vec<&Value> = match &w.body {
            Some(Value::Array(v)) => v.iter().collect(),
            Some(b) => vec![b],
            None => Vec::new(),
        };
        for b in bodies {
            match b {
                // a body given by address: keep it as a link
                Value::String(iri) => notes.push(format!("<{iri}>")),
                Value::Object(o) => {
                    let value = o.get("value").and_then(Value::as_str);
                    let purpose = o.get("purpose").and_then(Value::as_str);
                    match (purpose, value) {
                        (Some("tagging"), Some(v)) => inc.tags.push(v.to_string()),
                        (None, Some(v)) if tagging => inc.tags.push(v.to_string()),
                        (Some("assessing"), Some(v)) if Status::parse(v.trim()).is_some() => {
                            inc.status = Status::parse(v.trim());
                        }
                        (_, Some(v)) => notes.push(v.to_string()),
                        (_, None) => {
                            if let Some(id) = o.get("id").and_then(Value::as_str) {
                                notes.push(format!("<{id}>"));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        inc.note = notes.join("\n\n");
        let targets: Vec<&Value> = match &w.target {
            Some(Value::Array(v)) => v.iter().collect(),
            Some(t) => vec![t],
            None => Vec::new(),
        };
        for t in targets {
            match t {
                Value::String(iri) => inc.sources.push(iri.clone()),
                Value::Object(o) => {
                    if let Some(src) = o.get("source").and_then(Value::as_str) {
                        inc.sources.push(src.to_string());
                    } else if let Some(id) = o.get("id").and_then(Value::as_str) {
                        inc.sources.push(id.to_string());
                    }
                    let sels: Vec<&Value> = match o.get("selector") {
                        Some(Value::Array(v)) => v.iter().collect(),
                        Some(s) => vec![s],
                        None => Vec::new(),
                    };
                    for sel in sels {
                        if inc.quote.is_none() {
                            inc.quote = quote_selector(sel);
                        }
                        note_unread(&mut inc, sel);
                    }
                }
                _ => {}
            }
        }
        if motivations.contains(&"replying") {
            inc.reply_to = inc.sources.first().cloned();
        }
        Ok(inc)
    }
}

/// Remember the first selector that gives no quote (its `type`), for an
/// annotation that ends up without one.
fn note_unread(inc: &mut Incoming, sel: &Value) {
    if inc.unread_selector.is_none() && quote_selector(sel).is_none() {
        let kind = sel
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("selector");
        inc.unread_selector = Some(kind.chars().filter(|c| !c.is_control()).take(60).collect());
    }
}

/// A `TextQuoteSelector`'s quote.
fn quote_selector(sel: &Value) -> Option<Quote> {
    let o = sel.as_object()?;
    if o.get("type").and_then(Value::as_str) != Some("TextQuoteSelector") {
        return None;
    }
    let get = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let exact = get("exact");
    (!exact.trim().is_empty()).then(|| Quote {
        exact,
        prefix: get("prefix"),
        suffix: get("suffix"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rd(t: &str, f: Format) -> Result<Vec<Incoming>, String> {
        read("in.json", &Arc::from(t), f).map_err(|p| p.headline())
    }

    proptest::proptest! {
        /// Whatever the file holds, reading it gives annotations or one
        /// problem inside the file, never a panic.
        #[test]
        fn any_text_reads_or_is_one_located_problem(
            t in r#"[\[\]{}":,0-9a-z \n\\é]{0,60}"#,
            w3c in proptest::bool::ANY,
        ) {
            let f = if w3c { Format::W3c } else { Format::Hypothesis };
            if let Err(p) = read("in.json", &Arc::from(t.as_str()), f) {
                proptest::prop_assert!(p.line >= 1 && p.headline().starts_with("in.json:"));
            }
        }

        /// Arbitrary JSON of the right shape with hostile strings reads.
        #[test]
        fn hostile_strings_read(exact in "\\PC{0,40}", text in "\\PC{0,40}") {
            let v = serde_json::json!([{"uri": "https://x.example/a", "text": text,
                "target": [{"source": "https://x.example/a",
                  "selector": [{"type": "TextQuoteSelector", "exact": exact}]}]}]);
            let got = read("in.json", &Arc::from(v.to_string()), Format::Hypothesis).unwrap();
            proptest::prop_assert_eq!(got[0].note.as_str(), text.as_str());
        }
    }

    #[test]
    fn reads_a_hypothesis_export() {
        let t = r#"{"export_date":"x","annotations":[
 {"id":"AbC_1","uri":"https://ex.org/a","text":"Note","tags":["Needs review"],
  "target":[{"source":"https://ex.org/a","selector":[{"type":"RangeSelector"},{"type":"TextQuoteSelector","exact":"the words","prefix":"before ","suffix":" after"}]}],
  "document":{"title":["T"],"link":[{"href":"https://ex.org/amp/a"}]}},
 {"id":"r1","uri":"https://ex.org/a","text":"I agree","references":["AbC_1"],"target":[{"source":"https://ex.org/a"}],"user":"acct:bob@hypothes.is"}]}"#;
        let v = rd(t, Format::Hypothesis).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].origin.as_deref(), Some("hypothesis:AbC_1"));
        assert_eq!(v[0].quote.as_ref().unwrap().exact, "the words");
        assert_eq!(v[0].quote.as_ref().unwrap().prefix, "before ");
        assert_eq!(
            v[0].sources,
            [
                "https://ex.org/a",
                "https://ex.org/a",
                "https://ex.org/amp/a"
            ]
        );
        assert_eq!(v[1].reply_to.as_deref(), Some("hypothesis:AbC_1"));
        assert_eq!(&t[v[1].at..v[1].at + 9], r#"{"id":"r1"#);
    }

    #[test]
    fn reads_a_w3c_collection() {
        let t = r#"{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection","first":{"type":"AnnotationPage","items":[
 {"id":"https://b.example/articles/x/#a-k","type":"Annotation","motivation":"commenting",
  "body":[{"type":"TextualBody","value":"Note *md*","purpose":"commenting"},{"type":"TextualBody","value":"claim","purpose":"tagging"},{"type":"TextualBody","value":"disputed","purpose":"assessing"}],
  "target":[{"source":"https://ex.org/a","selector":{"type":"TextQuoteSelector","exact":"q"}}]},
 {"id":"urn:r","type":"Annotation","motivation":"replying","bodyValue":"yes","target":"https://b.example/articles/x/#a-k"}]}}"#;
        let v = rd(t, Format::W3c).unwrap();
        assert_eq!(v[0].id_hint.as_deref(), Some("k"));
        assert_eq!(v[0].note, "Note *md*");
        assert_eq!(v[0].tags, ["claim"]);
        assert_eq!(v[0].status, Some(Status::Disputed));
        assert_eq!(
            v[1].reply_to.as_deref(),
            Some("https://b.example/articles/x/#a-k")
        );
        assert_eq!(v[1].note, "yes");
    }

    #[test]
    fn malformed_and_foreign_files_are_one_error_with_a_position() {
        assert_eq!(
            rd("[\n {\"uri\": \"x\",}\n]", Format::Hypothesis).unwrap_err(),
            "in.json:2:14: error: not valid JSON: key must be a string"
        );
        assert_eq!(
            rd("", Format::W3c).unwrap_err(),
            "in.json:1:1: error: not valid JSON: EOF while parsing a value"
        );
        let w3c =
            r#"{"type":"AnnotationPage","items":[{"type":"Annotation","target":"https://x"}]}"#;
        let e = rd(w3c, Format::Hypothesis).unwrap_err();
        assert_eq!(
            e,
            "in.json:1:1: error: not a Hypothesis export: no `annotations` or `rows` list"
        );
        let h = "[\n  {\"uri\":\"https://x\",\"text\":\"t\"}]";
        assert_eq!(
            rd(h, Format::W3c).unwrap_err(),
            "in.json:2:3: error: not a W3C Web Annotation: no `type` Annotation with a `target`"
        );
        let bad_type = "{\"annotations\":[\n{\"uri\":\"https://x\",\"tags\":\"a\"}]}";
        assert_eq!(
            rd(bad_type, Format::Hypothesis).unwrap_err(),
            "in.json:2:29: error: not a Hypothesis annotation: invalid type: string \"a\", expected a sequence"
        );
        assert!(rd("42", Format::W3c).unwrap_err().contains("single value"));
    }
}
