"""Draw the demo catalog's product art as small SVG files the storefront ships (no remote images).

    .venv/bin/python -m tools.draw_product_art     # rewrites frontend/static/frontend/products/*.svg

Each product gets a flat pictogram on its category's colours; the storefront looks the file up by the
product's slug and falls back to a placeholder for products without one.
"""

from pathlib import Path

from django.utils.text import slugify

from catalog.demo import DEMO_CATALOG

OUT = Path(__file__).resolve().parent.parent / "frontend" / "static" / "frontend" / "products"

# category → (background top, background bottom, main colour, accent)
PALETTES = {
    "Kitchen": ("#fde8d7", "#f8cfae", "#3b3f4a", "#d9622b"),
    "Outdoors": ("#dff1e4", "#b9dfc4", "#2c5e3f", "#e0a526"),
    "Home Office": ("#e3e8f8", "#c5cff0", "#2f3a5c", "#5b7be0"),
    "Books": ("#f3e6f5", "#e0c6e6", "#4a2d57", "#c4478a"),
    "Tea & Coffee": ("#f1e7da", "#e0ccb3", "#5a3b22", "#8fae3c"),
    "Stationery": ("#e5f2f5", "#c2e1e8", "#23495a", "#e0583b"),
}

M, A = "{main}", "{accent}"  # filled in per palette
PICTOGRAMS: dict[str, str] = {
    "skillet": f'<circle cx="180" cy="160" r="72" fill="{M}"/><circle cx="180" cy="160" r="56" fill="#555b68"/>'
    f'<rect x="245" y="150" width="105" height="22" rx="11" fill="{M}"/><circle cx="335" cy="161" r="5" fill="#fff"/>',
    "kettle": f'<path d="M140 215 Q130 120 200 110 Q270 120 260 215 Z" fill="{M}"/>'
    f'<rect x="130" y="210" width="140" height="14" rx="7" fill="{M}"/>'
    f'<path d="M148 170 Q100 150 92 110" stroke="{M}" stroke-width="10" fill="none" stroke-linecap="round"/>'
    f'<path d="M170 112 Q200 70 230 112" stroke="{A}" stroke-width="10" fill="none"/>'
    f'<circle cx="200" cy="104" r="8" fill="{A}"/>',
    "knife": f'<path d="M90 175 L270 130 Q300 125 300 150 L300 165 L90 185 Z" fill="#c8ccd4"/>'
    f'<rect x="295" y="143" width="85" height="26" rx="10" fill="{A}"/>'
    f'<circle cx="318" cy="156" r="4" fill="#fff"/><circle cx="350" cy="156" r="4" fill="#fff"/>',
    "board": '<rect x="95" y="95" width="210" height="130" rx="18" fill="#c89b5e"/>'
    '<rect x="115" y="110" width="170" height="100" rx="12" fill="none" stroke="#a77a41" stroke-width="5"/>'
    '<rect x="125" y="85" width="190" height="120" rx="16" fill="#deb47a" opacity=".9"/>'
    '<circle cx="290" cy="110" r="9" fill="#a77a41"/>',
    "dripper": f'<path d="M130 95 L270 95 L235 175 L165 175 Z" fill="#f7f7f7" stroke="{M}" stroke-width="6"/>'
    f'<path d="M150 115 L250 115 M160 135 L240 135 M170 155 L230 155" stroke="{A}" stroke-width="4"/>'
    f'<rect x="140" y="180" width="120" height="55" rx="10" fill="{M}"/>'
    f'<path d="M260 195 Q290 205 260 222" stroke="{M}" stroke-width="8" fill="none"/>',
    "tent": f'<path d="M200 70 L330 230 L70 230 Z" fill="{M}"/><path d="M200 70 L250 230 L150 230 Z" fill="{A}"/>'
    '<path d="M200 130 L225 230 L175 230 Z" fill="#1c3325"/>'
    f'<path d="M50 232 L350 232" stroke="{M}" stroke-width="6"/>',
    "bottle": f'<rect x="165" y="95" width="70" height="145" rx="26" fill="{M}"/>'
    f'<rect x="178" y="68" width="44" height="34" rx="8" fill="{A}"/>'
    f'<rect x="165" y="150" width="70" height="30" fill="{A}" opacity=".55"/>',
    "socks": f'<path d="M150 70 L205 70 L205 175 Q205 225 160 225 L110 225 Q85 225 88 200 Q92 180 120 178 '
    f'L150 170 Z" fill="{M}"/><rect x="150" y="70" width="55" height="22" fill="{A}"/>'
    f'<path d="M230 80 L285 80 L285 185 Q285 235 240 235 L195 235 Q170 235 172 212 Q176 190 205 188 L230 180 Z" '
    f'fill="{A}"/><rect x="230" y="80" width="55" height="22" fill="{M}"/>',
    "jacket": f'<path d="M160 75 L240 75 L300 110 L320 220 L285 225 L275 140 L270 240 L130 240 L125 140 '
    f'L115 225 L80 220 L100 110 Z" fill="{A}"/><path d="M200 85 L200 240" stroke="{M}" stroke-width="5"/>'
    f'<path d="M165 75 Q200 110 235 75" fill="{M}"/>',
    "headlamp": f'<ellipse cx="200" cy="165" rx="130" ry="45" fill="none" stroke="{M}" stroke-width="16"/>'
    f'<rect x="160" y="170" width="80" height="60" rx="14" fill="{A}"/>'
    '<circle cx="200" cy="200" r="20" fill="#fff7c9"/>'
    '<path d="M200 235 L170 280 M200 235 L230 280 M200 235 L200 285" stroke="#fff7c9" stroke-width="5" opacity=".8"/>',
    "keyboard": f'<rect x="65" y="105" width="270" height="110" rx="14" fill="{M}"/>'
    + "".join(
        f'<rect x="{84 + 25 * col}" y="{120 + 24 * row}" width="20" height="18" rx="3" fill="#e9edf8"/>'
        for row in range(3)
        for col in range(10)
    )
    + f'<rect x="130" y="192" width="140" height="14" rx="3" fill="{A}"/>',
    "mouse": f'<path d="M200 75 Q270 80 272 170 Q270 240 200 240 Q130 240 128 170 Q130 80 200 75 Z" fill="{M}"/>'
    f'<path d="M200 78 L200 140" stroke="#e9edf8" stroke-width="5"/><rect x="192" y="100" width="16" height="28" '
    f'rx="8" fill="{A}"/>',
    "stand": f'<rect x="120" y="70" width="160" height="95" rx="8" fill="{M}"/>'
    f'<rect x="130" y="80" width="140" height="75" rx="4" fill="{A}" opacity=".7"/>'
    f'<rect x="70" y="180" width="260" height="22" rx="5" fill="#c89b5e"/>'
    f'<rect x="85" y="200" width="20" height="40" fill="#a77a41"/><rect x="295" y="200" width="20" height="40" '
    f'fill="#a77a41"/><rect x="190" y="165" width="20" height="16" fill="{M}"/>',
    "lamp": f'<rect x="120" y="228" width="110" height="16" rx="8" fill="{M}"/>'
    f'<path d="M175 228 L150 150 L235 95" stroke="{M}" stroke-width="10" fill="none" stroke-linecap="round"/>'
    f'<path d="M215 80 L290 95 L270 145 Z" fill="{A}"/><path d="M270 140 L300 200" stroke="#fff3b0" '
    f'stroke-width="14" opacity=".7" stroke-linecap="round"/>',
    "headphones": f'<path d="M110 185 Q110 75 200 75 Q290 75 290 185" stroke="{M}" stroke-width="16" fill="none"/>'
    f'<rect x="88" y="165" width="50" height="80" rx="18" fill="{A}"/><rect x="262" y="165" width="50" height="80" '
    f'rx="18" fill="{A}"/>',
    "beans": f'<path d="M135 90 L265 90 L280 240 L120 240 Z" fill="{M}"/><rect x="135" y="78" width="130" height="20" '
    f'rx="4" fill="#3e2815"/><rect x="150" y="140" width="100" height="60" rx="8" fill="#f6ecdd"/>'
    + "".join(
        f'<ellipse cx="{x}" cy="{y}" rx="9" ry="13" fill="{M}" transform="rotate(30 {x} {y})"/>'
        for x, y in ((180, 170), (200, 162), (220, 172))
    ),
    "tea": f'<rect x="140" y="90" width="120" height="150" rx="12" fill="{A}"/>'
    f'<rect x="134" y="78" width="132" height="26" rx="8" fill="{M}"/>'
    f'<rect x="155" y="135" width="90" height="60" rx="6" fill="#fdf8ef"/>'
    f'<path d="M200 178 Q175 160 200 145 Q225 160 200 178 Z" fill="{A}"/>',
    "grinder": f'<rect x="150" y="130" width="100" height="110" rx="10" fill="#c89b5e"/>'
    f'<path d="M160 130 L175 90 L225 90 L240 130 Z" fill="{M}"/><rect x="196" y="60" width="8" height="32" fill="{M}"/>'
    f'<path d="M200 62 L270 62" stroke="{M}" stroke-width="8" stroke-linecap="round"/>'
    f'<circle cx="272" cy="62" r="11" fill="{A}"/><circle cx="200" cy="190" r="10" fill="{M}"/>',
    "notebook": f'<rect x="120" y="70" width="160" height="190" rx="8" fill="{M}"/>'
    f'<rect x="128" y="78" width="144" height="174" rx="4" fill="#fbfbf7"/>'
    + "".join(
        f'<circle cx="{140 + 16 * c}" cy="{92 + 16 * r}" r="1.8" fill="#9aa3b5"/>' for r in range(10) for c in range(9)
    )
    + f'<rect x="265" y="70" width="8" height="190" fill="{A}"/>',
    "pen": f'<g transform="rotate(-35 200 160)"><rect x="90" y="145" width="170" height="30" rx="12" fill="{M}"/>'
    f'<rect x="200" y="145" width="14" height="30" fill="{A}"/><path d="M260 147 L305 160 L260 173 Z" fill="#d8c27a"/>'
    f'<path d="M268 160 L300 160" stroke="{M}" stroke-width="2"/></g>',
}
KEYWORDS = [  # the first keyword found in a product's slug picks its pictogram
    ("keyboard", "keyboard"),
    ("skillet", "skillet"),
    ("kettle", "kettle"),
    ("knife", "knife"),
    ("board", "board"),
    ("dripper", "dripper"),
    ("tent", "tent"),
    ("bottle", "bottle"),
    ("socks", "socks"),
    ("shell", "jacket"),
    ("headlamp", "headlamp"),
    ("mouse", "mouse"),
    ("stand", "stand"),
    ("lamp", "lamp"),
    ("headphones", "headphones"),
    ("beans", "beans"),
    ("espresso", "beans"),
    ("tea", "tea"),
    ("leaf", "tea"),
    ("grinder", "grinder"),
    ("notebook", "notebook"),
    ("pen", "pen"),
]
BOOK_TITLE_LINES = 3
BOOK_COVERS = ["#4a2d57", "#1f4e79", "#7a2e2e", "#2d5a3d"]  # one per book, in catalog order


def _book(name: str, main: str, accent: str) -> str:
    """A book standing up, its cover carrying the title."""
    words, lines = name.split(), [""]
    for word in words:
        if len(lines[-1]) + len(word) > 12 and lines[-1]:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    title = "".join(
        f'<text x="210" y="{112 + 26 * i}" font-family="Georgia, serif" font-size="21" fill="#fff" '
        f'text-anchor="middle">{_escape(line)}</text>'
        for i, line in enumerate(lines[:BOOK_TITLE_LINES])
    )
    return (
        f'<rect x="132" y="62" width="160" height="200" rx="6" fill="{main}"/>'
        f'<rect x="132" y="62" width="16" height="200" fill="#000" opacity=".25"/>'
        f'<rect x="160" y="200" width="100" height="6" fill="{accent}"/>{title}'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def draw(name: str, category: str) -> str:
    top, bottom, main, accent = PALETTES[category]
    slug = slugify(name)
    if category == "Books":
        titles = [book["name"] for book in DEMO_CATALOG["Books"]]
        body = _book(name, BOOK_COVERS[titles.index(name) % len(BOOK_COVERS)], accent)
    else:
        kind = next(pictogram for keyword, pictogram in KEYWORDS if keyword in slug)
        body = PICTOGRAMS[kind].format(main=main, accent=accent)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300">'
        f'<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{top}"/>'
        f'<stop offset="1" stop-color="{bottom}"/></linearGradient></defs>'
        '<rect width="400" height="300" fill="url(#bg)"/>'
        '<ellipse cx="200" cy="262" rx="150" ry="14" fill="#000" opacity=".07"/>'
        f"{body}</svg>\n"
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for category, products in DEMO_CATALOG.items():
        for product in products:
            (OUT / f"{slugify(product['name'])}.svg").write_text(draw(product["name"], category))
    print(f"wrote {sum(len(p) for p in DEMO_CATALOG.values())} pictures to {OUT}")


if __name__ == "__main__":
    main()
