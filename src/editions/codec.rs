//! An edition's file: gzip (no name, no time in its header) around JSON
//! `{"format": "briefing-edition", "version": N, "edition": {…}}`. Gzip's
//! CRC-32 and length catch a damaged or truncated file; the format and
//! version say whose file it is and which reader it needs. `zcat
//! editions/x.json.gz | jq` reads one.
//!
//! Versions: [`VERSION`] is what this build writes; every version from 1
//! up to it reads (a reader per version, each turning its JSON into the
//! current [`Edition`]). A newer version is refused with a message saying
//! so, never guessed at.

use super::Edition;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// What an edition's file name ends with.
pub const EXTENSION: &str = ".json.gz";
/// The `format` of an edition file.
pub const FORMAT: &str = "briefing-edition";
/// The format version this build writes.
pub const VERSION: u32 = 1;
/// The most an edition may hold once decompressed (a bound against a
/// damaged or hostile file that inflates without end).
pub const MAX_INFLATED: u64 = 4 << 30;

/// Why an edition file did not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("this is not an edition file (it is not gzip data)")]
    NotGzip,
    #[error("this edition file is damaged: {0}")]
    Damaged(String),
    #[error("this is not an edition file (its format is `{0}`, not `{FORMAT}`)")]
    Foreign(String),
    #[error(
        "this edition was recorded by a newer version of briefing (edition format {0}; this one reads up to {VERSION})"
    )]
    Newer(u32),
}

impl DecodeError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            DecodeError::NotGzip | DecodeError::Foreign(_) => {
                "move the file out of `editions/`: that folder holds only the editions `briefing edition` records"
            }
            DecodeError::Damaged(_) => {
                "restore the file from version control (`git checkout -- <file>`) or a backup, or move it out of `editions/`; briefing never rewrites an edition"
            }
            DecodeError::Newer(_) => {
                "update briefing to read it (this version leaves the file as it is)"
            }
        }
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    edition: &'a Edition,
}

#[derive(Deserialize)]
struct FileIn<'a> {
    format: String,
    version: u32,
    #[serde(borrow)]
    edition: Option<&'a serde_json::value::RawValue>,
}

/// The bytes of an edition's file: the same edition always gives the same
/// bytes.
pub fn encode(edition: &Edition) -> Vec<u8> {
    let json = serde_json::to_vec(&FileOut {
        format: FORMAT,
        version: VERSION,
        edition,
    })
    .expect("an edition serialises (strings, numbers and lists only)");
    // (no file name, modification time 0, "unknown" system: the header
    // says nothing about where or when)
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(
            Vec::with_capacity(json.len() / 3),
            flate2::Compression::default(),
        );
    gz.write_all(&json).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// The edition in a file's bytes.
pub fn decode(bytes: &[u8]) -> Result<Edition, DecodeError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(DecodeError::NotGzip);
    }
    let mut json = Vec::with_capacity(bytes.len().saturating_mul(3));
    let mut gz = flate2::read::GzDecoder::new(bytes).take(MAX_INFLATED + 1);
    gz.read_to_end(&mut json).map_err(|e| {
        DecodeError::Damaged(match e.kind() {
            std::io::ErrorKind::UnexpectedEof => "it ends too early (truncated)".to_string(),
            _ => format!("its compressed data does not read back ({e})"),
        })
    })?;
    if json.len() as u64 > MAX_INFLATED {
        return Err(DecodeError::Damaged(format!(
            "it inflates to more than {} GiB",
            MAX_INFLATED >> 30
        )));
    }
    let text = std::str::from_utf8(&json)
        .map_err(|_| DecodeError::Damaged("its content is not UTF-8 text".to_string()))?;
    let file: FileIn = serde_json::from_str(text)
        .map_err(|e| DecodeError::Damaged(format!("its content is no edition ({})", e)))?;
    if file.format != FORMAT {
        return Err(DecodeError::Foreign(crate::diag::fit(&file.format, 60)));
    }
    let raw = file
        .edition
        .ok_or_else(|| DecodeError::Damaged("it has no `edition`".to_string()))?;
    match file.version {
        // version 1: the current `Edition` (fields added since have
        // defaults, so older files of this version read)
        1 => serde_json::from_str(raw.get())
            .map_err(|e| DecodeError::Damaged(format!("its edition does not read ({})", e))),
        0 => Err(DecodeError::Damaged("its format version is 0".to_string())),
        v => Err(DecodeError::Newer(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editions::{AnnotationRecord, ArticleRecord, ClaimRecord, EntityRecord};
    use proptest::prelude::*;

    fn sample() -> Edition {
        Edition {
            articles: vec![ArticleRecord {
                slug: "a".into(),
                url: Some("https://news.example/a".into()),
                seed_sha256: Some("ab".repeat(32)),
                title: "A “title”".into(),
                date: Some("2026-12-07T00:00:00".into()),
                text: "One paragraph.\n\nTwo.".into(),
            }],
            annotations: vec![AnnotationRecord {
                article: "a".into(),
                id: "p1".into(),
                quote: "One".into(),
                status: Some("disputed".into()),
                credibility: Some(3),
                grade: Some("B3".into()),
                note: "0123456789abcdef".into(),
                start: 0,
                paragraph: 0,
                method: "exact".into(),
            }],
            claims: vec![ClaimRecord {
                key: "p1".into(),
                statuses: vec!["disputed".into()],
                grades: vec!["B3".into()],
            }],
            entities: vec![EntityRecord {
                slug: "x".into(),
                name: "X".into(),
            }],
        }
    }

    #[test]
    fn an_edition_reads_back_and_encodes_the_same_each_time() {
        let e = sample();
        let bytes = encode(&e);
        assert_eq!(bytes, encode(&e));
        assert_eq!(decode(&bytes).unwrap(), e);
    }

    /// An edition file of format version 1, as this version wrote it: it
    /// must read in every later version.
    #[test]
    fn a_version_1_file_still_reads() {
        let json = br#"{"format":"briefing-edition","version":1,"edition":{"articles":[{"slug":"a","title":"A","text":"x"}],"annotations":[],"claims":[],"entities":[]}}"#;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(json).unwrap();
        let e = decode(&gz.finish().unwrap()).unwrap();
        assert_eq!(e.articles[0].slug, "a");
        assert_eq!(e.articles[0].url, None);
    }

    #[test]
    fn damaged_foreign_and_newer_files_are_errors() {
        let bytes = encode(&sample());
        assert_eq!(decode(b"hello"), Err(DecodeError::NotGzip));
        assert_eq!(decode(b""), Err(DecodeError::NotGzip));
        for cut in [2, 10, bytes.len() / 2, bytes.len() - 4, bytes.len() - 1] {
            assert!(
                matches!(decode(&bytes[..cut]), Err(DecodeError::Damaged(_))),
                "{cut}: {:?}",
                decode(&bytes[..cut])
            );
        }
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x55;
        assert!(matches!(decode(&flipped), Err(DecodeError::Damaged(_))));
        let gz = |json: &str| {
            let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            g.write_all(json.as_bytes()).unwrap();
            g.finish().unwrap()
        };
        assert_eq!(
            decode(&gz(r#"{"format":"other","version":1}"#)),
            Err(DecodeError::Foreign("other".into()))
        );
        assert_eq!(
            decode(&gz(
                r#"{"format":"briefing-edition","version":7,"edition":{}}"#
            )),
            Err(DecodeError::Newer(7))
        );
        assert!(matches!(
            decode(&gz(r#"[1,2]"#)),
            Err(DecodeError::Damaged(_))
        ));
        assert!(matches!(
            decode(&gz(
                r#"{"format":"briefing-edition","version":1,"edition":{"articles":7}}"#
            )),
            Err(DecodeError::Damaged(_))
        ));
    }

    fn record() -> impl Strategy<Value = Edition> {
        let text = "\\PC{0,40}";
        let article = (
            "[a-z0-9-]{1,12}",
            proptest::option::of(text),
            proptest::option::of("[0-9a-f]{64}"),
            text,
            proptest::option::of("20[0-9]{2}-[01][0-9]-[0-3][0-9]T00:00:00"),
            "\\PC{0,200}",
        )
            .prop_map(
                |(slug, url, seed_sha256, title, date, text)| ArticleRecord {
                    slug,
                    url,
                    seed_sha256,
                    title,
                    date,
                    text: text.into(),
                },
            );
        let annotation = (
            "[a-z0-9-]{1,12}",
            "[a-z0-9-]{1,12}",
            text,
            proptest::option::of("[a-z]{1,10}"),
            proptest::option::of(1u8..=6),
            proptest::option::of("[A-F][1-6]"),
            "[0-9a-f]{16}",
            (any::<usize>(), any::<usize>()),
            "[a-z]{1,11}",
        )
            .prop_map(
                |(
                    article,
                    id,
                    quote,
                    status,
                    credibility,
                    grade,
                    note,
                    (start, paragraph),
                    method,
                )| {
                    AnnotationRecord {
                        paragraph,
                        article,
                        id,
                        quote,
                        status,
                        credibility,
                        grade,
                        note,
                        start,
                        method,
                    }
                },
            );
        let claim = (
            text,
            proptest::collection::vec("[a-z]{1,10}", 0..3),
            proptest::collection::vec("[A-F][1-6]", 0..3),
        )
            .prop_map(|(key, statuses, grades)| ClaimRecord {
                key,
                statuses,
                grades,
            });
        let entity = (text, text).prop_map(|(slug, name)| EntityRecord { slug, name });
        (
            proptest::collection::vec(article, 0..6),
            proptest::collection::vec(annotation, 0..6),
            proptest::collection::vec(claim, 0..4),
            proptest::collection::vec(entity, 0..4),
        )
            .prop_map(|(articles, annotations, claims, entities)| Edition {
                articles,
                annotations,
                claims,
                entities,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::testing::cases(256)))]

        /// Whatever an edition holds, recording it and reading it back
        /// gives it again, and recording it twice gives the same bytes.
        #[test]
        fn an_edition_recorded_and_read_back_compares_equal(e in record()) {
            let bytes = encode(&e);
            prop_assert_eq!(&bytes, &encode(&e));
            prop_assert_eq!(decode(&bytes).unwrap(), e);
        }

        /// A byte changed anywhere reads as an error or as the edition
        /// (a byte of the header's unused fields), never a panic nor a
        /// different edition passing for it.
        #[test]
        fn a_damaged_edition_never_passes_for_another(
            e in record(),
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let mut bytes = encode(&e);
            let i = at.index(bytes.len());
            bytes[i] ^= flip;
            if let Ok(read) = decode(&bytes) {
                prop_assert_eq!(read, e);
            }
        }

        /// Any bytes after the gzip magic: an error or an edition, never a
        /// panic.
        #[test]
        fn any_bytes_decode_without_panic(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut bytes = vec![0x1f, 0x8b];
            bytes.extend(tail);
            let _ = decode(&bytes);
        }

        /// A file cut short anywhere is an error, never a panic.
        #[test]
        fn a_truncated_edition_is_an_error(e in record(), cut in any::<prop::sample::Index>()) {
            let bytes = encode(&e);
            let at = cut.index(bytes.len());
            prop_assert!(decode(&bytes[..at]).is_err());
        }
    }
}
