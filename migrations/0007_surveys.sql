-- Satisfaction surveys (แบบประเมินความพึงพอใจ) the head sends to all parents or all staff. Answers are kept apart
-- from students' records: a survey is about the school, not about a child.

CREATE TABLE survey_rounds (
    id          INTEGER PRIMARY KEY,
    form_id     TEXT NOT NULL,
    audience    TEXT NOT NULL CHECK (audience IN ('parents', 'staff')),
    term        TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);

CREATE TABLE survey_drafts (
    round_id    INTEGER NOT NULL REFERENCES survey_rounds(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    session     TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (round_id, user_id)
);

CREATE TABLE survey_responses (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES survey_rounds(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    -- A parent's answer counts for their (first) child's class, so a teacher sees their own classes' parents.
    class_id      INTEGER REFERENCES classes(id),
    form_version  INTEGER NOT NULL,
    answers       TEXT NOT NULL,
    term          TEXT NOT NULL,
    submitted_at  TEXT NOT NULL,
    UNIQUE (round_id, user_id)
);
CREATE INDEX survey_responses_by_term ON survey_responses(term);
