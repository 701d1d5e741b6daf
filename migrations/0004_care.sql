-- Referrals become cases with one owner and watchers; a case has a chronology (append-only), a help plan with
-- actions, and reminders that are rows (not timers) so restarts lose and duplicate nothing.

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    student_id            INTEGER NOT NULL REFERENCES students(id),
    opened_by             INTEGER NOT NULL REFERENCES users(id),
    owner_id              INTEGER NOT NULL REFERENCES users(id),
    urgency               TEXT NOT NULL CHECK (urgency IN ('normal', 'urgent', 'very_urgent')),
    status                TEXT NOT NULL DEFAULT 'new'
                          CHECK (status IN ('new', 'accepted', 'in_progress', 'referred_out', 'closed')),
    aspects               TEXT NOT NULL DEFAULT '[]',   -- JSON list of screening aspect ids, or 'other'
    reason                TEXT NOT NULL,                -- what the teacher observed
    photo_file_id         TEXT,
    external              INTEGER NOT NULL DEFAULT 0,   -- the teacher asked for an outside agency
    external_agency       TEXT,                         -- recorded by the owner
    source_submission_id  INTEGER REFERENCES submissions(id),
    outcome               TEXT,                         -- required to close
    opened_at             TEXT NOT NULL,
    accept_by             TEXT NOT NULL,                -- the acceptance deadline (urgency SLA)
    accepted_at           TEXT,
    closed_at             TEXT
);
CREATE INDEX cases_open_by_owner ON cases(owner_id, status) WHERE status != 'closed';

CREATE TABLE case_watchers (
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    user_id  INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, user_id)
);

-- The chronology: every note, status change, owner change and plan change, with who and when. Never edited.
CREATE TABLE case_events (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    at        TEXT NOT NULL,
    actor_id  INTEGER REFERENCES users(id),          -- NULL: the system (escalations)
    kind      TEXT NOT NULL,
    detail    TEXT
);
CREATE INDEX case_events_by_case ON case_events(case_id, id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

-- The individual help plan (แผนช่วยเหลือนักเรียนรายบุคคล): one per case.
CREATE TABLE plans (
    case_id     INTEGER PRIMARY KEY REFERENCES cases(id),
    goal        TEXT NOT NULL,
    review_on   TEXT,                                  -- local date
    updated_at  TEXT NOT NULL
);

CREATE TABLE plan_actions (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    description  TEXT NOT NULL,
    owner_id     INTEGER NOT NULL REFERENCES users(id),
    due_on       TEXT NOT NULL,                        -- local date
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    done_note    TEXT,
    created_at   TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    closed_at    TEXT
);
CREATE INDEX plan_actions_open ON plan_actions(owner_id, due_on) WHERE status = 'open';

-- Things to say at a given instant. Each row is sent at most once (status moves away from 'pending' in the same
-- transaction that puts the message in the outbox).
CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY,
    -- 'action' (a plan action), 'acceptance' (a referral not yet accepted), 'yearly' (the school-year tasks)
    subject    TEXT NOT NULL CHECK (subject IN ('action', 'acceptance', 'yearly')),
    subject_id INTEGER NOT NULL,
    kind       TEXT NOT NULL,                          -- before_3, before_1, due, overdue_1, … escalate, sla, yearly
    due_at     TEXT NOT NULL,                          -- UTC instant
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped', 'cancelled')),
    late       INTEGER NOT NULL DEFAULT 0,
    handled_at TEXT,
    UNIQUE (subject, subject_id, kind, due_at)
);
CREATE INDEX reminders_due ON reminders(due_at) WHERE status = 'pending';

-- The school year from the school's own procedure, as yearly tasks for the head (editable).
CREATE TABLE yearly_tasks (
    id        INTEGER PRIMARY KEY,
    month     INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day       INTEGER NOT NULL DEFAULT 1 CHECK (day BETWEEN 1 AND 28),
    title_th  TEXT NOT NULL,
    title_en  TEXT NOT NULL,
    enabled   INTEGER NOT NULL DEFAULT 1
);
INSERT INTO yearly_tasks (month, day, title_th, title_en) VALUES
    (3, 1, 'ศึกษาและกำหนดโครงสร้างงานระบบดูแลช่วยเหลือนักเรียน และมอบหมายผู้รับผิดชอบ',
           'Set the structure of the student care system and assign the people responsible'),
    (3, 15, 'จัดทำแผนงานและโครงการระบบดูแลช่วยเหลือนักเรียน (มีนาคม–เมษายน)',
           'Write the care system''s plans and projects (March–April)'),
    (4, 15, 'ติดตามแผนงานและโครงการให้เสร็จภายในเดือนเมษายน',
           'Finish the plans and projects by the end of April'),
    (10, 1, 'ประเมินผล ปรับปรุง และเผยแพร่ผลการดำเนินงาน (ภาคเรียนที่ 1)',
           'Evaluate, improve and publish the results (term 1)'),
    (3, 20, 'ประเมินผล ปรับปรุง และเผยแพร่ผลการดำเนินงาน (ภาคเรียนที่ 2) และรายงานผู้บังคับบัญชา',
           'Evaluate, improve and publish the results (term 2) and report to the supervisors');

-- When the weekly digest was last sent to each head (so it is sent once a week, also across restarts).
CREATE TABLE digests (
    week      TEXT NOT NULL,                           -- ISO week of the Monday, e.g. '2026-W48'
    user_id   INTEGER NOT NULL REFERENCES users(id),
    sent_at   TEXT NOT NULL,
    PRIMARY KEY (week, user_id)
);
