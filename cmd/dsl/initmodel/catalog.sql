-- The SQLite source of the datastore Catalog (teams/shop.star): one table
-- per dataset, its columns those of the dataset. Prices are decimal text and
-- times "YYYY-MM-DD HH:MM:SS" text, which the sql platform reads back
-- exactly.
CREATE TABLE products (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    price      TEXT NOT NULL,
    updated_at TEXT
);
INSERT INTO products VALUES
    (1, 'Espresso cup', '4.50', '2026-01-05 09:00:00'),
    (2, 'Teapot', '24.00', '2026-01-05 09:00:00'),
    (3, 'Coffee grinder', '89.90', '2026-01-12 14:30:00'),
    (4, 'Milk jug', '12.75', NULL),
    (5, 'Tea strainer', '3.20', '2026-02-01 08:15:00');
