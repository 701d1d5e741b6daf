-- The school's own academic terms (ภาคเรียน), so "this term" means the school's dates, not a guess.
-- Dates are local (Asia/Bangkok) ISO dates 'YYYY-MM-DD'; a term without a row here follows the national calendar.

CREATE TABLE terms (
    name        TEXT PRIMARY KEY,              -- '2/2569'
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (starts_on <= ends_on)
);
CREATE INDEX terms_by_dates ON terms(starts_on, ends_on);
