-- The public figures API reads published_figures a page at a time, grouped and
-- ordered by the group columns in their fixed order (month, direction,
-- category, sector, origin, destination, leaving out those not grouped by),
-- compared byte by byte (COLLATE "C") whatever the database's collation; the
-- primary key, in the database's collation, cannot give that order.
-- PostgreSQL reads a grouping with many groups in order from an index whose
-- leading columns are the grouping's leading columns, sorting only behind
-- them, and stops at the page's end; it hashes groupings with few groups.
-- Without these indexes, over a million figures, a first page of the groupings
-- with hundreds of thousands of groups took 0.6 to 1.9 s; with them, under
-- 0.4 s. Groupings that start at origin or destination have few groups (a few
-- thousand at most) and need none. INCLUDE (count) spares reading the table.
-- +goose Up
CREATE INDEX published_figures_month_c ON published_figures
    (month COLLATE "C", direction COLLATE "C", category COLLATE "C", sector COLLATE "C", origin COLLATE "C", destination COLLATE "C") INCLUDE (count);
CREATE INDEX published_figures_direction_c ON published_figures
    (direction COLLATE "C", category COLLATE "C", sector COLLATE "C", origin COLLATE "C", destination COLLATE "C") INCLUDE (count);
CREATE INDEX published_figures_category_c ON published_figures
    (category COLLATE "C", sector COLLATE "C", origin COLLATE "C", destination COLLATE "C") INCLUDE (count);
CREATE INDEX published_figures_sector_c ON published_figures
    (sector COLLATE "C", origin COLLATE "C", destination COLLATE "C") INCLUDE (count);

-- +goose Down
DROP INDEX published_figures_sector_c;
DROP INDEX published_figures_category_c;
DROP INDEX published_figures_direction_c;
DROP INDEX published_figures_month_c;
