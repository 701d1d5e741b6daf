-- Days the school is closed besides weekends: public holidays (วันหยุดราชการ) and school breaks (ปิดภาคเรียน).
-- Reminders of plan actions move off these days like off a weekend. The school edits the list with
-- `dulae holidays add|remove`; the rows below are the shipped list for 2569–2570 (2026–2027).
--
-- Sources: the cabinet's list of official holidays for 2569 (fixed-date holidays and their substitutes);
-- the Buddhist holidays of 2569 fall on the full moons of 3 Mar, 31 May and 29 Jul 2026. For 2570 the
-- fixed-date holidays follow the law; the Buddhist holidays and substitute days of 2570 are computed from the
-- lunar calendar and marked 'estimated' until the school checks them against the cabinet's announcement
-- (`dulae holidays list` shows the mark). School breaks follow OBEC's usual calendar; a school with other dates
-- removes and adds its own.

CREATE TABLE holidays (
    day      TEXT PRIMARY KEY,                                  -- local date 'YYYY-MM-DD'
    name_th  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('public', 'break')),
    source   TEXT NOT NULL CHECK (source IN ('official', 'estimated', 'school'))
);

INSERT INTO holidays (day, name_th, name_en, kind, source) VALUES
    ('2026-01-01', 'วันขึ้นปีใหม่', 'New Year''s Day', 'public', 'official'),
    ('2026-03-03', 'วันมาฆบูชา', 'Makha Bucha Day', 'public', 'official'),
    ('2026-04-06', 'วันจักรี', 'Chakri Memorial Day', 'public', 'official'),
    ('2026-04-13', 'วันสงกรานต์', 'Songkran', 'public', 'official'),
    ('2026-04-14', 'วันสงกรานต์', 'Songkran', 'public', 'official'),
    ('2026-04-15', 'วันสงกรานต์', 'Songkran', 'public', 'official'),
    ('2026-05-04', 'วันฉัตรมงคล', 'Coronation Day', 'public', 'official'),
    ('2026-05-31', 'วันวิสาขบูชา', 'Visakha Bucha Day', 'public', 'official'),
    ('2026-06-01', 'ชดเชยวันวิสาขบูชา', 'Substitute for Visakha Bucha Day', 'public', 'official'),
    ('2026-06-03', 'วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี', 'H.M. the Queen''s Birthday', 'public', 'official'),
    ('2026-07-28', 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว', 'H.M. the King''s Birthday', 'public', 'official'),
    ('2026-07-29', 'วันอาสาฬหบูชา', 'Asarnha Bucha Day', 'public', 'official'),
    ('2026-07-30', 'วันเข้าพรรษา', 'Buddhist Lent Day', 'public', 'official'),
    ('2026-08-12', 'วันแม่แห่งชาติ', 'National Mother''s Day', 'public', 'official'),
    ('2026-10-13', 'วันนวมินทรมหาราช', 'King Bhumibol Memorial Day', 'public', 'official'),
    ('2026-10-23', 'วันปิยมหาราช', 'Chulalongkorn Day', 'public', 'official'),
    ('2026-12-05', 'วันพ่อแห่งชาติ', 'National Father''s Day', 'public', 'official'),
    ('2026-12-07', 'ชดเชยวันพ่อแห่งชาติ', 'Substitute for National Father''s Day', 'public', 'official'),
    ('2026-12-10', 'วันรัฐธรรมนูญ', 'Constitution Day', 'public', 'official'),
    ('2026-12-31', 'วันสิ้นปี', 'New Year''s Eve', 'public', 'official'),
    ('2027-01-01', 'วันขึ้นปีใหม่', 'New Year''s Day', 'public', 'official'),
    ('2027-02-20', 'วันมาฆบูชา', 'Makha Bucha Day', 'public', 'estimated'),
    ('2027-02-22', 'ชดเชยวันมาฆบูชา', 'Substitute for Makha Bucha Day', 'public', 'estimated'),
    ('2027-04-06', 'วันจักรี', 'Chakri Memorial Day', 'public', 'official'),
    ('2027-04-13', 'วันสงกรานต์', 'Songkran', 'public', 'official'),
    ('2027-04-14', 'วันสงกรานต์', 'Songkran', 'public', 'official'),
    ('2027-04-15', 'วันสงกรานต์', 'Songkran', 'public', 'official'),
    ('2027-05-04', 'วันฉัตรมงคล', 'Coronation Day', 'public', 'official'),
    ('2027-05-20', 'วันวิสาขบูชา', 'Visakha Bucha Day', 'public', 'estimated'),
    ('2027-06-03', 'วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี', 'H.M. the Queen''s Birthday', 'public', 'official'),
    ('2027-07-18', 'วันอาสาฬหบูชา', 'Asarnha Bucha Day', 'public', 'estimated'),
    ('2027-07-19', 'วันเข้าพรรษา', 'Buddhist Lent Day', 'public', 'estimated'),
    ('2027-07-20', 'ชดเชยวันอาสาฬหบูชา', 'Substitute for Asarnha Bucha Day', 'public', 'estimated'),
    ('2027-07-28', 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว', 'H.M. the King''s Birthday', 'public', 'official'),
    ('2027-08-12', 'วันแม่แห่งชาติ', 'National Mother''s Day', 'public', 'official'),
    ('2027-10-13', 'วันนวมินทรมหาราช', 'King Bhumibol Memorial Day', 'public', 'official'),
    ('2027-10-23', 'วันปิยมหาราช', 'Chulalongkorn Day', 'public', 'official'),
    ('2027-10-25', 'ชดเชยวันปิยมหาราช', 'Substitute for Chulalongkorn Day', 'public', 'estimated'),
    ('2027-12-05', 'วันพ่อแห่งชาติ', 'National Father''s Day', 'public', 'official'),
    ('2027-12-06', 'ชดเชยวันพ่อแห่งชาติ', 'Substitute for National Father''s Day', 'public', 'estimated'),
    ('2027-12-10', 'วันรัฐธรรมนูญ', 'Constitution Day', 'public', 'official'),
    ('2027-12-31', 'วันสิ้นปี', 'New Year''s Eve', 'public', 'official');

-- School breaks of ปีการศึกษา 2569 (OBEC's usual calendar): after term 1 (11–31 Oct 2026) and after term 2
-- (1 Apr – 15 May 2027). One row a day keeps the lookup a plain set of dates.
WITH RECURSIVE days(day, name_th, name_en) AS (
    SELECT '2026-10-11', 'ปิดภาคเรียนที่ 1/2569', 'Break after term 1/2569'
    UNION ALL SELECT date(day, '+1 day'), name_th, name_en FROM days WHERE day < '2026-10-31'
)
INSERT OR IGNORE INTO holidays (day, name_th, name_en, kind, source)
SELECT day, name_th, name_en, 'break', 'estimated' FROM days;

WITH RECURSIVE days(day, name_th, name_en) AS (
    SELECT '2027-04-01', 'ปิดภาคเรียนที่ 2/2569', 'Break after term 2/2569'
    UNION ALL SELECT date(day, '+1 day'), name_th, name_en FROM days WHERE day < '2027-05-15'
)
INSERT OR IGNORE INTO holidays (day, name_th, name_en, kind, source)
SELECT day, name_th, name_en, 'break', 'estimated' FROM days;
