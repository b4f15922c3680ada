"""Visible English left outside {% translate %} in a template: the lint behind test_templates."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

# Staff-only pages (the Wagtail admin's own language applies), benchmarks, and text a learner never
# reads as English prose.
SKIPPED = (
    "wagtailadmin/", "courses/admin/", "reports/", "certificates/admin/", "bench/", "lti/",
    "enrollments/admin/", "organizations/admin/", "xapi/admin/",
)  # fmt: skip

_BLOCKTRANS = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
_COMMENT = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}"
    r"|{%\s*block (?:body|main)_class\s*%}.*?{%\s*endblock[^%]*%}",
    re.S,
)
_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_HTML = re.compile(r"<[^>]*>", re.S)
_ATTRS = re.compile(r'\b(?:alt|title|placeholder|aria-label)="([^"{]*[A-Za-z]{3}[^"{]*)"')
# Words a learner reads the same in both languages (codes, brands, symbols).
_ALLOWED = re.compile(
    r"^(?:[\W\d_]+|SNMMI|ICH|PDF|CSV|QR|CTN|CMIIT|GCP|SUV|JSON|JWT|SHA-256|LinkedIn|Open Badges?|"
    r"ARRT|NMTCB|ABNM|ABR|min|OK|E6|[A-Z]{2,6}(?:[-\s][A-Z0-9]{1,6})?)$"
)


def untranslated(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = _COMMENT.sub(" ", text)
    text = _BLOCKTRANS.sub(" ", text)
    text = _SCRIPT.sub(" ", text)
    found = [f"attribute: {value}" for value in _ATTRS.findall(text)]
    text = _TAG.sub("\n", text)
    text = _HTML.sub("\n", text)
    for line in text.splitlines():
        line = line.strip()
        if line and re.search(r"[A-Za-z]{2}", line) and not _ALLOWED.match(line):
            found.append(line)
    return found


def learner_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*")
        if path.suffix in {".html", ".txt"}
        and not str(path.relative_to(TEMPLATES)).startswith(SKIPPED)
    )


if __name__ == "__main__":
    for path in learner_templates():
        for line in untranslated(path):
            print(f"{path.relative_to(ROOT)}: {line[:120]}")
