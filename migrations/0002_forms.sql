-- Forms: drafts saved after every answer, submitted records that keep the form version they were made with,
-- and photos (Telegram's file id plus a local copy).

-- A form being filled in: one per person, student and form. The session is the engine's JSON.
CREATE TABLE form_drafts (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    student_id  INTEGER NOT NULL REFERENCES students(id),
    form_id     TEXT NOT NULL,
    session     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, student_id, form_id)
);

-- A submitted form. Never edited: a correction is a new submission, the latest one counts.
CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY,
    form_id        TEXT NOT NULL,
    form_version   INTEGER NOT NULL,
    form_kind      TEXT NOT NULL,              -- 'screening' | 'home_visit' | 'survey' | …
    student_id     INTEGER NOT NULL REFERENCES students(id),
    term           TEXT NOT NULL,              -- '2/2569'
    answers        TEXT NOT NULL,              -- JSON, as the engine stores them
    score          TEXT,                       -- JSON score result (screening)
    overall_group  TEXT,                       -- 'normal' | 'risk' | 'problem' (screening)
    submitted_by   INTEGER NOT NULL REFERENCES users(id),
    submitted_at   TEXT NOT NULL
);
CREATE INDEX submissions_by_student ON submissions(student_id, form_kind, submitted_at);
CREATE INDEX submissions_by_term ON submissions(term, form_kind);

-- Photos sent during a form. The local copy is fetched in the background (signal may be poor when the photo
-- is taken); until then `local_path` is NULL.
CREATE TABLE photos (
    file_id         TEXT PRIMARY KEY,
    file_unique_id  TEXT,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    student_id      INTEGER REFERENCES students(id),
    received_at     TEXT NOT NULL,
    local_path      TEXT,
    fetched_at      TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX photos_to_fetch ON photos(received_at) WHERE local_path IS NULL;
