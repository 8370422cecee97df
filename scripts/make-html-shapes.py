#!/usr/bin/env python3
"""Write synthetic saved-HTML pages of the shapes that went wrong on sites
the HTML cleaner had not seen (comments, listings, sidebars, galleries,
name cards, old table/<font> layouts, Windows-1252), each with the article
body it should give (<name>.truth.txt), into
tests/fixtures/cleaning-html/shapes/.

The prose is made up from a fixed seed, so the files are reproducible; no
page is a copy of a benchmark page. Score the cleaner on them with
`score.py tests/fixtures/cleaning-html/shapes OUT`.
"""
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "cleaning-html", "shapes")
random.seed(7)
SUBJ = ["The council", "The transport minister", "Residents of the valley", "The water company", "Local farmers",
        "The regional hospital", "A spokesperson for the port authority", "Engineers at the plant", "The school board",
        "Opposition members", "The fire service", "Shop owners in the old town"]
VERB = ["said on Tuesday that", "warned that", "argued in a statement that", "told reporters that",
        "confirmed late on Monday that", "insisted that", "acknowledged that", "wrote in a letter that"]
OBJ = ["the repairs to the northern embankment would take at least another eighteen months",
       "the cost of the new reservoir had risen by almost a third since the plans were approved",
       "the night trains would return to the timetable once the signalling work was finished",
       "more than two hundred families had been moved to temporary housing after the flood",
       "the harvest had been the poorest in a decade because of the late frost in April",
       "the waiting list for routine operations had fallen for the first time in three years",
       "the ferry crossing would be suspended for a week while the harbour wall was inspected",
       "the budget for road maintenance would be doubled in the coming financial year",
       "the inquiry into the collapse of the footbridge would publish its findings in the spring",
       "the pilot scheme for electric buses had carried over a million passengers"]
TAIL = ["and that further delays could not be ruled out.", "although the figures have yet to be confirmed by auditors.",
        "a claim that was disputed by several members of the committee.", "adding that the public would be consulted.",
        "which critics described as far too little and far too late.", "in what officials called a difficult but necessary decision."]
def sent():
    return f"{random.choice(SUBJ)} {random.choice(VERB)} {random.choice(OBJ)}, {random.choice(TAIL)}"
def para(n=2):
    return " ".join(sent() for _ in range(n))
def paras(k, n=2):
    return [para(n) for _ in range(k)]
NAV = '<header class="masthead"><a href="/">The Valley Courier</a><nav><ul>' + "".join(
    f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ["News", "Politics", "Business", "Sport", "Culture", "Opinion", "Weather"]) + '</ul></nav></header>'
FOOT = '<footer><p>© 2019 The Valley Courier. All rights reserved.</p><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy</a></li></ul></footer>'
HEADLINES = ["Ferry timetable changes announced for winter", "Council votes to close two libraries", "Hospital opens new cancer ward",
             "Farmers count the cost of the late frost", "Night trains to return next spring", "Road repairs to double next year",
             "Inquiry into footbridge collapse delayed", "Electric buses carry a million passengers"]
def page(title, body_html, head="", after="", before="", charset="utf-8"):
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}"><title>{title} | The Valley Courier</title>{head}</head>
<body>{NAV}{before}
<main><article>
<h1>{title}</h1>
<p class="byline">By Jane Roe</p>
<time datetime="2019-11-19T10:00:00Z">19 November 2019</time>
{body_html}
</article>{after}</main>
{FOOT}
</body></html>
"""
def ps(ps_):
    return "\n".join(f"<p>{p}</p>" for p in ps_)
shapes = {}

# 1. reader comments inside the article element, marked only by structure
body = paras(7)
comments = "".join(f'<div class="c"><div><a href="/user/{u}">{u}</a> <span>{h} hours ago</span></div><p>{para(1)}</p><div><a href="#">Reply</a> <a href="#">Report</a> <span>{h*3} likes</span></div></div>'
                   for u, h in [("riverwatcher", 2), ("m_thompson", 3), ("oldtown_resident", 5), ("Kate B", 6), ("northbank", 9)])
shapes['comments-plain'] = (page("Embankment repairs delayed again", ps(body) + f'<div><h3>5 comments</h3>{comments}</div>'), body)

# 2. comments with the usual vocabulary, outside the article
body = paras(6)
comments = "".join(f'<li class="comment"><div class="comment-author">{u}</div><div class="comment-date">November 19, 2019 at {h}:14 pm</div><div class="comment-body"><p>{para(1)}</p></div><a class="reply" href="#">Reply</a></li>'
                   for u, h in [("Peter", 2), ("Anne Marie", 3), ("J. Walsh", 5), ("Sam", 6)])
shapes['comments-section'] = (page("Reservoir costs rise by a third", ps(body), after=f'<section id="comments"><h2>Leave a reply</h2><ol class="comment-list">{comments}</ol><form><textarea></textarea><button>Post comment</button></form></section>'), body)

# 3. "most read" list and related teasers inside the article container
body = paras(6)
mostread = '<div><h3>Most read</h3><ol>' + "".join(f'<li><a href="/news/{i}">{h}</a></li>' for i, h in enumerate(HEADLINES[:6])) + '</ol></div>'
teasers = '<div><h3>More from News</h3>' + "".join(f'<div><h4><a href="/n/{i}">{h}</a></h4><p>{sent()}</p></div>' for i, h in enumerate(HEADLINES[2:6])) + '</div>'
shapes['most-read-related'] = (page("Harvest the poorest in a decade", ps(body) + mostread + teasers), body)

# 4. author bio, newsletter pitch and job ads after the article
body = paras(6)
tail = ('<div><p><a href="/author/jane-roe">Jane Roe</a> is the Courier\'s environment correspondent. She has covered the valley\'s floods, farms and water supply since 2009 and previously worked for a regional radio station.</p></div>'
        '<div><h3>Get the morning briefing</h3><p>Sign up to receive the day\'s most important stories in your inbox every weekday morning.</p><form><input type="email" placeholder="Your email"><button>Sign up</button></form></div>'
        '<div><h3>Jobs</h3><ul><li><a href="/jobs/1">Senior accountant, Valley Water</a> Full time, competitive salary</li><li><a href="/jobs/2">Staff nurse, Regional Hospital</a> Part time</li><li><a href="/jobs/3">Delivery driver</a> Flexible hours</li></ul><a href="/jobs">More jobs</a></div>')
shapes['bio-newsletter-jobs'] = (page("Waiting lists fall for the first time in three years", ps(body) + tail), body)

# 5. sidebar with teasers as a sibling of the article body
body = paras(5)
sidebar = '<div class="rail"><h3>Latest</h3>' + "".join(f'<div><a href="/l/{i}">{h}</a><p>{sent()}</p><span>{i+1}h ago</span></div>' for i, h in enumerate(HEADLINES[:5])) + '</div>'
shapes['sidebar'] = (page("Night trains return to the timetable", ps(body), after=sidebar), body)

# 6. the article continues after an embedded tweet
b1, b2 = paras(3), paras(4)
tweet = ('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">The harbour wall inspection starts on Monday. Crossings suspended for a week. '
         '<a href="https://t.co/abc">pic.twitter.com/abc</a></p>&mdash; Valley Ferries (@valleyferries) <a href="https://twitter.com/valleyferries/status/1">November 18, 2019</a></blockquote>'
         '<script async src="https://platform.twitter.com/widgets.js"></script>')
shapes['embedded-tweet'] = (page("Ferry crossing suspended for a week",
    f'<div class="body">{ps(b1)}</div><div class="embed">{tweet}</div><div class="body">{ps(b2)}</div>'), b1 + b2)

# 7. all-caps subheads and a run of short list items in the middle
b1, b2, b3 = paras(3), paras(3), paras(3)
items = ["Two new platforms", "A longer footbridge", "Step-free access", "Forty more cycle racks", "A staffed ticket office"]
html = (ps(b1) + '<p><strong>WHAT HAPPENS NEXT</strong></p>' + ps(b2) + '<p>The plans include:</p><ul>' + "".join(f"<li>{i}</li>" for i in items) + '</ul>'
        + '<h3>THE COST</h3>' + ps(b3))
truth = b1 + ["WHAT HAPPENS NEXT"] + b2 + ["The plans include:"] + items + ["THE COST"] + b3
shapes['caps-subhead-list'] = (page("Station upgrade plans published", html), truth)

# 8. a gallery whose captions repeat in a lightbox, with "Image 1 of N" and "Close"
b1, b2 = paras(3), paras(3)
caps = ["Flood water in the market square on Sunday.", "Volunteers fill sandbags outside the church.", "The river at its highest point since 1998."]
gallery = ('<div class="slideshow">' + "".join(f'<figure><img src="{i}.jpg"><figcaption>{c}</figcaption><span>Image {i+1} of {len(caps)}</span></figure>' for i, c in enumerate(caps))
           + '</div><div class="lightbox" aria-hidden="true">' + "".join(f'<div><span>Image {i+1} of {len(caps)}</span><p>{c}</p><button>Close</button></div>' for i, c in enumerate(caps))
           + '</div><div class="modal">' + "".join(f'<div><p>{c}</p><a href="#">Close</a><span>Image {i+1} of {len(caps)}</span></div>' for i, c in enumerate(caps)) + '</div>')
shapes['gallery'] = (page("Families moved after the flood", ps(b1) + gallery + ps(b2)), b1 + b2)

# 9. pop-up name cards inside paragraphs
b = paras(5)
card = ('<span class="person"><a href="/people/tom-hale">Tom Hale</a><span class="card"><span class="card-name">Tom Hale</span>'
        '<span class="card-role">Member of Parliament for Valley North</span><a href="/follow">Follow</a></span></span>')
p_card = f"The plan was criticised by {card}, who said it would leave the northern villages without a reliable service for years."
truth_card = "The plan was criticised by Tom Hale, who said it would leave the northern villages without a reliable service for years."
shapes['name-card'] = (page("Bus routes cut in the north", ps(b[:2]) + f"<p>{p_card}</p>" + ps(b[2:])), b[:2] + [truth_card] + b[2:])

# 10. old table layout, <font> and <br><br> text without <p>, Windows-1252
b = paras(6)
side = '<td width="160" valign="top" bgcolor="#eeeeee"><font size="1">' + "<br>".join(f'<a href="/n{i}.html">{h}</a>' for i, h in enumerate(HEADLINES)) + '</font></td>'
text = "<br><br>\n".join(b).replace("the ", "the\u00a0", 1)
old = f"""<html><head><title>Valley Courier - Roads budget doubled</title><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>
<body bgcolor="#ffffff"><table width="760" border="0" cellpadding="0" cellspacing="0">
<tr><td colspan="2"><a href="/"><img src="logo.gif" alt="Valley Courier"></a> <font size="1"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a> | <a href="/archive">Archive</a></font></td></tr>
<tr>{side}<td valign="top"><font face="Arial" size="4"><b>Roads budget doubled \u2013 council \u201cdelighted\u201d</b></font><br>
<font size="1">Posted 19/11/2002</font><br><br>
<font face="Arial" size="2">{text}</font><br><br>
<font size="1"><a href="/print.html">Print this story</a> | <a href="/mail.html">Email this story</a></font></td></tr>
<tr><td colspan="2"><font size="1">Copyright 2002 Valley Courier</font></td></tr></table></body></html>
"""
shapes['old-table-font'] = (old.encode('cp1252'), b)

# 11. a page with several articles' teasers around the one article
b = paras(6)
teasers = "".join(f'<div class="story-teaser"><h2><a href="/s/{i}">{h}</a></h2><p>{para(1)}</p><a href="/s/{i}">Read more</a></div>' for i, h in enumerate(HEADLINES[:4]))
shapes['teasers'] = (page("Footbridge inquiry findings due in spring", ps(b), before=f'<div class="top-stories">{teasers[:len(teasers)//2]}</div>',
                           after=f'<div class="more-stories">{teasers}</div>'), b)

# 12. frameset-era page: text in a <div> with <br> runs, <center>, <font>, no <p>
b = paras(5)
fr = f"""<html><head><title>Electric buses carry a million passengers</title></head><body>
<center><font size="5"><b>Electric buses carry a million passengers</b></font></center><hr>
<div align="justify"><font face="Verdana" size="2">{"<br><br>".join(b)}</font></div>
<hr><center><font size="1"><a href="index.html">Back to the index</a> - <a href="news.html">More news</a></font></center>
</body></html>
"""
shapes['br-div'] = (fr, b)

os.makedirs(OUT, exist_ok=True)
for name, (html, truth) in shapes.items():
    mode = 'wb' if isinstance(html, bytes) else 'w'
    with open(f'{OUT}/{name}.html', mode) as f:
        f.write(html)
    with open(f'{OUT}/{name}.truth.txt', 'w') as f:
        f.write("\n\n".join(truth))
print(len(shapes))
