"""The words product names are made of, one vocabulary per product family.

A :class:`Family` is a category of goods (``Home & Kitchen``) with the nouns that are sold in it
(``Kettle``, ``Skillet``), the features that describe them (``Stainless``, ``Cast Iron``),
adjectives, the words that point to it in a user's own category names or table comments
(``kitchen``, ``cookware``) and a few lines of description. Nouns never repeat across families,
so a product name tells its family; brands and series words are shared::

    >>> FAMILIES["home_kitchen"].nouns[:3]
    ('Kettle', 'Skillet', 'Saucepan')
    >>> FAMILIES["software"].categories
    ('Software', 'Analytics', 'Security', 'Collaboration', 'Developer Tools', 'Infrastructure')

Adding a family is adding one entry; :mod:`.products` builds the generators from these lists.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BRANDS", "FAMILIES", "SERIES", "Family"]


@dataclass(frozen=True)
class Family:
    """One product family and its vocabulary."""

    key: str
    categories: tuple[str, ...]
    """Category names of the family (the first is its default category)."""
    keywords: tuple[str, ...]
    """Lower-case words that point to the family in category names and comments."""
    nouns: tuple[str, ...]
    features: tuple[str, ...]
    adjectives: tuple[str, ...]
    uses: tuple[str, ...]
    """What the goods are for, as the end of a sentence ("everyday cooking")."""
    formats: str = "goods"
    """``goods`` (brand, adjective, feature, noun) or ``software`` (brand, feature, noun, edition)."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(",") if w.strip())


_GOODS_ADJECTIVES = _words(
    "Compact, Portable, Premium, Classic, Modern, Everyday, Lightweight, Heavy-Duty, Deluxe, Essential, "
    "Ergonomic, Rugged, Sleek, Handcrafted, Vintage, Professional, Foldable, Adjustable, Durable, Slim")

_FAMILIES = (
    Family("electronics", ("Electronics",), _words("electronics, electronic, audio, gadget, gadgets, tech, devices"),
           _words("Headphones, Earbuds, Bluetooth Speaker, Soundbar, Smartwatch, Fitness Tracker, Power Bank, "
                  "Wall Charger, Charging Cable, Dash Cam, Action Camera, Projector, Turntable, E-Reader, "
                  "Walkie Talkies, Radio, Streaming Stick, Smart Plug, Doorbell Camera, Drone"),
           _words("Wireless, Noise-Cancelling, Waterproof, Fast-Charge, Bluetooth, Solar, Magnetic, Retro, "
                  "Touchscreen, Voice-Controlled, Stereo, Hi-Fi, Dual-Band, Rechargeable, Smart"),
           _GOODS_ADJECTIVES, _words("music on the go, a connected home, travel, long commutes, the living room")),
    Family("computers", ("Computers",), _words("computers, computer, laptops, laptop, pc, peripherals"),
           _words("Laptop, Desktop Tower, Monitor, Keyboard, Mouse, Webcam, Router, USB Hub, Docking Station, "
                  "External SSD, Hard Drive, Graphics Tablet, Laptop Stand, Mesh Wi-Fi System, Memory Card, "
                  "Printer, Scanner, Network Switch, Mini PC, Keyboard Cover"),
           _words("Mechanical, Backlit, 4K, Curved, Ultrawide, Gaming, USB-C, Thunderbolt, Low-Profile, Silent, "
                  "High-Speed, Wi-Fi, Ethernet, Multi-Device, Vertical"),
           _GOODS_ADJECTIVES, _words("the home office, gaming, remote work, students, creative work")),
    Family("home_kitchen", ("Home & Kitchen",), _words("kitchen, home, cookware, kitchenware, household, dining"),
           _words("Kettle, Skillet, Saucepan, Dutch Oven, Knife Set, Cutting Board, Mixing Bowls, Food Storage Set, "
                  "Coffee Grinder, French Press, Teapot, Dinnerware Set, Cutlery Set, Baking Sheet, Spice Rack, "
                  "Colander, Salad Spinner, Wine Glasses, Apron, Oven Mitts"),
           _words("Stainless Steel, Cast Iron, Ceramic, Non-Stick, Glass, Copper, Bamboo, Enamel, Porcelain, "
                  "Silicone, Carbon Steel, Acacia Wood, Marble, Stoneware, Borosilicate"),
           _GOODS_ADJECTIVES, _words("everyday cooking, family dinners, weekend baking, small kitchens, entertaining")),
    Family("appliances", ("Appliances",), _words("appliances, appliance, white goods"),
           _words("Blender, Toaster, Microwave, Air Fryer, Stand Mixer, Food Processor, Espresso Machine, "
                  "Rice Cooker, Slow Cooker, Dishwasher, Refrigerator, Washing Machine, Tumble Dryer, Vacuum Cleaner, "
                  "Robot Vacuum, Dehumidifier, Air Purifier, Space Heater, Ceiling Fan, Steam Iron"),
           _words("Cordless, Digital, Programmable, Energy-Saving, Inverter, High-Power, Quiet, Bagless, "
                  "Countertop, Built-In, Multi-Function, Turbo, Convection, Steam, Frost-Free"),
           _GOODS_ADJECTIVES, _words("busy households, small apartments, everyday chores, healthy cooking")),
    Family("furniture", ("Furniture",), _words("furniture, furnishings, sofa, decor, interior, interiors"),
           _words("Sofa, Armchair, Dining Table, Coffee Table, Bookshelf, Wardrobe, Bed Frame, Nightstand, "
                  "Office Chair, Standing Desk, TV Stand, Bar Stool, Ottoman, Dresser, Shoe Cabinet, Bench, "
                  "Sideboard, Recliner, Floor Lamp, Room Divider"),
           _words("Oak, Walnut, Velvet, Linen, Rattan, Teak, Pine, Upholstered, Tufted, Mid-Century, "
                  "Scandinavian, Industrial, Reclaimed Wood, Leather, Wrought Iron"),
           _GOODS_ADJECTIVES, _words("the living room, a home office, small spaces, guest rooms, family homes")),
    Family("garden", ("Garden",), _words("garden, gardening, outdoor, patio, lawn, yard, plants"),
           _words("Planter, Garden Hose, Pruning Shears, Lawn Mower, Leaf Blower, Wheelbarrow, Watering Can, "
                  "Raised Bed, Compost Bin, Bird Feeder, Patio Umbrella, Garden Bench, Hedge Trimmer, Trowel, "
                  "Greenhouse, Seed Starter Kit, Sprinkler, Rain Barrel, Hammock, Fire Pit"),
           _words("Galvanized, Terracotta, Weatherproof, Expandable, Self-Watering, Solar-Powered, Telescopic, "
                  "Hanging, Raised, Recycled, Frost-Proof, Battery-Powered, Powder-Coated, Cedar"),
           _GOODS_ADJECTIVES, _words("small balconies, vegetable gardens, weekend gardeners, the patio")),
    Family("books", ("Books",), _words("books, book, publishing, publisher, bookstore, literature, reading"),
           _words("Cookbook, Field Guide, Travel Guide, Atlas, Workbook, Novel, Anthology, Biography, Memoir, "
                  "Handbook, Dictionary, Poetry Collection, Picture Book, Textbook, Graphic Novel, Essay Collection, "
                  "Almanac, Encyclopedia, Short Story Collection, Study Guide"),
           _words("Hardcover, Paperback, Illustrated, Pocket, Large Print, Annotated, Spiral-Bound, Boxed, "
                  "Collector's, Revised, Bilingual, Unabridged, Signed, First-Edition"),
           _words("Complete, Essential, Classic, Modern, Concise, Definitive, Practical, Beginner's, Advanced, "
                  "Little, Big"),
           _words("curious readers, students, book clubs, long evenings, gift giving")),
    Family("apparel", ("Clothing",), _words("clothing, clothes, apparel, fashion, garments, wear, menswear, womenswear"),
           _words("T-Shirt, Hoodie, Sweater, Cardigan, Jeans, Chinos, Dress, Skirt, Blazer, Rain Jacket, Parka, "
                  "Polo Shirt, Flannel Shirt, Leggings, Shorts, Pajama Set, Scarf, Beanie, Gloves, Socks"),
           _words("Cotton, Merino Wool, Linen, Denim, Fleece, Cashmere, Organic Cotton, Corduroy, Waterproof Shell, "
                  "Jersey, Twill, Quilted, Ribbed, Oversized, Slim-Fit"),
           _GOODS_ADJECTIVES, _words("everyday wear, cold mornings, the office, weekends, travel")),
    Family("shoes", ("Shoes",), _words("shoes, shoe, footwear, sneakers, boots"),
           _words("Sneakers, Running Shoes, Hiking Boots, Chelsea Boots, Loafers, Sandals, Slippers, Oxfords, "
                  "Espadrilles, Clogs, Ankle Boots, Trail Runners, Mules, Rain Boots, Derby Shoes, Slip-Ons, "
                  "Court Shoes, Boat Shoes, Walking Shoes, Flip-Flops"),
           _words("Suede, Leather Upper, Canvas, Knit, Vegan Leather, Gore-Tex, Memory Foam, Cushioned, Lace-Up, "
                  "Wide-Fit, Non-Slip, Breathable, Insulated, Handstitched"),
           _GOODS_ADJECTIVES, _words("long walks, the trail, city streets, the office, rainy days")),
    Family("jewelry", ("Jewelry",), _words("jewelry, jewellery, jeweler, watches, accessories"),
           _words("Necklace, Pendant, Bracelet, Bangle, Earrings, Ring, Cufflinks, Brooch, Anklet, Charm, "
                  "Wristwatch, Locket, Hoop Earrings, Signet Ring, Tie Clip, Chain, Choker, Stud Earrings, "
                  "Jewelry Box, Hair Clip"),
           _words("Sterling Silver, Gold-Plated, Rose Gold, Pearl, Diamond, Sapphire, Emerald, Opal, Platinum, "
                  "Titanium, Engraved, Beaded, Filigree, Birthstone"),
           _words("Delicate, Classic, Minimalist, Statement, Vintage, Handmade, Elegant, Dainty, Bold, Timeless"),
           _words("special occasions, everyday elegance, anniversaries, gift giving")),
    Family("sports", ("Sports & Outdoors",), _words("sports, sport, outdoors, outdoor, fitness, gym, camping, hiking"),
           _words("Tent, Sleeping Bag, Yoga Mat, Dumbbell Set, Kettlebell, Resistance Bands, Jump Rope, Bike Helmet, "
                  "Water Bottle, Trekking Poles, Camping Stove, Headlamp, Backpack, Foam Roller, Tennis Racket, "
                  "Soccer Ball, Basketball, Golf Balls, Climbing Harness, Kayak Paddle"),
           _words("Insulated, Ultralight, Ripstop, Non-Slip Grip, Quick-Dry, Shockproof, Reflective, Inflatable, "
                  "Carbon Fiber, Aluminum, Collapsible, All-Weather, Thermal, Padded"),
           _GOODS_ADJECTIVES, _words("weekend hikes, home workouts, the gym, camping trips, training")),
    Family("toys", ("Toys & Games",), _words("toys, toy, games, kids, children, puzzle, puzzles"),
           _words("Building Blocks, Jigsaw Puzzle, Board Game, Card Game, Plush Bear, Doll House, Train Set, "
                  "Race Car Set, Kite, Science Kit, Play Kitchen, Marble Run, Toy Robot, Puppet Theater, "
                  "Stacking Rings, Rocking Horse, Craft Kit, Magnetic Tiles, Water Blaster, Spinning Top"),
           _words("Wooden, Magnetic, Musical, Glow-in-the-Dark, Remote-Control, Educational, Interactive, "
                  "Giant, Pocket-Sized, Rainbow, Stackable, Light-Up, Cooperative, Strategy"),
           _words("Colorful, Classic, Little, Big, Creative, Clever, Happy, Curious, Mighty, Tiny"),
           _words("family game night, rainy afternoons, curious kids, birthday parties")),
    Family("beauty", ("Beauty",), _words("beauty, cosmetics, skincare, makeup, salon, spa"),
           _words("Moisturizer, Face Serum, Cleanser, Night Cream, Eye Cream, Lip Balm, Sunscreen, Face Mask, "
                  "Toner, Body Lotion, Shampoo, Conditioner, Hair Oil, Perfume, Nail Polish, Mascara, Lipstick, "
                  "Foundation, Bath Salts, Hand Cream"),
           _words("Hyaluronic, Vitamin C, Retinol, Rose, Lavender, Argan Oil, Shea Butter, Aloe, Charcoal, "
                  "Fragrance-Free, Hydrating, Matte, Tinted, Coconut"),
           _words("Gentle, Daily, Intensive, Soothing, Nourishing, Radiant, Pure, Fresh, Silky, Clarifying"),
           _words("daily routines, sensitive skin, a spa evening, dry winters")),
    Family("health", ("Health",), _words("health, wellness, pharmacy, medical, vitamins, supplements, care"),
           _words("Multivitamin, Vitamin D, Omega-3 Capsules, Protein Powder, First Aid Kit, Thermometer, "
                  "Blood Pressure Monitor, Heating Pad, Massage Gun, Toothbrush, Water Flosser, Pill Organizer, "
                  "Knee Brace, Probiotic, Magnesium Tablets, Electrolyte Mix, Eye Drops, Pulse Oximeter, "
                  "Sleep Mask, Ear Plugs"),
           _words("Sugar-Free, Vegan, Clinical-Strength, Extra-Strength, Sonic, Infrared, Orthopedic, Gluten-Free, "
                  "Slow-Release, Chewable, Unflavored, Travel-Size, Hypoallergenic"),
           _words("Daily, Gentle, Advanced, Complete, Essential, Natural, Active, Balanced, Restful, Total"),
           _words("daily wellness, recovery, better sleep, active lifestyles")),
    Family("grocery", ("Grocery",), _words("grocery, groceries, food, foods, pantry, snacks, beverages, gourmet"),
           _words("Coffee Beans, Olive Oil, Granola, Green Tea, Pasta, Honey, Dark Chocolate, Hot Sauce, "
                  "Peanut Butter, Maple Syrup, Trail Mix, Rice, Balsamic Vinegar, Oatmeal, Sea Salt, Jam, "
                  "Crackers, Sparkling Water, Almonds, Tomato Sauce"),
           _words("Organic, Roasted, Smoked, Wild, Raw, Extra Virgin, Stone-Ground, Spicy, Salted, Unsweetened, "
                  "Single-Origin, Cold-Pressed, Wholegrain, Small-Batch"),
           _words("Artisan, Classic, Fresh, Gourmet, Farmhouse, Rustic, Premium, Hearty, Golden, Mediterranean"),
           _words("the pantry, quick breakfasts, family meals, snacking, home cooks")),
    Family("automotive", ("Automotive",), _words("automotive, car, cars, vehicle, vehicles, auto, motor"),
           _words("Floor Mats, Seat Covers, Jump Starter, Tire Inflator, Car Charger, Phone Mount, Wiper Blades, "
                  "Roof Rack, Car Wax, Trunk Organizer, Steering Wheel Cover, Tow Strap, Battery Tester, "
                  "Headlight Bulbs, Tire Pressure Gauge, Air Freshener, Sunshade, Snow Brush, Cargo Liner, "
                  "Backup Camera"),
           _words("All-Season, Heavy-Gauge, LED, Universal-Fit, Quick-Release, Digital Display, Weather-Resistant, "
                  "Anti-Glare, Microfiber, Carbon Look, High-Visibility, 12-Volt"),
           _GOODS_ADJECTIVES, _words("road trips, daily commutes, winter driving, car care")),
    Family("office", ("Office Supplies",), _words("office, stationery, supplies, paper, desk, school"),
           _words("Notebook, Stapler, Binder, Desk Organizer, Pen Set, Label Maker, Whiteboard, Paper Shredder, "
                  "Sticky Notes, File Folders, Desk Lamp, Letter Tray, Highlighters, Calculator, Envelopes, "
                  "Clipboard, Tape Dispenser, Bulletin Board, Mouse Pad, Document Box"),
           _words("Recycled Paper, Dot-Grid, Refillable, Gel Ink, Magnetic Strip, Cross-Cut, Leatherette, "
                  "Color-Coded, Transparent, Desktop, Wall-Mounted, Acid-Free"),
           _GOODS_ADJECTIVES, _words("a tidy desk, meetings, school days, the home office")),
    Family("pets", ("Pet Supplies",), _words("pet, pets, dog, dogs, cat, cats, veterinary, animal"),
           _words("Dog Bed, Cat Tree, Leash, Dog Collar, Pet Carrier, Chew Toy, Litter Box, Scratching Post, "
                  "Food Bowl, Pet Fountain, Grooming Brush, Dog Harness, Aquarium, Bird Cage, Treat Pouch, "
                  "Cat Flap, Pet Gate, Dog Crate, Fish Food, Cat Tunnel"),
           _words("Orthopedic Foam, Chew-Resistant, Reflective Strap, Washable, Self-Cleaning, Calming, "
                  "No-Pull, Escape-Proof, Plush Lined, Stainless Bowl, Catnip"),
           _GOODS_ADJECTIVES, _words("happy pets, daily walks, indoor cats, new puppies")),
    Family("music", ("Music",), _words("music, musical, instruments, instrument, band, studio"),
           _words("Acoustic Guitar, Electric Guitar, Ukulele, Keyboard Piano, Drum Pad, Violin, Cajon, Harmonica, "
                  "Microphone, Guitar Strings, Capo, Metronome, Music Stand, Audio Interface, Studio Monitors, "
                  "Guitar Amp, Effects Pedal, Drumsticks, Vinyl Record, Tuner"),
           _words("Solid Spruce, Mahogany, Rosewood, Condenser, Dynamic, Tube, Analog, Left-Handed, Beginner, "
                  "Tour-Grade, Nylon-String, Steel-String, Maple Neck"),
           _GOODS_ADJECTIVES, _words("beginners, home studios, live gigs, practice sessions")),
    Family("tools", ("Tools",), _words("tools, tool, hardware, diy, workshop, construction, repair"),
           _words("Cordless Drill, Impact Driver, Circular Saw, Jigsaw, Angle Grinder, Socket Set, Wrench Set, "
                  "Screwdriver Set, Tool Box, Tape Measure, Spirit Level, Claw Hammer, Utility Knife, Workbench, "
                  "Stud Finder, Sander, Heat Gun, Pliers Set, Glue Gun, Multimeter"),
           _words("Brushless, 18V, Chrome Vanadium, Magnetic Tip, Ratcheting, Laser-Guided, Variable-Speed, "
                  "Fiberglass, Drop-Forged, Corded, Keyless, Anti-Vibration"),
           _GOODS_ADJECTIVES, _words("weekend projects, the workshop, home repairs, contractors")),
    Family("baby", ("Baby",), _words("baby, babies, infant, infants, nursery, toddler, toddlers"),
           _words("Stroller, Car Seat, Baby Monitor, High Chair, Crib, Diaper Bag, Baby Carrier, Bottle Set, "
                  "Pacifier, Teether, Play Mat, Bouncer, Swaddle Blanket, Bath Tub, Changing Pad, Sippy Cup, "
                  "Baby Gate, Night Light, Bib Set, Onesie Set"),
           _words("Organic Muslin, BPA-Free, Convertible, Lightweight Frame, Machine-Washable, Soft-Touch, "
                  "Anti-Colic, Breathable Mesh, Reversible, Travel"),
           _words("Gentle, Cozy, Little, Snug, Sweet, Soft, Happy, Tiny, Safe, Dreamy"),
           _words("new parents, the nursery, naptime, family outings")),
    Family("video_games", ("Video Games",), _words("video, games, gaming, console, consoles, esports"),
           _words("Game Controller, Gaming Headset, Console Stand, Racing Wheel, Arcade Stick, Gaming Chair, "
                  "Charging Dock, Capture Card, VR Headset, Gaming Mouse Pad, Controller Grips, Game Card Case, "
                  "Flight Stick, Thumb Grips, Gamepad"),
           _words("RGB, Wireless, Low-Latency, Surround, Haptic, Tournament, Retro-Style, Hall-Effect, "
                  "Cooling, Tactile"),
           _GOODS_ADJECTIVES, _words("late-night sessions, competitive play, couch co-op, streamers")),
    Family("crafts", ("Crafts",), _words("crafts, craft, hobby, hobbies, art, arts, sewing, knitting"),
           _words("Watercolor Set, Sketch Pad, Acrylic Paints, Paint Brushes, Easel, Knitting Needles, Yarn, "
                  "Embroidery Kit, Sewing Machine, Fabric Bundle, Glitter Set, Clay Kit, Calligraphy Pens, "
                  "Origami Paper, Beading Kit, Cutting Mat, Stencil Set, Canvas Panels, Crochet Hooks, Glue Sticks"),
           _words("Artist-Grade, Pastel, Metallic, Neon, Washi, Chunky, Fine-Tip, Quick-Dry Paint, Heavyweight, "
                  "Pre-Stretched, Non-Toxic"),
           _words("Creative, Colorful, Starter, Complete, Deluxe, Handy, Little, Studio, Classic, Bright"),
           _words("rainy afternoons, beginners, gift makers, art classes")),
    Family("software", ("Software", "Analytics", "Security", "Collaboration", "Developer Tools", "Infrastructure"),
           _words("software, saas, cloud, platform, app, apps, subscription, subscriptions, license, licenses, "
                  "licensing, digital"),
           _words("Analytics, Dashboards, Backup, Firewall, Identity, Messaging, Workspace, Scheduler, CRM, "
                  "Helpdesk, Billing, Payroll, Data Warehouse, API Gateway, Monitoring, Log Search, Password Vault, "
                  "Video Meetings, Form Builder, Task Boards"),
           _words("Realtime, Serverless, Managed, Secure, Automated, Self-Hosted, Multi-Cloud, Collaborative, "
                  "Predictive, Open, Distributed, Edge"),
           _words("Cloud, Enterprise, Team, Business, Starter, Growth, Ultimate, Standard"),
           _words("growing teams, enterprises, startups, remote work, regulated industries"),
           formats="software"),
    Family("general", ("General Merchandise",), _words("general, merchandise, misc, miscellaneous, other, gifts"),
           _words("Gift Set, Starter Kit, Bundle, Organizer, Storage Box, Tote Bag, Travel Kit, Accessory Pack, "
                  "Refill Pack, Display Stand, Multi-Tool, Keychain, Umbrella, Throw Blanket, Scented Candle, "
                  "Picture Frame, Wall Clock, Coasters, Vase, Wall Mirror"),
           _words("Reusable, Eco-Friendly, Personalized, Limited, Seasonal, Giftable, Space-Saving, Stackable Set"),
           _GOODS_ADJECTIVES, _words("everyday life, gift giving, the home, busy days")),
)

FAMILIES: dict[str, Family] = {f.key: f for f in _FAMILIES}

SERIES = _words("Pro, Max, Plus, Lite, Elite, Signature, Studio, Select, Prime, Go, Air, Neo, Ultra, Duo")
"""Series words that may end a product name (``Norix Kettle Pro``)."""

_FIRST = _words("Nor, Vel, Zen, Aur, Kal, Lum, Ori, Sol, Ter, Vio, Bri, Cal, Dar, Eli, Fen, Gal, Hal, Ith, Jor, "
                "Kev, Lor, Mar, Nev, Ost, Pel, Quin, Ros, Sav, Tal, Ulm, Var, Wyn, Xan, Yor, Zel")
_SECOND = _words("ix, ora, ent, ova, ex, is, io, una, ar, eon")
BRANDS = tuple(a + b for a in _FIRST for b in _SECOND)
"""Invented brand names (``Norix``, ``Velora``): 350, none of them a word of the families."""
