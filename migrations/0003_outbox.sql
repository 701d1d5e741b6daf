-- The outbox: every notification the bot sends on its own initiative (referrals, reminders, alerts,
-- announcements) is a row here, written in the same transaction as the change that implies it. One sender task
-- drains it under Telegram's limits. A crash after commit loses nothing; a crash mid-send re-sends at most the
-- message that was in flight.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    user_id         INTEGER REFERENCES users(id),
    -- 'text' | 'photo' | 'document'
    kind            TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'photo', 'document')),
    text            TEXT NOT NULL,               -- the message, or the caption of a photo/document
    keyboard        TEXT,                        -- JSON rows of inline buttons
    media           TEXT,                        -- Telegram file id, or a local file path
    -- 0 urgent alerts, 10 personal notifications, 20 bulk announcements: urgent ones go first.
    priority        INTEGER NOT NULL DEFAULT 10,
    -- Never enqueue the same notification twice (e.g. 'reminder:42', 'announce:7:user:19').
    dedupe_key      TEXT UNIQUE,
    announcement_id INTEGER,                     -- bulk sends, for progress and reports
    not_before      TEXT NOT NULL,               -- do not send before this instant (quiet hours, schedules)
    created_at      TEXT NOT NULL,
    -- 'pending' | 'sending' | 'sent' | 'blocked' | 'failed' | 'cancelled'
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'blocked', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,                        -- after a retryable failure
    last_error      TEXT,
    sent_at         TEXT,
    telegram_message_id INTEGER
);
CREATE INDEX outbox_due ON outbox(priority, not_before, id) WHERE status = 'pending';
CREATE INDEX outbox_by_announcement ON outbox(announcement_id, status) WHERE announcement_id IS NOT NULL;
