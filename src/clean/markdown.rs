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
        let mut chars = line.char_indices().peekable();
        // block-level starts
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
                // escape the dot/paren after the number: "1\. "
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
