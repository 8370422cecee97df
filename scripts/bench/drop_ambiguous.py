#!/usr/bin/env python3
"""Move aside the generated annotation files that quote a passage occurring
more than once in their article.

gen_corpus.py checks that a quote is unique in the article's paragraphs
before it writes the Markdown, but a pull quote (`> "…"`) repeats a sentence
of the body, so a few files per thousand articles quote an ambiguous
passage. `briefing build` rightly refuses those (it cannot know which
occurrence is meant), so a benchmark corpus would not build at all.

    drop_ambiguous.py CORPUS_DIR

Files go to CORPUS_DIR/ambiguous-annotations/ (not read by briefing); the
script prints how many.
"""
import pathlib
import re
import sys


def words(text: str) -> str:
    """The text as briefing first matches quotes in it: Markdown markup
    gone, whitespace runs in a paragraph as one space, paragraphs apart
    (exact matches win over normalised ones, so only exact repeats are
    ambiguous)."""
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)  # block quote markers
    text = re.sub(r"[*_`]", "", text)  # emphasis
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def body(md: str) -> str:
    if md.startswith("---"):
        end = md.find("\n---", 3)
        if end != -1:
            return md[end + 4 :]
    return md


def main() -> None:
    root = pathlib.Path(sys.argv[1])
    aside = root / "ambiguous-annotations"
    moved = 0
    for f in sorted((root / "annotations").glob("*.md")):
        text = f.read_text(encoding="utf-8")
        m = re.search(r"^article:\s*(\S+)", text, re.M)
        if not m:
            continue
        article = root / "content" / f"{m.group(1)}.md"
        if not article.exists():
            continue
        plain = words(body(article.read_text(encoding="utf-8")))
        quotes = re.findall(r'^##\s+"(.+?)"', text, re.M)
        if any(plain.count(words(q)) > 1 for q in quotes):
            aside.mkdir(exist_ok=True)
            f.rename(aside / f.name)
            moved += 1
    print(f"{root.name}: {moved} annotation file(s) quoting an ambiguous passage moved to ambiguous-annotations/", file=sys.stderr)


if __name__ == "__main__":
    main()
