//! Bound how deeply a saved page nests before the HTML parser sees it.
//!
//! A page from the web can open elements without end: 100,000 nested
//! `<div>`s, or thousands of unclosed `<b>`/`<font>` tags that the parser
//! keeps open and re-opens in every later paragraph ("reconstruct the
//! active formatting elements", quadratic). Every walk over the tree —
//! ours, dom_smoothie's, dom_query's — recurses once per level, so such a
//! page overflowed the stack or took minutes. [`limit`] is one linear pass
//! over the page's tags that models the parser's stack of open elements
//! (void elements, raw text, foreign content, end tags, the implied ends of
//! `p`, `li`, `dd`/`dt`, headings, options and table parts) and removes the
//! start tags — and their end tags — that would open an element deeper
//! than [`MAX_DEPTH`], or a formatting element beyond [`MAX_FORMATTING`]
//! open at once (with a removed table go its rows and cells, which the
//! parser would otherwise add to the table around it). Their text stays, one level up; line breaks inside a
//! removed tag are kept, so line numbers in reports still match the seed.
//!
//! The model errs towards counting too deep: a page it cannot follow loses
//! some markup, never text. Should a page lead it astray all the same (the
//! parsed tree deeper than [`MAX_TREE_DEPTH`], see [`max_depth`]),
//! [`Mode::Strict`] counts every start tag that is not void as open until
//! an end tag of its name closes the current element — an upper bound of
//! the parser's depth, give or take the few elements it implies.

use crate::clean::{CleanError, CleanWarning};
use dom_query::{Document, NodeRef};
use std::borrow::Cow;
use std::collections::HashMap;
use tendril::StrTendril;

/// Elements nested deeper than this are unwrapped (Chromium's parser stops
/// nesting at 512; news pages nest 20 to 60 deep).
pub(crate) const MAX_DEPTH: usize = 256;
/// Formatting elements (`b`, `i`, `font`, `a`, …) open at once beyond this
/// are dropped: the parser re-opens every open one in each later block.
pub(crate) const MAX_FORMATTING: usize = 16;
/// A parsed tree deeper than this means the model was led astray: the page
/// is limited again in [`Mode::Strict`] (and refused if even that is too
/// deep). Our walkers and dom_smoothie's recurse once per level: a thread
/// with the default 2 MiB stack handles this depth.
pub(crate) const MAX_TREE_DEPTH: usize = 4 * MAX_DEPTH;

/// How closely [`limit`] follows the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Implied end tags as the parser applies them: ordinary sloppy pages
    /// (unclosed `p`, `li`, `td`) keep all their markup.
    Normal,
    /// Only an end tag naming the current element closes it.
    Strict,
}

/// A page with its nesting bounded.
#[derive(Debug)]
pub(crate) struct Limited<'a> {
    /// The page, borrowed when nothing had to be removed.
    pub html: Cow<'a, str>,
    /// What was removed, when something was.
    pub capped: Option<Capped>,
}

/// What [`limit`] removed from a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Capped {
    /// How deep the page nests elements, at its deepest.
    pub depth: usize,
    /// Start tags removed because they were too deep.
    pub deep: usize,
    /// Formatting start tags removed because too many were open.
    pub formatting: usize,
    /// 1-based line of the first removed tag.
    pub line: usize,
}

/// The elements whose treatment by the parser matters here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Html,
    Head,
    Body,
    Frameset,
    // void
    Area,
    Base,
    Br,
    Col,
    Embed,
    Hr,
    Img,
    Input,
    Link,
    Meta,
    Param,
    Source,
    Track,
    Wbr,
    Keygen,
    Basefont,
    Bgsound,
    Frame,
    Image,
    // raw text and RCDATA
    Script,
    Style,
    Xmp,
    Iframe,
    Noembed,
    Noframes,
    Textarea,
    Title,
    Plaintext,
    // formatting
    A,
    B,
    Big,
    Code,
    Em,
    Font,
    I,
    Nobr,
    S,
    Small,
    Strike,
    Strong,
    Tt,
    U,
    // special
    Address,
    Applet,
    Article,
    Aside,
    Blockquote,
    Button,
    Caption,
    Center,
    Colgroup,
    Dd,
    Details,
    Dir,
    Div,
    Dl,
    Dt,
    Fieldset,
    Figcaption,
    Figure,
    Footer,
    Form,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Header,
    Hgroup,
    Li,
    Listing,
    Main,
    Marquee,
    Menu,
    Nav,
    Object,
    Ol,
    P,
    Pre,
    Search,
    Section,
    Select,
    Summary,
    Table,
    Tbody,
    Td,
    Template,
    Tfoot,
    Th,
    Thead,
    Tr,
    Ul,
    // others the model looks at
    Dialog,
    Option,
    Optgroup,
    Ruby,
    Span,
    Sub,
    Sup,
    Var,
    Svg,
    Math,
    ForeignObject,
    Desc,
    AnnotationXml,
    Mi,
    Mo,
    Mn,
    Ms,
    Mtext,
    Other,
}

fn known(name: &[u8]) -> K {
    use K::*;
    match name {
        b"html" => Html,
        b"head" => Head,
        b"body" => Body,
        b"frameset" => Frameset,
        b"area" => Area,
        b"base" => Base,
        b"br" => Br,
        b"col" => Col,
        b"embed" => Embed,
        b"hr" => Hr,
        b"img" => Img,
        b"input" => Input,
        b"link" => Link,
        b"meta" => Meta,
        b"param" => Param,
        b"source" => Source,
        b"track" => Track,
        b"wbr" => Wbr,
        b"keygen" => Keygen,
        b"basefont" => Basefont,
        b"bgsound" => Bgsound,
        b"frame" => Frame,
        b"image" => Image,
        b"script" => Script,
        b"style" => Style,
        b"xmp" => Xmp,
        b"iframe" => Iframe,
        b"noembed" => Noembed,
        b"noframes" => Noframes,
        b"textarea" => Textarea,
        b"title" => Title,
        b"plaintext" => Plaintext,
        b"a" => A,
        b"b" => B,
        b"big" => Big,
        b"code" => Code,
        b"em" => Em,
        b"font" => Font,
        b"i" => I,
        b"nobr" => Nobr,
        b"s" => S,
        b"small" => Small,
        b"strike" => Strike,
        b"strong" => Strong,
        b"tt" => Tt,
        b"u" => U,
        b"address" => Address,
        b"applet" => Applet,
        b"article" => Article,
        b"aside" => Aside,
        b"blockquote" => Blockquote,
        b"button" => Button,
        b"caption" => Caption,
        b"center" => Center,
        b"colgroup" => Colgroup,
        b"dd" => Dd,
        b"details" => Details,
        b"dir" => Dir,
        b"div" => Div,
        b"dl" => Dl,
        b"dt" => Dt,
        b"fieldset" => Fieldset,
        b"figcaption" => Figcaption,
        b"figure" => Figure,
        b"footer" => Footer,
        b"form" => Form,
        b"h1" => H1,
        b"h2" => H2,
        b"h3" => H3,
        b"h4" => H4,
        b"h5" => H5,
        b"h6" => H6,
        b"header" => Header,
        b"hgroup" => Hgroup,
        b"li" => Li,
        b"listing" => Listing,
        b"main" => Main,
        b"marquee" => Marquee,
        b"menu" => Menu,
        b"nav" => Nav,
        b"object" => Object,
        b"ol" => Ol,
        b"p" => P,
        b"pre" => Pre,
        b"search" => Search,
        b"section" => Section,
        b"select" => Select,
        b"summary" => Summary,
        b"table" => Table,
        b"tbody" => Tbody,
        b"td" => Td,
        b"template" => Template,
        b"tfoot" => Tfoot,
        b"th" => Th,
        b"thead" => Thead,
        b"tr" => Tr,
        b"ul" => Ul,
        b"dialog" => Dialog,
        b"option" => Option,
        b"optgroup" => Optgroup,
        b"ruby" => Ruby,
        b"span" => Span,
        b"sub" => Sub,
        b"sup" => Sup,
        b"var" => Var,
        b"svg" => Svg,
        b"math" => Math,
        b"foreignobject" => ForeignObject,
        b"desc" => Desc,
        b"annotation-xml" => AnnotationXml,
        b"mi" => Mi,
        b"mo" => Mo,
        b"mn" => Mn,
        b"ms" => Ms,
        b"mtext" => Mtext,
        _ => Other,
    }
}

impl K {
    fn is_void(self) -> bool {
        use K::*;
        matches!(
            self,
            Area | Base
                | Br
                | Col
                | Embed
                | Hr
                | Img
                | Input
                | Link
                | Meta
                | Param
                | Source
                | Track
                | Wbr
                | Keygen
                | Basefont
                | Bgsound
                | Frame
                | Image
        )
    }

    /// Raw text or RCDATA: the content up to the matching end tag is text.
    /// (`noscript` is not: dom_query parses with scripting disabled.)
    fn is_raw(self) -> bool {
        use K::*;
        matches!(
            self,
            Script | Style | Xmp | Iframe | Noembed | Noframes | Textarea | Title
        )
    }

    fn is_formatting(self) -> bool {
        use K::*;
        matches!(
            self,
            A | B | Big | Code | Em | Font | I | Nobr | S | Small | Strike | Strong | Tt | U
        )
    }

    fn is_heading(self) -> bool {
        matches!(self, K::H1 | K::H2 | K::H3 | K::H4 | K::H5 | K::H6)
    }

    /// The parser's "special" category (HTML namespace).
    fn is_special(self) -> bool {
        use K::*;
        self.is_void()
            || self.is_heading()
            || matches!(
                self,
                Html | Head
                    | Body
                    | Frameset
                    | Script
                    | Style
                    | Xmp
                    | Iframe
                    | Noembed
                    | Noframes
                    | Textarea
                    | Title
                    | Plaintext
                    | Address
                    | Applet
                    | Article
                    | Aside
                    | Blockquote
                    | Button
                    | Caption
                    | Center
                    | Colgroup
                    | Dd
                    | Details
                    | Dir
                    | Div
                    | Dl
                    | Dt
                    | Fieldset
                    | Figcaption
                    | Figure
                    | Footer
                    | Form
                    | Header
                    | Hgroup
                    | Li
                    | Listing
                    | Main
                    | Marquee
                    | Menu
                    | Nav
                    | Object
                    | Ol
                    | P
                    | Pre
                    | Search
                    | Section
                    | Select
                    | Summary
                    | Table
                    | Tbody
                    | Td
                    | Template
                    | Tfoot
                    | Th
                    | Thead
                    | Tr
                    | Ul
            )
    }

    /// A start tag that closes an open `p` first.
    fn closes_p(self) -> bool {
        use K::*;
        self.is_heading()
            || matches!(
                self,
                Address
                    | Article
                    | Aside
                    | Blockquote
                    | Center
                    | Details
                    | Dialog
                    | Dir
                    | Div
                    | Dl
                    | Fieldset
                    | Figcaption
                    | Figure
                    | Footer
                    | Header
                    | Hgroup
                    | Main
                    | Menu
                    | Nav
                    | Ol
                    | P
                    | Search
                    | Section
                    | Summary
                    | Ul
                    | Pre
                    | Listing
                    | Form
                    | Plaintext
                    | Xmp
                    | Hr
                    | Li
                    | Dd
                    | Dt
            )
    }

    /// An HTML start tag that ends foreign content (`<svg><p>`).
    fn breaks_out_of_foreign(self) -> bool {
        use K::*;
        self.is_heading()
            || matches!(
                self,
                B | Big
                    | Blockquote
                    | Body
                    | Br
                    | Center
                    | Code
                    | Dd
                    | Div
                    | Dl
                    | Dt
                    | Em
                    | Embed
                    | Head
                    | Hr
                    | I
                    | Img
                    | Li
                    | Listing
                    | Menu
                    | Meta
                    | Nobr
                    | Ol
                    | P
                    | Pre
                    | Ruby
                    | S
                    | Small
                    | Span
                    | Strong
                    | Strike
                    | Sub
                    | Sup
                    | Table
                    | Tt
                    | U
                    | Ul
                    | Var
            )
    }

    /// A part of a table, which the parser places by the nearest open
    /// table (and ignores outside one).
    fn is_table_part(self) -> bool {
        use K::*;
        matches!(
            self,
            Caption | Colgroup | Tbody | Thead | Tfoot | Tr | Td | Th
        )
    }

    /// An element after which the list of formatting elements gets a
    /// marker (their formatting does not leak out of them).
    fn is_marker(self) -> bool {
        use K::*;
        matches!(
            self,
            Applet | Object | Marquee | Template | Td | Th | Caption
        )
    }

    /// A foreign element where HTML content starts again.
    fn is_integration_point(self) -> bool {
        use K::*;
        matches!(
            self,
            ForeignObject | Desc | Title | AnnotationXml | Mi | Mo | Mn | Ms | Mtext
        )
    }
}

/// Which elements stop a search for an open element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The default scope, and "any other end tag": stops at any special
    /// element.
    Special,
    Default,
    Button,
    ListItem,
    Table,
}

/// An element the model holds open.
#[derive(Clone, Copy)]
struct Entry {
    k: K,
    /// Interned name, for elements the model does not know by name.
    other: u32,
    foreign: bool,
}

impl Entry {
    fn special(&self) -> bool {
        if self.foreign {
            self.k.is_integration_point() || matches!(self.k, K::Svg | K::Math)
        } else {
            self.k.is_special()
        }
    }

    fn bounds(&self, scope: Scope) -> bool {
        if self.foreign {
            return self.k.is_integration_point() || scope == Scope::Special && self.special();
        }
        use K::*;
        let default = matches!(
            self.k,
            Applet | Caption | Html | Table | Td | Th | Marquee | Object | Template
        );
        match scope {
            Scope::Special => self.special(),
            Scope::Default => default,
            Scope::Button => default || self.k == Button,
            Scope::ListItem => default || matches!(self.k, Ol | Ul),
            Scope::Table => matches!(self.k, Html | Table | Template),
        }
    }
}

/// Removed start tags still open: `count` tags named `name` dropped while
/// the model's stack was `level` deep.
struct Ghost {
    level: usize,
    name: usize,
    count: usize,
}

struct Model<'a> {
    html: &'a str,
    mode: Mode,
    max_depth: usize,
    max_formatting: usize,
    stack: Vec<Entry>,
    /// Open elements per name key ([`Model::key`]).
    open: Vec<u32>,
    /// The list of active formatting elements, as names; `None` is a
    /// marker.
    formatting: Vec<Option<usize>>,
    ghosts: Vec<Ghost>,
    /// Removed start tags per name key, still open.
    ghost_open: Vec<usize>,
    ghosts_total: usize,
    names: HashMap<Vec<u8>, u32>,
    // output
    out: Option<String>,
    copied: usize,
    capped: Capped,
}

const KNOWN: usize = K::Other as usize;

/// What to do with a tag.
enum Act {
    Keep,
    Drop,
}

impl<'a> Model<'a> {
    fn new(html: &'a str, mode: Mode, max_depth: usize, max_formatting: usize) -> Model<'a> {
        Model {
            html,
            mode,
            max_depth,
            max_formatting,
            stack: Vec::new(),
            open: vec![0; KNOWN + 1],
            formatting: Vec::new(),
            ghosts: Vec::new(),
            ghost_open: vec![0; KNOWN + 1],
            ghosts_total: 0,
            names: HashMap::new(),
            out: None,
            copied: 0,
            capped: Capped {
                depth: 0,
                deep: 0,
                formatting: 0,
                line: 0,
            },
        }
    }

    /// A name key: the element kind, or past them, an interned name.
    fn key(k: K, other: u32) -> usize {
        if k == K::Other {
            KNOWN + 1 + other as usize
        } else {
            k as usize
        }
    }

    fn intern(&mut self, lower: &[u8]) -> u32 {
        if let Some(&id) = self.names.get(lower) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.insert(lower.to_vec(), id);
        let len = KNOWN + 2 + id as usize;
        self.open.resize(len, 0);
        self.ghost_open.resize(len, 0);
        id
    }

    fn in_foreign(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|e| e.foreign && !e.k.is_integration_point())
    }

    fn push(&mut self, e: Entry) {
        self.open[Self::key(e.k, e.other)] += 1;
        if e.k.is_marker() && !e.foreign {
            self.formatting.push(None);
        }
        self.stack.push(e);
        self.capped.depth = self.capped.depth.max(self.stack.len() + self.ghosts_total);
    }

    /// Close the current element.
    fn pop(&mut self) {
        self.truncate(self.stack.len().saturating_sub(1));
    }

    /// Close every element from index `at` up.
    fn truncate(&mut self, at: usize) {
        while self.stack.len() > at {
            let e = self.stack.pop().expect("non-empty");
            self.open[Self::key(e.k, e.other)] -= 1;
            if e.k.is_marker() && !e.foreign {
                while let Some(f) = self.formatting.pop() {
                    if f.is_none() {
                        break;
                    }
                }
            }
        }
        // removed tags opened inside closed elements are closed too
        while let Some(g) = self.ghosts.last() {
            if g.level <= at {
                break;
            }
            let g = self.ghosts.pop().expect("non-empty");
            self.ghost_open[g.name] = self.ghost_open[g.name].saturating_sub(g.count);
            self.ghosts_total = self.ghosts_total.saturating_sub(g.count);
        }
    }

    /// The index of the nearest open element named `key`, unless an
    /// element bounding `scope` comes first.
    fn find(&self, key: usize, scope: Scope) -> Option<usize> {
        if self.open[key] == 0 {
            return None;
        }
        for (i, e) in self.stack.iter().enumerate().rev() {
            if Self::key(e.k, e.other) == key {
                return Some(i);
            }
            if e.bounds(scope) {
                return None;
            }
        }
        None
    }

    fn close(&mut self, k: K, scope: Scope) {
        if let Some(i) = self.find(k as usize, scope) {
            self.truncate(i);
        }
    }

    /// Remove a start tag (from `start` to `end`) from the page, keeping
    /// its line breaks.
    fn remove(&mut self, start: usize, end: usize) {
        let html = self.html;
        if self.capped.line == 0 {
            self.capped.line = memchr::memchr_iter(b'\n', &html.as_bytes()[..start]).count() + 1;
        }
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(html.len()));
        out.push_str(&html[self.copied..start]);
        for _ in memchr::memchr_iter(b'\n', &html.as_bytes()[start..end]) {
            out.push('\n');
        }
        self.copied = end;
    }

    /// The position of `key` in the list of active formatting elements
    /// after its last marker.
    fn active(&self, key: usize) -> Option<usize> {
        for (i, f) in self.formatting.iter().enumerate().rev() {
            match f {
                None => return None,
                Some(k) if *k == key => return Some(i),
                Some(_) => {}
            }
        }
        None
    }

    fn ghost(&mut self, key: usize) {
        let level = self.stack.len();
        match self.ghosts.last_mut() {
            Some(g) if g.level == level && g.name == key => g.count += 1,
            _ => self.ghosts.push(Ghost {
                level,
                name: key,
                count: 1,
            }),
        }
        self.ghost_open[key] += 1;
        self.ghosts_total += 1;
        self.capped.depth = self.capped.depth.max(self.stack.len() + self.ghosts_total);
    }

    /// A start tag.
    fn start(&mut self, k: K, other: u32, self_closing: bool) -> Act {
        let key = Self::key(k, other);
        let strict = self.mode == Mode::Strict;
        if !strict && self.in_foreign() && k.breaks_out_of_foreign() {
            while self.stack.last().is_some_and(|e| e.foreign) {
                self.pop();
            }
        }
        let foreign = if strict {
            matches!(k, K::Svg | K::Math)
        } else {
            self.in_foreign() || matches!(k, K::Svg | K::Math)
        };
        if foreign {
            if self_closing && !strict {
                return Act::Keep;
            }
        } else {
            if k.is_void() {
                if k == K::Hr && !strict {
                    self.close(K::P, Scope::Button);
                }
                return Act::Keep;
            }
            if matches!(k, K::Html | K::Head | K::Body | K::Frameset) || k.is_raw() {
                return Act::Keep;
            }
            // the parts of a removed table go with it: kept, the parser
            // would add them to the nearest table left, as rows and cells
            // beside each other (nested tables become a wide one) — and
            // before that, their implied ends would close the cells that
            // hold the removed table, and it with them
            if k.is_table_part()
                && self.ghost_open[K::Table as usize] + self.ghost_open[K::Template as usize] > 0
            {
                self.capped.deep += 1;
                self.ghost(key);
                return Act::Drop;
            }
            // the parser ignores table parts outside a table
            if k.is_table_part()
                && self.open[K::Table as usize] + self.open[K::Template as usize] == 0
            {
                return Act::Keep;
            }
            if !strict {
                if k.closes_p() {
                    self.close(K::P, Scope::Button);
                }
                self.implied_ends(k);
            }
        }
        if k.is_formatting() && !foreign {
            let since_marker = self
                .formatting
                .iter()
                .rev()
                .take_while(|f| f.is_some())
                .count();
            if since_marker >= self.max_formatting {
                self.capped.formatting += 1;
                self.ghost(key);
                return Act::Drop;
            }
        }
        if self.stack.len() >= self.max_depth {
            self.capped.deep += 1;
            self.ghost(key);
            return Act::Drop;
        }
        if k.is_formatting() && !foreign {
            self.formatting.push(Some(key));
        }
        self.push(Entry { k, other, foreign });
        Act::Keep
    }

    /// The end tags a start tag implies (normal mode).
    fn implied_ends(&mut self, k: K) {
        match k {
            K::Li => self.close_item(&[K::Li]),
            K::Dd | K::Dt => self.close_item(&[K::Dd, K::Dt]),
            _ if k.is_heading()
                && self
                    .stack
                    .last()
                    .is_some_and(|e| !e.foreign && e.k.is_heading()) =>
            {
                self.pop();
            }
            K::Option | K::Optgroup if self.stack.last().is_some_and(|e| e.k == K::Option) => {
                self.pop();
            }
            K::Tr => self.close(K::Tr, Scope::Table),
            K::Td | K::Th => {
                for cell in [K::Td, K::Th] {
                    self.close(cell, Scope::Table);
                }
            }
            K::Tbody | K::Thead | K::Tfoot => {
                for part in [K::Tbody, K::Thead, K::Tfoot] {
                    self.close(part, Scope::Table);
                }
            }
            K::Button => self.close(K::Button, Scope::Default),
            K::A | K::Nobr => self.end_formatting(k as usize),
            _ => {}
        }
    }

    /// `<li>` closes an open `li` unless a special element other than
    /// `address`, `div` or `p` comes first (likewise `dd`/`dt`).
    fn close_item(&mut self, names: &[K]) {
        if names.iter().all(|k| self.open[*k as usize] == 0) {
            return;
        }
        for i in (0..self.stack.len()).rev() {
            let e = self.stack[i];
            if !e.foreign && names.contains(&e.k) {
                self.truncate(i);
                return;
            }
            if e.special() && !matches!(e.k, K::Address | K::Div | K::P) {
                return;
            }
        }
    }

    /// A formatting element's end tag, as far as the adoption agency
    /// surely closes it: when no special element is open inside it.
    fn end_formatting(&mut self, key: usize) {
        let Some(pos) = self.active(key) else {
            return;
        };
        self.formatting.remove(pos);
        if let Some(i) = self.find(key, Scope::Default)
            && !self.stack[i + 1..].iter().any(Entry::special)
        {
            self.truncate(i);
        }
    }

    fn end(&mut self, k: K, other: u32) -> Act {
        let key = Self::key(k, other);
        if self.ghost_open[key] > 0 {
            self.ghost_open[key] -= 1;
            self.ghosts_total = self.ghosts_total.saturating_sub(1);
            return Act::Drop;
        }
        if self.mode == Mode::Strict {
            if self
                .stack
                .last()
                .is_some_and(|e| Self::key(e.k, e.other) == key)
            {
                self.pop();
                if k.is_formatting()
                    && let Some(pos) = self.active(key)
                {
                    self.formatting.remove(pos);
                }
            }
            return Act::Keep;
        }
        let foreign_top = self.in_foreign();
        match k {
            _ if foreign_top => {
                if let Some(i) = self.find(key, Scope::Special) {
                    self.truncate(i);
                }
            }
            K::Html | K::Head | K::Body | K::Br => {}
            K::P => self.close(K::P, Scope::Button),
            K::Li => self.close(K::Li, Scope::ListItem),
            K::Td | K::Th | K::Tr | K::Tbody | K::Thead | K::Tfoot | K::Table | K::Caption => {
                self.close(k, Scope::Table)
            }
            _ if k.is_heading() => {
                let nearest = [K::H1, K::H2, K::H3, K::H4, K::H5, K::H6]
                    .iter()
                    .filter_map(|h| self.find(*h as usize, Scope::Default))
                    .max();
                if let Some(i) = nearest {
                    self.truncate(i);
                }
            }
            _ if k.is_formatting() => self.end_formatting(key),
            _ if k.is_special() => self.close(k, Scope::Default),
            _ => {
                if let Some(i) = self.find(key, Scope::Special) {
                    self.truncate(i);
                }
            }
        }
        Act::Keep
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The end of a tag whose name ends at `i`: the index after its `>`, and
/// whether it ends in `/>`. `None` when the page ends inside the tag (the
/// parser drops such a tag).
fn tag_end(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    loop {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => return Some((i + 1, false)),
            b'/' => {
                if b.get(i + 1) == Some(&b'>') {
                    return Some((i + 2, true));
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        // an attribute name (its first character may be `=`)
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match *b.get(i)? {
            q @ (b'"' | b'\'') => {
                i += 1 + memchr::memchr(q, &b[i + 1..])?;
                i += 1;
            }
            b'>' => return Some((i + 1, false)),
            _ => {
                while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

/// The index after the end tag that closes raw text named `name` (`</script`
/// followed by a space, `/` or `>`), or the page's length.
fn raw_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let n = lt + 2;
        if b.get(lt + 1) == Some(&b'/')
            && b.len() >= n + name.len()
            && b[n..n + name.len()].eq_ignore_ascii_case(name)
            && b.get(n + name.len())
                .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            return lt;
        }
        i = lt + 1;
    }
    b.len()
}

/// Bound the nesting of `html` (see the module documentation).
pub(crate) fn limit(html: &str, mode: Mode) -> Limited<'_> {
    limit_to(html, mode, MAX_DEPTH, MAX_FORMATTING)
}

/// [`limit`] with other bounds (tests use small ones).
fn limit_to(html: &str, mode: Mode, max_depth: usize, max_formatting: usize) -> Limited<'_> {
    let b = html.as_bytes();
    let mut m = Model::new(html, mode, max_depth, max_formatting);
    let mut lower = Vec::with_capacity(32);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let Some(&next) = b.get(lt + 1) else { break };
        match next {
            b'!' => {
                let rest = &b[lt + 2..];
                i = if rest.starts_with(b"--") {
                    // a comment: `<!-->`, `<!--->` end it at once
                    let body = lt + 4;
                    if b.get(body) == Some(&b'>') {
                        body + 1
                    } else if b[body..].starts_with(b"->") {
                        body + 2
                    } else {
                        let ends = [
                            memchr::memmem::find(&b[body..], b"-->").map(|e| body + e + 3),
                            memchr::memmem::find(&b[body..], b"--!>").map(|e| body + e + 4),
                        ];
                        match ends.into_iter().flatten().min() {
                            Some(e) => e,
                            None => break,
                        }
                    }
                } else if rest.starts_with(b"[CDATA[") && m.in_foreign() {
                    match memchr::memmem::find(rest, b"]]>") {
                        Some(e) => lt + 2 + e + 3,
                        None => break,
                    }
                } else {
                    match memchr::memchr(b'>', rest) {
                        Some(e) => lt + 2 + e + 1,
                        None => break,
                    }
                };
            }
            b'?' => match memchr::memchr(b'>', &b[lt + 1..]) {
                Some(e) => i = lt + 1 + e + 1,
                None => break,
            },
            b'/' => match b.get(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let name_start = lt + 2;
                    let mut name_end = name_start;
                    while name_end < b.len()
                        && !is_space(b[name_end])
                        && !matches!(b[name_end], b'/' | b'>')
                    {
                        name_end += 1;
                    }
                    let Some((end, _)) = tag_end(b, name_end) else {
                        break;
                    };
                    lower.clear();
                    lower.extend(b[name_start..name_end].iter().map(u8::to_ascii_lowercase));
                    let k = known(&lower);
                    let other = if k == K::Other { m.intern(&lower) } else { 0 };
                    if let Act::Drop = m.end(k, other) {
                        m.remove(lt, end);
                    }
                    i = end;
                }
                Some(b'>') => i = lt + 3,
                Some(_) => match memchr::memchr(b'>', &b[lt + 2..]) {
                    Some(e) => i = lt + 2 + e + 1,
                    None => break,
                },
                None => break,
            },
            c if c.is_ascii_alphabetic() => {
                let name_start = lt + 1;
                let mut name_end = name_start;
                while name_end < b.len()
                    && !is_space(b[name_end])
                    && !matches!(b[name_end], b'/' | b'>')
                {
                    name_end += 1;
                }
                let Some((end, self_closing)) = tag_end(b, name_end) else {
                    break;
                };
                lower.clear();
                lower.extend(b[name_start..name_end].iter().map(u8::to_ascii_lowercase));
                let k = known(&lower);
                let other = if k == K::Other { m.intern(&lower) } else { 0 };
                let raw = (k.is_raw() || k == K::Plaintext) && !m.in_foreign();
                if let Act::Drop = m.start(k, other, self_closing) {
                    m.remove(lt, end);
                }
                i = end;
                if k == K::Plaintext && raw {
                    break; // the rest of the page is text
                }
                if raw {
                    i = raw_end(b, i, &lower);
                }
            }
            _ => i = lt + 1,
        }
    }
    let capped = (m.capped.deep + m.capped.formatting > 0).then(|| m.capped.clone());
    let html = match m.out.take() {
        Some(mut out) => {
            out.push_str(&html[m.copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    };
    Limited { html, capped }
}

/// Parse a page with its nesting bounded: the page as parsed (its
/// buffer is shared by every parse of it: pass clones to
/// `Document::from`), its tree, and a warning when tags were removed.
pub(crate) fn parse(html: &str) -> Result<(StrTendril, Document, Vec<CleanWarning>), CleanError> {
    let mut limited = limit(html, Mode::Normal);
    let mut text = StrTendril::from_slice(&limited.html);
    let mut doc = super::refs::parse(&text);
    if max_depth(&doc.root()) > MAX_TREE_DEPTH {
        limited = limit(html, Mode::Strict);
        text = StrTendril::from_slice(&limited.html);
        doc = super::refs::parse(&text);
        let depth = max_depth(&doc.root());
        if depth > MAX_TREE_DEPTH {
            return Err(CleanError::TooDeep { depth });
        }
    }
    let warnings = limited.capped.iter().map(warning).collect();
    Ok((text, doc, warnings))
}

fn warning(c: &Capped) -> CleanWarning {
    let mut what = Vec::new();
    if c.deep > 0 {
        what.push(format!(
            "{} tags nested below level {MAX_DEPTH} were ignored",
            thousands(c.deep)
        ));
    }
    if c.formatting > 0 {
        what.push(format!(
            "{} formatting tags (b, i, font, a, …) beyond {MAX_FORMATTING} left open at once were ignored",
            thousands(c.formatting)
        ));
    }
    CleanWarning {
        line: c.line,
        message: format!(
            "elements nested {} deep; {} (their text is kept)",
            thousands(c.depth),
            what.join(", and ")
        ),
        help: "the page is malformed or hostile; check the cleaned article, or save the page again from the browser".into(),
    }
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How deep the tree below `root` goes (`root`'s children are at depth 1),
/// without recursion.
pub(crate) fn max_depth(root: &NodeRef) -> usize {
    let Some(mut node) = root.first_child() else {
        return 0;
    };
    let (mut depth, mut max) = (1, 1);
    loop {
        max = max.max(depth);
        if let Some(child) = node.first_child() {
            node = child;
            depth += 1;
            continue;
        }
        loop {
            if let Some(next) = node.next_sibling() {
                node = next;
                break;
            }
            if depth == 1 {
                return max;
            }
            match node.parent() {
                Some(parent) => {
                    node = parent;
                    depth -= 1;
                }
                None => return max,
            }
        }
    }
}

#[cfg(test)]
mod tests;
