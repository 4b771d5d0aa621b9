#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of N generated posts, for the import benchmark.

    bench/wxr.py OUT.xml [POSTS]        (default 100000)

Every post has a title, an excerpt, a body of 6 to 14 paragraphs in the block editor's markup
(headings, a quote with its citation, a list, links), two categories out of a tree of 24,
three tags out of 400, one of 40 authors, and a date spread over ten years; a tenth are drafts
and one in fifty is scheduled. The words are drawn from a fixed list with a fixed seed, so the
file is the same on every run. Streams: memory stays small whatever N.
"""

import random
import sys
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

WORDS = (
    "harbour council ferry timetable budget river bridge school teachers strike vote mayor "
    "market farmers rain flood museum library festival stadium season coach league railway "
    "station tunnel hospital nurses clinic minister parliament tax reform housing rents tenants "
    "factory workers union wages energy prices wind solar grid storm coast fishing quota port "
    "airport runway noise residents petition court ruling appeal judge police inquiry report "
    "audit spending deficit growth exports shipping container cargo crane dock tide weather "
    "forecast drought harvest grain bakery bread cafe tourists hotel beds summer winter road "
    "repairs potholes cyclists lanes buses fares tickets commuters delays signals engineers"
).split()

SECTIONS = ["news", "politics", "business", "sport", "culture", "science"]


def sentence(rng, low=8, high=18):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))


def body(rng, n):
    parts = []
    for i in range(n):
        if i == 3:
            parts.append(f"<!-- wp:heading -->\n<h2>{escape(sentence(rng, 3, 6))}</h2>\n<!-- /wp:heading -->")
        if i == 5:
            parts.append(
                "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>"
                f"{escape(sentence(rng))}</p><cite>{escape(sentence(rng, 2, 3))}</cite></blockquote>\n<!-- /wp:quote -->"
            )
        if i == 7:
            items = "".join(f"<li>{escape(sentence(rng, 3, 7))}</li>" for _ in range(3))
            parts.append(f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->")
        text = escape(paragraph(rng))
        if i == 1:
            word = rng.choice(WORDS)
            text += f' See <a href="https://example.org/{word}">{word}</a>.'
        parts.append(f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->")
    return "\n\n".join(parts)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out, posts = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    rng = random.Random(15)
    start = datetime(2016, 1, 1, tzinfo=timezone.utc)
    with open(out, "w", encoding="utf-8") as f:
        w = f.write
        w('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
          'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
          'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
          'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
          '<title>Bench Gazette</title>\n<link>https://bench.example</link>\n'
          '<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_blog_url>https://bench.example</wp:base_blog_url>\n')
        for a in range(40):
            w(f"<wp:author><wp:author_login><![CDATA[writer{a}]]></wp:author_login>"
              f"<wp:author_display_name><![CDATA[Writer {a}]]></wp:author_display_name></wp:author>\n")
        categories = []
        for s in SECTIONS:
            w(f"<wp:category><wp:category_nicename>{s}</wp:category_nicename><wp:category_parent></wp:category_parent>"
              f"<wp:cat_name><![CDATA[{s.capitalize()}]]></wp:cat_name></wp:category>\n")
            categories.append(s)
            for k in range(3):
                child = f"{s}-{k}"
                w(f"<wp:category><wp:category_nicename>{child}</wp:category_nicename>"
                  f"<wp:category_parent>{s}</wp:category_parent>"
                  f"<wp:cat_name><![CDATA[{s.capitalize()} {k}]]></wp:cat_name></wp:category>\n")
                categories.append(child)
        tags = [f"{rng.choice(WORDS)} {rng.choice(WORDS)} {t}" for t in range(400)]
        for p in range(1, posts + 1):
            when = start + timedelta(seconds=rng.randint(0, 10 * 365 * 86400))
            status = "draft" if p % 10 == 0 else ("future" if p % 50 == 7 else "publish")
            if status == "future":
                when = datetime(2031, 1, 1, tzinfo=timezone.utc) + timedelta(hours=p)
            title = sentence(rng, 5, 10).rstrip(".")
            slug = f"post-{p}-" + "-".join(title.lower().split()[:5])
            date = when.strftime("%Y-%m-%d %H:%M:%S")
            cats = rng.sample(categories, 2)
            terms = "".join(
                f'<category domain="category" nicename="{c}"><![CDATA[{c}]]></category>' for c in cats
            ) + "".join(
                f'<category domain="post_tag" nicename="t{t}"><![CDATA[{tags[t]}]]></category>'
                for t in rng.sample(range(len(tags)), 3)
            )
            w(f"<item>\n<title>{escape(title)}</title>\n"
              f"<link>https://bench.example/{when:%Y/%m/%d}/{slug}/</link>\n"
              f"<dc:creator><![CDATA[writer{rng.randrange(40)}]]></dc:creator>\n"
              f"<content:encoded><![CDATA[{body(rng, rng.randint(6, 14))}]]></content:encoded>\n"
              f"<excerpt:encoded><![CDATA[{escape(sentence(rng))}]]></excerpt:encoded>\n"
              f"<wp:post_id>{p}</wp:post_id>\n<wp:post_date_gmt>{date}</wp:post_date_gmt>\n"
              f"<wp:post_name>{slug}</wp:post_name>\n<wp:status>{status}</wp:status>\n"
              f"<wp:post_type>post</wp:post_type>\n{terms}\n</item>\n")
            if p % 10000 == 0:
                print(f"{p} posts", file=sys.stderr)
        w("</channel>\n</rss>\n")


if __name__ == "__main__":
    main()
