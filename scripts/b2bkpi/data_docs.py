"""Great Expectations' Data Docs that render offline.

GX's pages link Bootstrap, bootstrap-table, jQuery, Font Awesome and Vega from CDNs, load its
logo from S3, and fill the index page's tables with JavaScript (bootstrap-table) from data
written into the page: without a network the index is blank. `make_offline` rewrites every
page after `build_data_docs`: the CDN links are dropped, the project's own small stylesheet
(`static/data_docs_offline.css`, copied to the site's `static/styles/`) is linked instead,
the logo comes from the images GX ships with the site (`static/images/`), and each
JavaScript-filled table is written out as a plain HTML table from the same data. Links to
GX's web site (anchors, not assets) stay.
"""

from __future__ import annotations

import ast
import html
import os
import re
import shutil
from pathlib import Path

STYLESHEET = Path(__file__).with_name("static") / "data_docs_offline.css"
_EXTERNAL_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>\s*')
_EXTERNAL_LINK = re.compile(r'<link[^>]*\shref="https?://[^"]*"[^>]*>\s*')
_GX_LOGO = re.compile(r'https?://great-expectations-web-assets\.[^"\')]*?\.png(\?[^"\')]*)?')
# $('#<id>').bootstrapTable( Object.assign( { columns: [...], data: [...], ...
_TABLE_CALL = re.compile(r"\$\('#(?P<id>[\w-]+)'\)\.bootstrapTable\(\s*Object\.assign\(\s*\{\s*"
                         r"columns: (?P<columns>\[.*?\]),\s*data: (?P<data>\[.*?\]),\s*"
                         r"toolbar:", re.S)


def make_offline(site: Path) -> int:
    """Rewrite every page of the Data Docs site in `site` to use no network; the pages
    rewritten."""
    styles = site / "static" / "styles"
    styles.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STYLESHEET, styles / STYLESHEET.name)
    for sheet in styles.glob("*.css"):  # GX's own sheets, unlinked, still name its S3 logo
        sheet.write_text(_GX_LOGO.sub("../images/logo-long.png", sheet.read_text()))
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        static = Path(os.path.relpath(site / "static", page.parent)).as_posix()
        text = page.read_text(encoding="utf-8")
        text = _EXTERNAL_SCRIPT.sub("", text)
        text = _EXTERNAL_LINK.sub("", text)
        text = _GX_LOGO.sub(f"{static}/images/logo-long.png", text)
        text = text.replace("</head>", f'<link rel="stylesheet" href="{static}/styles/'
                                       f'{STYLESHEET.name}">\n</head>', 1)
        for call in list(_TABLE_CALL.finditer(text)):
            text = _fill_table(text, call)
        page.write_text(text, encoding="utf-8")
    return len(pages)


def _fill_table(text: str, call: re.Match) -> str:
    """The empty `<table id=…></table>` that bootstrap-table would fill, filled."""
    columns = ast.literal_eval(call["columns"])
    rows = ast.literal_eval(call["data"])
    head = "".join(f"<th>{html.escape(column['title'])}</th>" for column in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row, column['field'])}</td>" for column in columns)
        + "</tr>" for row in rows)
    empty = re.compile(rf'(<table\s+id="{call["id"]}"[^>]*>)\s*</table>')
    return empty.sub(lambda m: f"{m[1]}<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
                               "</table>", text, count=1)


def _cell(row: dict, field: str) -> str:
    """A cell's HTML as GX wrote it (already markup), linked to the row's page if it has one."""
    value = str(row.get(field, ""))
    link = row.get("_table_row_link_path")
    return f'<a href="{html.escape(link)}">{value}</a>' if link and "<a " not in value else value
