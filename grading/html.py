"""Shared pieces of NetWise's offline HTML (feedback and report): no scripts, no outside files."""

from __future__ import annotations

from html import escape

CSS = """
:root { color-scheme: light; --ok: #1b7a3d; --part: #9a6700; --bad: #b42318; --ink: #1f2328; --muted: #57606a; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 60rem; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; } h2 { font-size: 1.3rem; margin-top: 2rem; } h3 { font-size: 1.1rem; }
.muted { color: var(--muted); } .score { font-weight: 700; white-space: nowrap; }
.ok { color: var(--ok); } .partly { color: var(--part); } .bad { color: var(--bad); }
.notice { border-left: 4px solid var(--part); background: #fff8e6; padding: .5rem .75rem; margin: .5rem 0; }
.activity { border: 1px solid #d0d7de; border-radius: .5rem; padding: .75rem 1rem; margin: 1rem 0; }
.activity header { display: flex; justify-content: space-between; gap: 1rem; align-items: baseline; }
.quote { background: #f6f8fa; border-radius: .35rem; padding: .4rem .6rem; margin: .25rem 0; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } svg { max-width: 100%; height: auto; } svg text { font-family: inherit; }
ul { padding-left: 1.25rem; }
@media print { .activity { break-inside: avoid; } }
"""


def e(text: object) -> str:
    return escape(str(text), quote=True)


def page(lang: str, title: str, body: str) -> str:
    # A strict CSP in the page itself: even a stray URL in content can never load anything.
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def points(value: float) -> str:
    return f"{value:g}"
