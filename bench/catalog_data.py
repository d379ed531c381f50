"""A generated catalog of any size, written straight into the catalog's PostgreSQL database.

Names are "<colour> <thing> <number>": a search for one thing matches a twentieth of the catalog, a
category a fifth; every tenth product is off sale, as in a shop that has been running a while.
"""

import psycopg2
import redis

COLOURS = ["Red", "Blue", "Green", "Black", "White", "Grey", "Amber", "Teal", "Olive", "Coral"]
THINGS = [
    "Mug", "Kettle", "Skillet", "Lamp", "Chair", "Desk", "Tent", "Bottle", "Socks", "Jacket",
    "Keyboard", "Mouse", "Notebook", "Pen", "Backpack", "Blanket", "Pillow", "Candle", "Vase", "Clock",
]  # fmt: skip
CATEGORIES = 5
SEARCH = "kettle"
CATEGORY = "bench-2"


def fill(database_url: str, products: int) -> None:
    """Top the generated products up to `products` (in CATEGORIES categories), beside whatever else is there."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_category (name, slug) SELECT 'Bench ' || n, 'bench-' || n "
            "FROM generate_series(1, %s) n ON CONFLICT DO NOTHING",
            [CATEGORIES],
        )
        cursor.execute("SELECT count(*) FROM catalog_product WHERE slug LIKE 'bench-%%'")
        have = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO catalog_product
                (name, slug, description, price, stock, category_id, is_active, image_url, created_at, updated_at)
            SELECT (%(colours)s)[1 + n %% 10] || ' ' || (%(things)s)[1 + (n / 10) %% 20]
                   || ' ' || lpad(n::text, 6, '0'),
                   'bench-' || n,
                   'A generated product for the benchmark, number ' || n || '.',
                   1 + (n %% 200) + 0.90, 1000000,
                   (SELECT id FROM catalog_category WHERE slug = 'bench-' || (1 + n %% %(categories)s)),
                   n %% 10 <> 0, '', now(), now()
            FROM generate_series(%(first)s, %(last)s) n
            """,
            {"colours": COLOURS, "things": THINGS, "categories": CATEGORIES, "first": have + 1, "last": products},
        )
        cursor.execute("ANALYZE catalog_product")


def forget_cached(cache_url: str) -> None:
    """Drop what the shop cached: the rows above were written behind its back, not through its services."""
    base, _, query = cache_url.partition("?")
    prefix = dict(part.split("=", 1) for part in query.split("&") if part).get("key_prefix", "")
    client = redis.Redis.from_url(base)
    for key in client.scan_iter(f"{prefix}:*" if prefix else "*"):
        client.delete(key)
