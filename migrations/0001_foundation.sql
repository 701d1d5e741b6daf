-- Foundation: the school's roster, the people who use the bot, invites, settings and the audit log.
-- Instants are UTC in RFC 3339 text; business dates are local (Asia/Bangkok) ISO dates 'YYYY-MM-DD'.

CREATE TABLE classes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,          -- normalised, e.g. 'ป.4/1'
    level       TEXT NOT NULL,                 -- 'อ.' | 'ป.' | 'ม.'
    grade       INTEGER NOT NULL,              -- 1..6
    room        INTEGER NOT NULL,              -- 1..
    created_at  TEXT NOT NULL
);

CREATE TABLE students (
    id            INTEGER PRIMARY KEY,
    student_code  TEXT NOT NULL UNIQUE,        -- the school's own student id (เลขประจำตัวนักเรียน)
    prefix        TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    nickname      TEXT,
    gender        TEXT,
    birth_date    TEXT,
    class_id      INTEGER NOT NULL REFERENCES classes(id),
    parent_name   TEXT,
    parent_phone  TEXT,
    archived_at   TEXT,                        -- moved out (left school); never deleted: care records point here
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX students_by_class ON students(class_id) WHERE archived_at IS NULL;

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    telegram_id     INTEGER NOT NULL UNIQUE,
    chat_id         INTEGER NOT NULL,          -- private chat with the bot
    display_name    TEXT NOT NULL,
    username        TEXT,                      -- Telegram @username, if any
    role            TEXT NOT NULL CHECK (role IN ('admin', 'head', 'counselor', 'teacher', 'parent')),
    created_at      TEXT NOT NULL,
    revoked_at      TEXT,
    unreachable_at  TEXT                       -- set when Telegram says the user blocked the bot (403)
);

CREATE TABLE teacher_classes (
    user_id   INTEGER NOT NULL REFERENCES users(id),
    class_id  INTEGER NOT NULL REFERENCES classes(id),
    PRIMARY KEY (user_id, class_id)
);

CREATE TABLE parent_students (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    student_id  INTEGER NOT NULL REFERENCES students(id),
    linked_at   TEXT NOT NULL,
    invite_id   INTEGER REFERENCES invites(id),
    PRIMARY KEY (user_id, student_id)
);

CREATE TABLE invites (
    id            INTEGER PRIMARY KEY,
    code_hash     TEXT NOT NULL UNIQUE,        -- SHA-256 of the code: a copied database cannot be used to join
    role          TEXT NOT NULL CHECK (role IN ('admin', 'head', 'counselor', 'teacher', 'parent')),
    display_name  TEXT,                        -- the name the school gave this person, if any
    student_id    INTEGER REFERENCES students(id),  -- parent invites: the child
    created_by    INTEGER REFERENCES users(id),     -- NULL: created on the command line
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    used_by       INTEGER REFERENCES users(id),
    CHECK ((role = 'parent') = (student_id IS NOT NULL))
);

CREATE TABLE invite_classes (
    invite_id  INTEGER NOT NULL REFERENCES invites(id),
    class_id   INTEGER NOT NULL REFERENCES classes(id),
    PRIMARY KEY (invite_id, class_id)
);

CREATE TABLE user_settings (
    user_id  INTEGER PRIMARY KEY REFERENCES users(id),
    lang     TEXT NOT NULL DEFAULT 'th' CHECK (lang IN ('th', 'en'))
);

-- Conversation state, one row per private chat, written after every step so a restart loses nothing.
CREATE TABLE conversations (
    chat_id     INTEGER PRIMARY KEY,
    state       TEXT NOT NULL,                 -- JSON
    updated_at  TEXT NOT NULL
);

-- Append-only: who did what to which record, when. The triggers make "append-only" a property of the file,
-- not a promise of the code.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,                  -- 'user:<id>' or 'cli'
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT,
    detail     TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
