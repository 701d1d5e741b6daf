-- The school year (ปีการศึกษา): the rollover that starts each year, invites that can be voided, and what each
-- form's coverage counts in. Every grant of access gets its end.

-- One row per school year started with `dulae year start`: when, by whom, and what it changed (JSON summary).
CREATE TABLE school_years (
    year_be     INTEGER PRIMARY KEY,           -- 2570
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,                 -- 'cli' or 'user:<id>'
    summary     TEXT NOT NULL                  -- JSON: moved, added, archived, assignments ended, …
);

-- An invite can be voided before it is used: its maker was revoked, its student left, a slip was printed again,
-- or the year rolled over. A voided invite never works again.
ALTER TABLE invites ADD COLUMN voided_at TEXT;
ALTER TABLE invites ADD COLUMN void_reason TEXT;  -- 'revoked' | 'reprinted' | 'student_archived' | 'rollover'
CREATE INDEX invites_open_by_student ON invites(student_id) WHERE used_at IS NULL AND voided_at IS NULL;

-- What each kind of form counts its coverage in, as the form files say (`period = "term" | "year"`). Written
-- whenever the forms are loaded, so reports read the school's own files, not a guess.
CREATE TABLE form_periods (
    form_kind  TEXT PRIMARY KEY,
    period     TEXT NOT NULL CHECK (period IN ('term', 'year'))
);
