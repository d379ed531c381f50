"""The demo shop that `manage.py seed_demo` loads: (category, [(name, description, price, stock)])."""

DEMO_CATALOG: dict[str, list[tuple[str, str, str, int]]] = {
    "Kitchen": [
        ('Cast Iron Skillet 10"', "Pre-seasoned skillet that goes from stovetop to oven to campfire.", "34.90", 40),
        ("Pour-Over Coffee Kettle", "Gooseneck kettle with a built-in thermometer for a steady pour.", "42.00", 25),
        ("Chef's Knife 8\"", "High-carbon stainless steel blade, full tang, balanced walnut handle.", "79.00", 18),
        ("Bamboo Cutting Board Set", "Three nesting boards with juice grooves; kind to your knife edges.", "27.50", 60),
        ("Ceramic Pour-Over Dripper", "Ribbed porcelain dripper for a clean, bright cup of coffee.", "19.00", 35),
    ],
    "Outdoors": [
        ("Ultralight Trail Tent", "Two-person, three-season tent that packs down to the size of a loaf.", "249.00", 8),
        ("Insulated Water Bottle 750 ml", "Keeps drinks cold for 24 hours or hot for 12.", "29.95", 120),
        ("Merino Hiking Socks", "Cushioned merino wool socks that stay fresh on long days.", "18.00", 200),
        ("Packable Rain Shell", "Waterproof, breathable jacket that stuffs into its own pocket.", "119.00", 22),
        ("Headlamp 400 Lumen", "Rechargeable headlamp with red night-vision mode.", "39.00", 45),
    ],
    "Home Office": [
        ("Mechanical Keyboard TKL", "Tenkeyless keyboard with hot-swappable tactile switches.", "129.00", 30),
        ("Ergonomic Mouse", "Vertical mouse that keeps your wrist in a handshake position.", "59.00", 50),
        ("Oak Monitor Stand", "Solid oak riser with room for a keyboard underneath.", "89.00", 15),
        ("Desk Lamp with Dimmer", "Warm-to-cool LED lamp with a flicker-free dimmer.", "64.50", 28),
        ("Noise-Cancelling Headphones", "Over-ear headphones with 30 hours of battery life.", "199.00", 12),
    ],
    "Books": [
        ("The Pragmatic Programmer", "The classic on craftsmanship, 20th anniversary edition.", "44.99", 40),
        ("Designing Data-Intensive Applications", "The big ideas behind reliable, scalable systems.", "54.99", 33),
        ("Kubernetes Up & Running", "Dive into the future of infrastructure.", "49.99", 27),
        ("Two Scoops of Django", "Best practices for the Django web framework.", "39.95", 19),
    ],
    "Tea & Coffee": [
        ("Single-Origin Ethiopian Beans 250 g", "Washed Yirgacheffe with notes of jasmine and bergamot.", "16.50", 80),
        ("Sencha Green Tea 100 g", "First-flush Japanese sencha, grassy and sweet.", "12.00", 70),
        ("Earl Grey Loose Leaf 100 g", "Ceylon black tea with cold-pressed bergamot oil.", "9.90", 90),
        ("Espresso Blend 1 kg", "Chocolatey house blend roasted for espresso and moka pots.", "38.00", 24),
        ("Hand Coffee Grinder", "Conical steel burrs with 40 click settings.", "69.00", 14),
    ],
    "Stationery": [
        ("Dot Grid Notebook A5", "192 numbered pages of 100 gsm paper that fountain pens love.", "21.00", 150),
        ("Fountain Pen Starter Kit", "Steel-nib pen with a converter and three ink cartridges.", "32.00", 36),
    ],
}
