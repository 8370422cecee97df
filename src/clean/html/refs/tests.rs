use super::*;
use std::fmt::Write;

/// Everything about a tree the cleaner could read: each node's kind,
/// namespace, name, attributes (in order) and text, in document order,
/// with its depth; template contents too; and the quirks mode.
fn dump(doc: &Document) -> String {
    let mut out = format!("{:?}\n", doc.quirks_mode.get());
    let mut roots = vec![(doc.root(), 0usize)];
    while let Some((root, base)) = roots.pop() {
        let mut stack = vec![(root, base)];
        while let Some((node, depth)) = stack.pop() {
            let pad = " ".repeat(depth);
            node.query(|n| match &n.data {
                NodeData::Text { contents } => writeln!(out, "{pad}#text {:?}", &**contents),
                NodeData::Comment { contents } => writeln!(out, "{pad}#comment {:?}", &**contents),
                NodeData::Element(e) => {
                    if let Some(t) = e.template_contents {
                        roots.push((NodeRef::new(t, node.tree), depth + 1));
                    }
                    let attrs: Vec<String> = e
                        .attrs
                        .iter()
                        .map(|a| format!("{}:{}={:?}", &*a.name.ns, &*a.name.local, &*a.value))
                        .collect();
                    writeln!(out, "{pad}<{} {}> {attrs:?}", &*e.name.ns, &*e.name.local)
                }
                NodeData::Doctype {
                    name,
                    public_id,
                    system_id,
                } => writeln!(
                    out,
                    "{pad}#doctype {:?} {:?} {:?}",
                    &**name, &**public_id, &**system_id
                ),
                other => writeln!(out, "{pad}{other:?}"),
            })
            .expect("a node")
            .expect("writing to a String");
            let children: Vec<_> = node.children_it(true).collect();
            stack.extend(children.into_iter().map(|c| (c, depth + 1)));
        }
    }
    out
}

/// The page parsed with its references swapped (whatever their number),
/// when [`parse_swapped`] takes it.
fn swapped(html: &str) -> Option<String> {
    parse_swapped(html).map(|d| dump(&d))
}

fn plain(html: &str) -> String {
    dump(&Document::from(html))
}

/// Pages that put references in every place the parser treats apart.
const PAGES: &[&str] = &[
    "<p>Fish &amp; chips &lt;b&gt; &quot;hot&quot; &nbsp;&#39;n&#39; &amp;amp; &ampx &amp</p>",
    "<!DOCTYPE html><html><head><title>A &amp; B &lt;/title&gt;</title></head><body>x</body></html>",
    "<a href='?a=1&amp;b=2&ampc=3&amp=4' title=\"&quot;q&quot;\" data-x=&lt;&gt;>link &amp; more</a>",
    "<script>if (a &amp;&amp; b &lt; c) x = '&nbsp;';</script><style>a[x='&amp;']{}</style>",
    "<xmp>&amp; stays</xmp><iframe>&lt;p&gt;</iframe><noembed>&amp;</noembed><noframes>&quot;</noframes>",
    "<noscript>&amp; decoded (scripting is off)</noscript><textarea>&amp;&lt;</textarea>",
    "<!-- a &amp; b --><p>x</p><!-- &lt; --><?pi &amp; ?></p></&amp;><! &amp; >",
    "<table>&amp;<tr>&nbsp;<td>&amp;</td></tr>&quot; &#39;</table>",
    "<table><tr><td>x</td></tr>&nbsp; </table><select>&amp;<option>&lt;</select>",
    "<svg><style>&amp;</style><script>&lt;</script><title>&amp;</title><text>&amp;</text></svg>",
    "<math><mi><script>&amp;</script>&amp;</mi><annotation-xml encoding='text/html'><style>&amp;</style></annotation-xml></math>",
    "<template><p>&amp;</p><script>&amp;</script></template><p>after &amp;</p>",
    "<b>one &amp;<i>two &lt;</b>three &gt;</i> four &amp;",
    "&amp;<html>&lt;<head>&nbsp;</head>&quot;<body>&#39;</body>&amp;</html>&amp;",
    "<frameset>&amp;<frame>&nbsp;</frameset>&lt; ",
    "<pre>&amp;\n</pre><pre>\n&amp;</pre><listing>&lt;</listing>",
    "<p>&notin&amp; &not&amp; &#12&amp; &#x&amp; &&amp; &#&amp; &am&amp; &amp&amp;</p>",
    "<p a='&notin&amp;' b='&not&amp;' c='&amp&amp;' d='&amp=&amp;'>x</p>",
    "<p>&AMP; &LT; &amp;lt; &&lt;</p><p>\u{e000}\u{e001} private use</p>",
    "<p>&amp;</p><script>var s = '</scr&amp;ipt>'; </script>&amp;<style></st&amp;yle></style>",
    "<p><&amp;> </&amp;> <a&amp;b> x</p>",
    "<p>&nbsp;&amp;</p>\r\n<p>\0&amp;\0</p>",
];

#[test]
fn swapping_references_gives_the_same_tree() {
    for page in PAGES {
        match swapped(page) {
            Some(got) => assert_eq!(got, plain(page), "{page}"),
            // (only the tag names with a reference in them)
            None => assert!(page.contains("<a&amp;b>"), "not swapped: {page}"),
        }
    }
}

#[test]
fn raw_text_keeps_its_references() {
    let d = parse_swapped("<script>a &amp;&amp; b</script><p>&amp;</p><!--&lt;-->").unwrap();
    let d = dump(&d);
    assert!(d.contains("#text \"a &amp;&amp; b\""), "{d}");
    assert!(d.contains("#text \"&\""), "{d}");
    assert!(d.contains("#comment \"&lt;\""), "{d}");
}

#[test]
fn pages_it_cannot_restore_are_parsed_as_they_are() {
    for page in [
        "<svg><![CDATA[a &amp; b]]></svg>",
        "<svg><text>&amp;</text><![CDATA[&amp;]]></svg>",
        "<math><mi><![CDATA[&lt;]]></mi></math>",
        "<table><plaintext>&amp;",
        "<p>x</p><PlainText>&amp;",
        "<a&amp;b>x</a&amp;b>",
        "<p x&amp;y=1>x</p>",
        "<!DOCTYPE html&amp;>",
    ] {
        assert!(swapped(page).is_none(), "{page}");
        // (with enough references to take the swapping path)
        let big = format!("{page}{}", "&amp;".repeat(MIN_REFS));
        let text = StrTendril::from(big.as_str());
        assert_eq!(dump(&parse(&text)), plain(&big), "{page}");
    }
}

#[test]
fn cdata_outside_foreign_content_is_no_obstacle() {
    for page in [
        "<script>//<![CDATA[\nif (a &amp;&amp; b) {}\n//]]></script><p>&amp;</p>",
        "<p><![CDATA[&amp;]]> &amp;</p><svg><text>x</text></svg>",
        "<svg><![CDATA[x]]><text>y</text></svg><p>&lt;</p>",
    ] {
        assert_eq!(
            swapped(page).as_deref(),
            Some(plain(page).as_str()),
            "{page}"
        );
    }
}

#[test]
fn placeholders_are_characters_the_page_does_not_hold() {
    assert_eq!(free_placeholders("plain"), Some(0xE000));
    assert_eq!(free_placeholders("icon \u{e003}"), Some(0xE006));
    let every: String = (0xE000..=0xEFFF).filter_map(char::from_u32).collect();
    assert_eq!(free_placeholders(&every), None);
    let page = format!("<p>\u{e000}\u{e005}&amp;</p>{}", "&lt;".repeat(MIN_REFS));
    let text = StrTendril::from(page.as_str());
    assert_eq!(dump(&parse(&text)), plain(&page));
}

#[test]
fn counting_and_swapping() {
    assert_eq!(count("&amp;&amp &lt;&LT;&#39;&#x27;&nbsp;&quot;&gt;"), 6);
    assert_eq!(swap("a&amp;b&lt&lt;", 0xE000), "a\u{e000}b&lt\u{e001}");
    assert_eq!(
        put_back("a\u{e000}b\u{e004}\u{e006}", 0xE000, true),
        Some("a&b\u{a0}\u{e006}".into())
    );
    assert_eq!(
        put_back("a\u{e000}b\u{e005}", 0xE000, false),
        Some("a&amp;b&#39;".into())
    );
    assert_eq!(put_back("none", 0xE000, true), None);
}

/// Pieces of markup a page is made of here: tags of every kind the
/// parser treats apart, raw text, comments, attributes, and the
/// references in and around them.
const PIECES: &[&str] = &[
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&nbsp;",
    "&#39;",
    "&amp",
    "&not",
    "&#1",
    "&",
    "a",
    " ",
    "\n",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<i>",
    "<a href='&amp;'>",
    "</a>",
    "<table>",
    "<tr>",
    "<td>",
    "</table>",
    "<select>",
    "<option>",
    "<svg>",
    "</svg>",
    "<math>",
    "<mi>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<xmp>",
    "</xmp>",
    "<iframe>",
    "</iframe>",
    "<noscript>",
    "</noscript>",
    "<noembed>",
    "<noframes>",
    "<textarea>",
    "</textarea>",
    "<title>",
    "</title>",
    "<template>",
    "</template>",
    "<!--",
    "-->",
    "<!DOCTYPE html>",
    "<head>",
    "<body>",
    "<html>",
    "<frameset>",
    "<pre>",
    "<li>",
    "<x y=\"",
    "\">",
    "<br/",
    ">",
    "<",
    "</",
    "=",
    "'",
    "\"",
    "<h1>",
    "<ul>",
    "</ul>",
    "<![CDATA[",
    "]]>",
    "<text>",
    "<foreignObject>",
    "<plaintext>",
    "<div title=&lt;",
    "<form>",
    "</form>",
    "<button>",
    "<img src=\"&quot;\">",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(500)))]

    /// Any page made of these pieces gives the same tree swapped as
    /// parsed as it is (or is parsed as it is).
    #[test]
    fn any_soup_gives_the_same_tree(picks in proptest::collection::vec(0..PIECES.len(), 0..120)) {
        let page: String = picks.iter().map(|&i| PIECES[i]).collect();
        if let Some(got) = swapped(&page) {
            proptest::prop_assert_eq!(got, plain(&page), "{:?}", page);
        }
    }
}
