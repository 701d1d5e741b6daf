-- Help by the homeroom teacher (ช่วยเหลือเบื้องต้น) and class meetings with parents (ประชุมผู้ปกครองชั้นเรียน).
--
-- A case is either help the homeroom teacher gives in class ('classroom', owned by the teacher, no acceptance
-- deadline) or a referral to the counsellor ('referral'). "ส่งต่อ" turns a classroom case into a referral in
-- place: the same row, the same chronology; `referred_at` remembers that it started in class.
ALTER TABLE cases ADD COLUMN kind TEXT NOT NULL DEFAULT 'referral' CHECK (kind IN ('classroom', 'referral'));
ALTER TABLE cases ADD COLUMN referred_at TEXT;        -- UTC instant a classroom case was handed to the counsellor

-- A meeting of a class's parents with the homeroom teacher (usually once a term).
CREATE TABLE class_meetings (
    id           INTEGER PRIMARY KEY,
    class_id     INTEGER NOT NULL REFERENCES classes(id),
    held_on      TEXT NOT NULL,                        -- local date
    topics       TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES users(id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX class_meetings_by_class ON class_meetings(class_id, held_on);

-- Which families came: one row per student whose parent (or guardian) attended.
CREATE TABLE class_meeting_attendance (
    meeting_id  INTEGER NOT NULL REFERENCES class_meetings(id),
    student_id  INTEGER NOT NULL REFERENCES students(id),
    PRIMARY KEY (meeting_id, student_id)
);
