-- Announcements (ประกาศ): a message from the head, the admin or a teacher to many parents (or all staff). The
-- announcement and one outbox row per recipient are written in one transaction; the sender delivers them.

CREATE TABLE announcements (
    id                  INTEGER PRIMARY KEY,
    created_by          INTEGER NOT NULL REFERENCES users(id),
    -- 'parents' | 'grade:<ป.4>' | 'class:<class id>' | 'classes:<id,id>' (a teacher's own) | 'staff'
    audience            TEXT NOT NULL,
    audience_label      TEXT NOT NULL,               -- as shown to the sender, e.g. 'ผู้ปกครอง ป.4/1'
    text                TEXT NOT NULL,
    media_kind          TEXT CHECK (media_kind IN ('photo', 'document')),
    media               TEXT,                        -- Telegram file id
    send_at             TEXT NOT NULL,               -- now, or the scheduled instant
    created_at          TEXT NOT NULL,
    recipients          INTEGER NOT NULL,
    -- One confirm per draft: a double tap on "send" never makes two announcements.
    draft_key           TEXT NOT NULL UNIQUE,
    -- The sender's message that shows progress and then the final report.
    progress_chat_id    INTEGER,
    progress_message_id INTEGER,
    progress_shown      TEXT,                        -- what it shows now (edited only when it changes)
    finished_at         TEXT,                        -- the final report was shown
    cancelled_at        TEXT
);
CREATE INDEX announcements_open ON announcements(finished_at) WHERE finished_at IS NULL;
CREATE INDEX announcements_by_creator ON announcements(created_by, id);

CREATE TABLE announcement_acks (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    user_id         INTEGER NOT NULL REFERENCES users(id),
    at              TEXT NOT NULL,
    PRIMARY KEY (announcement_id, user_id)
);
