//! Escaping scraped text so it renders literally as Markdown.

/// Escape a paragraph of plain text so that pulldown-cmark renders exactly
/// that text: inline markup characters are backslash-escaped, and a line
/// that would start a block construct (heading, list, quote, rule) is
/// neutralised. Typographic characters are left alone.
pub fn escape_paragraph(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("  \n");
        }
        let line = line.trim();
        // block-level starts
        let needs_block_escape = line.starts_with('#')
            || line.starts_with('>')
            || line.starts_with('=')
            || ((line.starts_with('-') || line.starts_with('+') || line.starts_with('*'))
                && (line.len() == 1
                    || line[1..].starts_with(' ')
                    || line.chars().all(|c| c == '-' || c == ' ')))
            || ordered_list_start(line);
        // the rest of the line, after a neutralised block start
        let mut rest = line;
        if needs_block_escape {
            if ordered_list_start(line) {
                // escape the dot/paren after the number: "1\. "
                let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
                out.push_str(&line[..digits]);
                out.push('\\');
                rest = &line[digits..];
            } else if let Some(c) = line.chars().next() {
                out.push('\\');
                out.push(c);
                rest = &line[c.len_utf8()..];
            }
        }
        // Copy the text between markup characters in one piece (they are
        // all ASCII, so their byte positions are character boundaries).
        while let Some(i) = rest.bytes().position(is_inline_markup) {
            out.push_str(&rest[..i]);
            out.push('\\');
            out.push(char::from(rest.as_bytes()[i]));
            rest = &rest[i + 1..];
        }
        out.push_str(rest);
    }
    out
}

/// Characters that are backslash-escaped anywhere in a line.
fn is_inline_markup(b: u8) -> bool {
    matches!(
        b,
        b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'&' | b'|' | b'~'
    )
}

fn ordered_list_start(line: &str) -> bool {
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && digits < 10
        && matches!(line[digits..].chars().next(), Some('.') | Some(')'))
        && matches!(line[digits + 1..].chars().next(), None | Some(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
        html
    }

    #[test]
    fn plain_prose_is_unchanged() {
        let p = "Mr Zhuravlyov told the Russian news website Gazeta.Ru, “hazel tree”.";
        assert_eq!(escape_paragraph(p), p);
    }

    /// `escape_paragraph` as it was: a character at a time.
    fn escape_paragraph_reference(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push_str("  \n");
            }
            let line = line.trim();
            let mut chars = line.char_indices().peekable();
            let needs_block_escape = line.starts_with('#')
                || line.starts_with('>')
                || line.starts_with('=')
                || ((line.starts_with('-') || line.starts_with('+') || line.starts_with('*'))
                    && (line.len() == 1
                        || line[1..].starts_with(' ')
                        || line.chars().all(|c| c == '-' || c == ' ')))
                || ordered_list_start(line);
            if needs_block_escape {
                if ordered_list_start(line) {
                    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
                    out.push_str(&line[..digits]);
                    out.push('\\');
                    for _ in 0..digits {
                        chars.next();
                    }
                } else if let Some((_, c)) = chars.next() {
                    out.push('\\');
                    out.push(c);
                }
            }
            for (_, c) in chars {
                match c {
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' => {
                        out.push('\\');
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(5_000)))]
        #[test]
        fn escape_paragraph_is_unchanged(
            text in "(?s)([a-zé日 ]{1,4}|[-#>=+*0-9.)\\\\`_\\[\\]<&|~]|\n|  |1\\. |- ){0,16}"
        ) {
            proptest::prop_assert_eq!(escape_paragraph(&text), escape_paragraph_reference(&text));
        }
    }

    #[test]
    fn markup_renders_literally() {
        for text in [
            "# not a heading",
            "1. not a list",
            "2024. A year",
            "- not a bullet",
            "> not a quote",
            "<script>alert(1)</script>",
            "a *b* _c_ `d` [e](f) &amp; | g ~~h~~",
            "---",
        ] {
            let html = render(&escape_paragraph(text));
            let expected = format!("<p>{}</p>\n", html_escape::encode_text(text));
            assert_eq!(html, expected, "for {text:?}");
        }
    }
}
