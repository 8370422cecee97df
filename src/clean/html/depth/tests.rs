use super::*;

fn parsed_depth(html: &str) -> usize {
    max_depth(&Document::from(html).root())
}

#[test]
fn ordinary_pages_pass_unchanged() {
    for page in [
        include_str!("../../../../tests/fixtures/cleaning-html/article.html"),
        include_str!("../../../../tests/fixtures/cleaning-html/hostile.html"),
        include_str!("../../../../tests/fixtures/cleaning-html/nav-only.html"),
        include_str!("../../../../tests/fixtures/cleaning-html/not-found.html"),
    ] {
        let l = limit(page, Mode::Normal);
        assert!(matches!(l.html, Cow::Borrowed(_)));
        assert_eq!(l.capped, None);
    }
}

/// Sloppy markup the parser closes by itself is not counted as nesting.
#[test]
fn implied_end_tags_do_not_count() {
    let mut page = String::from("<html><body>");
    for i in 0..2000 {
        page.push_str(&format!(
            "<p>para {i}<br><img src=x.png><ul><li>item<li>item</ul>\
             <dl><dt>term<dd>def<dt>term<dd>def</dl><h2>head<h3>sub</h3>\
             <table><tr><td>a<td>b<tr><td>c</table><select><option>o<option>p</select>\
             <svg><path d='M0'/><circle r=1 /></svg><input type=text><hr>\
             <!-- <div><div> --><script>var s = '<div><div><div>';</script>\
             <style>p > a {{}}</style><textarea><div></textarea><title><b></title>\
             <a href=1>one<a href=2>two</a><b>bold</b><i>it<b>both</i></b>\
             <span title='a > b'>x</span><div data-x=\"<div>\">y</div>"
        ));
    }
    let l = limit(&page, Mode::Normal);
    assert_eq!(l.capped, None);
    assert!(matches!(l.html, Cow::Borrowed(_)));
    assert!(parsed_depth(&page) < 20);
}

#[test]
fn deep_divs_are_unwrapped_and_their_text_kept() {
    let n = 100_000;
    let page = format!(
        "<html><body>\n{}<p>The deepest text.</p>{}\n<p>After.</p></body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let l = limit(&page, Mode::Normal);
    let c = l.capped.clone().unwrap();
    // the divs and the `<p>` below them
    assert_eq!(c.deep, n - MAX_DEPTH + 1);
    assert_eq!(c.line, 2);
    assert!(c.depth >= n, "{c:?}");
    let doc = Document::from(l.html.as_ref());
    assert!(max_depth(&doc.root()) <= MAX_DEPTH + 8);
    let text = doc.select("body").text();
    assert!(text.contains("The deepest text."));
    assert!(text.contains("After."));
    // the dropped end tags went with their start tags: "After." is not
    // inside the divs
    let after = doc.select("p").nodes().last().unwrap().parent().unwrap();
    assert_eq!(after.node_name().unwrap().as_ref(), "body");
}

/// Removing a deep `<table>` removes its rows and cells too: kept, the
/// parser would add them to the nearest table left, and the nested tables
/// became one table of 100,000 rows beside each other (small depth, but a
/// tree as big as the page, which the readability pass walks slowly).
#[test]
fn deep_nested_tables_are_unwrapped_with_their_rows_and_cells() {
    let n = 10_000;
    let page = format!(
        "<html><body>\n{}<p>The deepest text.</p></body></html>",
        "<table><tr><td>".repeat(n)
    );
    let l = limit(&page, Mode::Normal);
    let c = l.capped.clone().unwrap();
    assert_eq!(c.line, 2);
    assert!(c.depth >= 3 * (n - MAX_DEPTH), "{c:?}");
    let doc = Document::from(l.html.as_ref());
    // table, (implied) tbody, tr, td per kept level
    let elements = doc.select("*").length();
    assert!(elements <= MAX_DEPTH * 4 / 3 + 8, "{elements} elements");
    assert!(doc.select("tr").length() <= MAX_DEPTH / 3 + 1);
    assert!(max_depth(&doc.root()) <= MAX_DEPTH * 4 / 3 + 8);
    assert!(doc.select("body").text().contains("The deepest text."));
    assert!(parse(&page).is_ok());
}

/// Once a removed table is closed, rows go to the table that holds it.
#[test]
fn rows_after_a_removed_table_stay() {
    let page = "<table><tr><td><table><tr><td>deep</td></tr></table>\
                <tr><td>next</td></tr></table>";
    let l = limit_to(page, Mode::Normal, 3, MAX_FORMATTING);
    assert_eq!(l.capped.as_ref().map(|c| c.deep), Some(3));
    assert_eq!(l.html, "<table><tr><td>deep<tr><td>next</td></tr></table>");
    let doc = Document::from(l.html.as_ref());
    assert_eq!(doc.select("tr").length(), 2);
    assert_eq!(doc.select("table").length(), 1);
}

#[test]
fn unclosed_formatting_tags_are_capped() {
    let n = 100_000;
    let inner: String = (0..n).map(|i| format!("<b>w{i} ")).collect();
    let page = format!("<body><p>{inner}</p><p>next</p><p>and next</p></body>");
    let l = limit(&page, Mode::Normal);
    let c = l.capped.unwrap();
    assert_eq!(c.formatting, n - MAX_FORMATTING);
    assert!(parsed_depth(&l.html) <= MAX_FORMATTING + 8);
    let doc = Document::from(l.html.as_ref());
    let text = doc.select("body").text();
    assert!(text.contains("w0 ") && text.contains("w99999 ") && text.contains("and next"));

    let fonts: String = (0..n)
        .map(|i| format!("<font color=\"#{i:06x}\">"))
        .collect();
    let page = format!("<body>{fonts}<p>a</p><p>b</p></body>");
    let l = limit(&page, Mode::Normal);
    assert_eq!(l.capped.unwrap().formatting, n - MAX_FORMATTING);
}

#[test]
fn removed_tags_keep_their_line_breaks() {
    let page = format!(
        "<body>\n{}<div\nclass=\"x\"\n>text\n</div>\n<p>last</p>",
        "<div>".repeat(MAX_DEPTH)
    );
    let l = limit(&page, Mode::Normal);
    assert_eq!(l.capped.as_ref().unwrap().line, 2);
    assert_eq!(l.html.matches('\n').count(), page.matches('\n').count());
    assert!(!l.html.contains("class=\"x\""));
}

#[test]
fn raw_text_is_never_removed() {
    let page = format!(
        "<body>{}<script>if (a < b) {{ x = '<div>'; }}</script><style>a{{}}</style><p>end",
        "<div>".repeat(MAX_DEPTH + 10)
    );
    let l = limit(&page, Mode::Normal);
    assert!(
        l.html
            .contains("<script>if (a < b) { x = '<div>'; }</script>")
    );
    assert!(l.html.contains("<style>a{}</style>"));
}

#[test]
fn breaking_out_of_svg_ends_its_self_closing_rule() {
    // `<p>` ends the svg: the `<div/>` after it are open divs, not empty
    // foreign elements
    let page = format!("<body><svg><p>{}x", "<div/>".repeat(10_000));
    let l = limit(&page, Mode::Normal);
    assert!(l.capped.is_some());
    assert!(parsed_depth(&l.html) <= MAX_DEPTH + 8);
}

#[test]
fn a_page_the_model_cannot_follow_is_bounded_in_strict_mode() {
    // whatever the page, strict mode bounds the parsed depth
    let soup = "<table><td><div><b><p><a><li><span><svg><g><font><select><option><tr>";
    let page = soup.repeat(20_000);
    for mode in [Mode::Normal, Mode::Strict] {
        let l = limit(&page, mode);
        let d = parsed_depth(&l.html);
        assert!(d <= MAX_TREE_DEPTH, "{mode:?}: {d}");
    }
    let (_, doc, warnings) = parse(&page).unwrap();
    assert!(max_depth(&doc.root()) <= MAX_TREE_DEPTH);
    assert_eq!(warnings.len(), 1);
}

#[test]
fn the_warning_says_how_deep_and_what_was_done() {
    let page = format!("<body>\n\n{}text", "<div>".repeat(100_000));
    let (_, _, w) = parse(&page).unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].line, 3);
    assert_eq!(
        w[0].message,
        "elements nested 100,000 deep; 99,744 tags nested below level 256 were ignored (their text is kept)"
    );
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1000), "1,000");
    assert_eq!(thousands(1234567), "1,234,567");
}

#[test]
fn max_depth_counts_levels_without_recursion() {
    assert_eq!(parsed_depth(""), 2); // html > head, body
    assert_eq!(parsed_depth("<p><b>x</b></p>"), 5); // html > body > p > b > text
    // a tree far deeper than any parse (html5ever itself is quadratic in
    // the depth), made node by node
    let doc = Document::from("");
    let mut node = doc.select("body").nodes()[0];
    for _ in 0..200_000 {
        let child = doc.tree.new_element("div");
        node.append_child(&child);
        node = child;
    }
    assert_eq!(max_depth(&doc.root()), 200_002);
}

/// Tags for generated soups: every kind the model treats differently.
/// (Not `<![CDATA[…]]>`: its text is text inside `<svg>` and a comment
/// outside, so removing an `<svg>` tag loses it.)
const TAGS: &[&str] = &[
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<a href=x>",
    "</a>",
    "<font color=red>",
    "</font>",
    "<span>",
    "</span>",
    "<li>",
    "</li>",
    "<ul>",
    "</ul>",
    "<dd>",
    "<dt>",
    "</dl>",
    "<h2>",
    "</h2>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<th>",
    "<tbody>",
    "<caption>",
    "<button>",
    "</button>",
    "<svg>",
    "</svg>",
    "<path/>",
    "<foreignObject>",
    "<math>",
    "<mi>",
    "<br>",
    "<br/>",
    "<img>",
    "<hr>",
    "<nobr>",
    "<em>",
    "</em>",
    "<strong>",
    "</strong>",
    "<object>",
    "</object>",
    "<marquee>",
    "<applet>",
    "<section>",
    "</section>",
    "<option>",
    "<optgroup>",
    "<blockquote>",
    "</blockquote>",
    "<custom-el>",
    "</custom-el>",
    "<div/>",
    "<b/>",
    "text ",
    "more text ",
    "<!-- c -->",
    "<script>s</script>",
    "</x>",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(300)))]

    /// With small bounds, random tag soup never parses deeper than the
    /// strict model allows, and no text is lost.
    #[test]
    fn strict_mode_bounds_the_parsed_depth(
        picks in proptest::collection::vec(0..TAGS.len(), 0..400),
    ) {
        let page: String = picks.iter().map(|&i| TAGS[i]).collect();
        let (max_depth_cap, max_formatting) = (6, 3);
        let l = limit_to(&page, Mode::Strict, max_depth_cap, max_formatting);
        let d = parsed_depth(&l.html);
        // html, body, implied tbody/tr per table level, reconstructed
        // formatting elements
        proptest::prop_assert!(
            d <= 3 * max_depth_cap + max_formatting + 4,
            "depth {} for {:?} -> {:?}", d, page, l.html
        );
        let letters = |s: &str| {
            let doc = Document::from(s);
            let mut v: Vec<char> = doc.root().text().chars().filter(|c| c.is_alphanumeric()).collect();
            v.sort_unstable();
            v
        };
        proptest::prop_assert_eq!(letters(&page), letters(&l.html));
    }

    /// The normal model, which follows the parser's implied end tags,
    /// bounds random soup as well as the strict one.
    #[test]
    fn normal_mode_bounds_ordinary_soup(
        picks in proptest::collection::vec(0..TAGS.len(), 0..400),
    ) {
        let page: String = picks.iter().map(|&i| TAGS[i]).collect();
        let l = limit_to(&page, Mode::Normal, 6, 3);
        let d = parsed_depth(&l.html);
        proptest::prop_assert!(d <= 3 * 6 + 3 + 4, "depth {} for {:?} -> {:?}", d, page, l.html);
        let letters = |s: &str| {
            let doc = Document::from(s);
            let mut v: Vec<char> = doc.root().text().chars().filter(|c| c.is_alphanumeric()).collect();
            v.sort_unstable();
            v
        };
        proptest::prop_assert_eq!(letters(&page), letters(&l.html));
    }
}
