//! Printed documents: every document typeset from sample data and from a school's database, the PDF's text
//! read back with poppler's `pdftotext` (the Thai words whole: no missing glyphs, no doubled or broken
//! clusters), the right figures, page counts, and access refused outside the policy.

use crate::common;

use common::*;
use dulae::conversation::Reply;
use dulae::domain::{Role, Term};
use dulae::print::data::{self, Period};
use dulae::print::make::{self, Context, PrintError, Request, Who};
use dulae::print::{DocumentKind, TemplateSet, sample};
use dulae::store::students::ClassId;
use std::process::Command;

/// The PDF's text as poppler extracts it (what copy, search and screen readers get), keeping the layout.
fn pdf_text(pdf: &[u8]) -> String {
    extract(pdf, "-layout")
}

/// The PDF's text as `pdftotext MODE` gives it: `-layout` (columns kept), `-raw` (content-stream order) or
/// the default reading order (`""`).
fn extract(pdf: &[u8], mode: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let mut command = Command::new("pdftotext");
    command.arg("-enc").arg("UTF-8");
    if !mode.is_empty() {
        command.arg(mode);
    }
    let out =
        command.arg(&path).arg("-").output().expect("pdftotext (poppler-utils) must be installed: .ci/run installs it");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 text")
}

/// Whether `text` (one extraction) holds `phrase` character for character, spaces included. The only
/// freedom is the layout's line breaks: a line may end where the phrase has a space (the space is not
/// written) or between two Thai words (Thai writes none). A stray space inside a word ("ปั้ น") does not
/// match, nor does a missing one.
fn reads_back(text: &str, phrase: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let phrase: Vec<char> = phrase.chars().collect();
    let Some(&first) = phrase.first() else { return true };
    (0..text.len()).filter(|&i| text[i] == first).any(|start| {
        let (mut t, mut p) = (start, 0);
        while p < phrase.len() && t < text.len() {
            // The same character, or a line break where the phrase has its space.
            if text[t] == phrase[p] || (text[t] == '\n' && phrase[p] == ' ') {
                (t, p) = (t + 1, p + 1);
            } else if text[t] == '\n' {
                t += 1;
            } else {
                return false;
            }
        }
        p == phrase.len()
    })
}

/// A table row reads back exactly in content order (`pdftotext -raw`): poppler's reading order takes a table
/// column by column, so a row is only a line of text in the raw order.
fn assert_row_reads_back(pdf: &[u8], row: &str) {
    let text = extract(pdf, "-raw");
    assert!(reads_back(&text, row), "pdftotext -raw: «{row}» does not read back from:\n{text}");
}

/// `phrase` reads back exactly (spaces included) in the reading-order and the raw extraction of `pdf`.
fn assert_reads_back(pdf: &[u8], phrase: &str) {
    for mode in ["", "-raw"] {
        let text = extract(pdf, mode);
        assert!(reads_back(&text, phrase), "pdftotext {mode}: «{phrase}» does not read back from:\n{text}");
    }
}

fn pages(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo (poppler-utils) must be installed");
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

/// Text without line breaks and spaces, so a phrase the layout wrapped still reads as one.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The words are there once each, not doubled ("ชั้ชั้น") nor with a replacement character.
fn assert_thai_intact(text: &str, words: &[&str]) {
    assert!(!text.contains('\u{FFFD}'), "replacement character in:\n{text}");
    let flat = squeezed(text);
    for word in words {
        assert!(flat.contains(&squeezed(word)), "{word:?} missing from:\n{text}");
    }
    for doubled in ["ชั้ชั้", "ที่ที่น", "ผู้ผู้", "น้ำน้ำ", "ปั้ปั้", "ั้ั้", "่่", "้้"]
    {
        assert!(!flat.contains(doubled), "doubled cluster {doubled:?} in:\n{text}");
    }
}

/// Every Thai text of a document's data (names, answers, headings of rows, notes) that the paper shows,
/// character for character with its spaces.
fn thai_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.chars().any(|c| ('\u{0E01}'..='\u{0E5B}').contains(&c)) => {
            out.push(s.clone())
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| thai_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| thai_strings(v, out)),
        _ => {}
    }
}

#[test]
fn every_sample_document_typesets_and_reads_back_in_thai() {
    let set = TemplateSet::shipped();
    let expected: &[(DocumentKind, &[&str])] = &[
        (
            DocumentKind::Screening,
            &["แบบสรุปผลการคัดกรองนักเรียนรายห้อง", "ชั้น ป.4/1", "ด.ช.สมชาย ใจดี", "ผู้อำนวยการ", "หัวหน้าระดับชั้น"],
        ),
        (DocumentKind::Visit, &["แบบบันทึกการเยี่ยมบ้านนักเรียน", "สมาชิกในครัวเรือน", "นักเรียนชั้นอนุบาล", "ผู้ปกครองนักเรียน"]),
        (DocumentKind::Referral, &["แบบส่งต่อนักเรียนไปยังหน่วยงานภายนอก", "แบบตอบกลับ", "ผลการช่วยเหลือ", "ที่"]),
        (DocumentKind::Plan, &["แผนการช่วยเหลือนักเรียนรายบุคคล", "เป้าหมายของการช่วยเหลือ", "ผู้รับผิดชอบ"]),
        (DocumentKind::Report, &["รายงานผลการดำเนินงานระบบดูแลช่วยเหลือนักเรียน", "ความพึงพอใจ", "มากที่สุด"]),
        (DocumentKind::Slips, &["ใบเชิญผู้ปกครองใช้งาน", "สแกน QR นี้ค่ะ"]),
    ];
    for (kind, words) in expected {
        let doc = sample::document(*kind);
        let pdf = dulae::print::render(&set, &doc).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert!(pdf.starts_with(b"%PDF-"), "{kind:?}");
        let text = pdf_text(&pdf);
        assert_thai_intact(&text, words);
        assert!(text.contains(sample::SCHOOL), "{kind:?}: the school's name");
        assert!(pages(&pdf) >= 1);
        for word in *words {
            assert_reads_back(&pdf, word);
        }
        let data: serde_json::Value = serde_json::from_slice(&doc.inputs.data).expect("json");
        let mut strings = Vec::new();
        thai_strings(&data, &mut strings);
        let (reading, raw) = (extract(&pdf, ""), extract(&pdf, "-raw"));
        // What the paper does not show of its data: the plan leaves out the nickname, the slips their date of
        // printing (each slip has its expiry instead).
        let not_on_paper = match kind {
            DocumentKind::Plan => vec![sample::plan_doc().student.nickname],
            DocumentKind::Slips => vec![sample::slips_doc().printed_on],
            _ => vec![],
        };
        let missing: Vec<&String> = strings
            .iter()
            .filter(|s| !not_on_paper.contains(s) && (!reads_back(&reading, s) || !reads_back(&raw, s)))
            .collect();
        assert!(strings.len() >= 10, "{kind:?}: the sample has Thai text");
        assert!(missing.is_empty(), "{kind:?}: {missing:?} do not read back from:\n{reading}");
    }
}

/// The trap of Typst 0.15 with Sarabun: a tone mark lifted over an upper vowel made the cluster come out twice.
#[test]
fn stacked_marks_come_out_once() {
    let mut sheet = sample::screening_sheet(1);
    sheet.teachers = vec!["ครูชั้นเอก ผู้ปั้นน้ำใจ ที่นี่ญาติกี่ปี่ฐานะปุ๋ยฟักทอง".into()];
    let doc = dulae::print::Document::new(DocumentKind::Screening, &sheet).expect("doc");
    let pdf = dulae::print::render(&TemplateSet::shipped(), &doc).expect("typeset");
    let text = pdf_text(&pdf);
    assert_thai_intact(&text, &["ครูชั้นเอก ผู้ปั้นน้ำใจ ที่นี่ญาติกี่ปี่ฐานะปุ๋ยฟักทอง"]);
    assert_eq!(text.matches("ชั้นเอก").count(), 2, "heading and signature line: {text}");
    assert_reads_back(&pdf, "ครูชั้นเอก ผู้ปั้นน้ำใจ ที่นี่ญาติกี่ปี่ฐานะปุ๋ยฟักทอง");
}

/// A real paragraph of a school's record, dense with marks over tall consonants (ปั้น ฝั่ง ฟื้น ป้า), stacked
/// marks (ชั้น ที่ ผู้ น้ำ) and sara am, reads back word for word with its spaces — no stray space inside a
/// word ("ปั้ น": marks that GPOS moves left over ป used to end the cluster's text short of the next one),
/// no doubled cluster, in poppler's reading order and in its raw content order.
#[test]
fn a_thai_paragraph_reads_back_word_for_word() {
    const PARAGRAPH: &str = "นักเรียนชั้นประถมศึกษาปีที่สี่อาศัยอยู่กับป้าที่บ้านริมฝั่งน้ำ ผู้ปกครองปั้นหม้อดินขายที่ตลาดทุกวัน \
        ครูที่ปรึกษาได้ไปเยี่ยมบ้านและพบว่านักเรียนต้องช่วยงานบ้านจนดึกจึงมาโรงเรียนสายบ่อยครั้ง \
        ที่ประชุมเห็นควรให้ทุนปัจจัยพื้นฐาน ฟื้นฟูการเรียนด้วยการสอนเสริมหลังเลิกเรียน \
        และให้ผู้ใหญ่ในชุมชนช่วยดูแลน้ำใจของเด็กคนนี้ต่อไป ปุ๋ยหมักที่ปั้นเป็นก้อนขายได้ดี";
    let mut plan = sample::plan_doc();
    plan.goal = PARAGRAPH.into();
    let doc = dulae::print::Document::new(DocumentKind::Plan, &plan).expect("doc");
    let pdf = dulae::print::render(&TemplateSet::shipped(), &doc).expect("typeset");
    assert_reads_back(&pdf, PARAGRAPH);
    for word in ["ปั้นหม้อ", "ฝั่งน้ำ", "ฟื้นฟู", "ป้าที่บ้าน", "ปุ๋ยหมัก", "ที่ปั้นเป็น", "ผู้ใหญ่", "น้ำใจ"]
    {
        assert_reads_back(&pdf, word);
    }
}

fn context<'a>(s: &'a School, l10n: &'a dulae::l10n::Localizer) -> Context<'a> {
    Context {
        forms: &s.app.forms, l10n, school_name: "โรงเรียนบ้านลูโบ๊ะลือซง", logo: None, today: s.app.clock.today()
    }
}

fn user(s: &School, telegram: i64) -> dulae::store::users::UserRow {
    s.app
        .store
        .read(|c| dulae::store::users::find_by_telegram(c, dulae::domain::TelegramId(telegram)))
        .expect("read")
        .expect("user")
}

fn class_id(s: &School, name: &str) -> ClassId {
    let class: dulae::domain::ClassName = name.parse().expect("class");
    s.app.store.read(|c| dulae::store::students::find_class(c, &class)).expect("read").expect("class exists")
}

fn print(s: &School, who: Who<'_>, request: Request) -> Result<make::Printed, PrintError> {
    let l10n = dulae::l10n::Localizer::load().expect("locales");
    let ctx = context(s, &l10n);
    s.app.store.read(|c| Ok(make::make(c, &ctx, &s.app.templates, who, request))).expect("read")
}

#[test]
fn class_summary_lists_every_active_student_with_counts() {
    let s = report_school();
    let teacher = user(&s, 501);
    let class = class_id(&s, "ป.4/1");
    let term = Term::parse("2/2569").expect("term");
    let sheet = s
        .app
        .store
        .read(|c| {
            data::screening_sheet(
                c,
                &s.app.forms,
                class,
                term,
                data::School::new("โรงเรียนทดสอบ", false),
                s.app.clock.today(),
            )
        })
        .expect("sheet");
    // 20001, 20002 screened this term; 20003 only last term; 20009 moved out (not listed).
    assert_eq!(sheet.students.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["20001", "20002", "20003"]);
    assert_eq!((sheet.students_count, sheet.screened_count), (3, 2));
    let learning = sheet.totals.iter().find(|t| t.label == "ด้านการเรียน").expect("learning");
    // 20001's later screening (normal) counts, 20002 problem, 20003 not screened.
    assert_eq!((learning.normal, learning.risk, learning.problem, learning.not_screened), (1, 0, 1, 1));
    assert!(sheet.totals.iter().all(|t| t.total() == 3), "every aspect adds up to the class");
    assert_eq!((sheet.overall.normal, sheet.overall.problem, sheet.overall.not_screened), (1, 1, 1));

    let printed = print(&s, Who::User(&teacher), Request::Screening { class, term: Some(term) }).expect("printed");
    assert_eq!(pages(&printed.pdf), 1);
    let text = pdf_text(&printed.pdf);
    assert_thai_intact(
        &text,
        &["ด.ช.กิตติ ใจดี", "ด.ญ.ขวัญ รักเรียน", "ด.ช.คมกริช ขยัน", "นักเรียนทั้งหมด 3 คน", "คัดกรองแล้ว 2 คน", "ครูสมศรี"],
    );
    assert!(!text.contains("ย้ายไป"), "a student who moved out is not listed");
    assert!(printed.file_name.ends_with(".pdf") && !printed.file_name.contains('/'));
    // The counts (not only percentages) per aspect and group are on the paper: ปกติ เสี่ยง มีปัญหา ไม่มีผล
    // ยังไม่ได้คัดกรอง รวม, one line per aspect and the overall line.
    assert_row_reads_back(&printed.pdf, "ด้าน ปกติ เสี่ยง มีปัญหา ไม่มีผล ยังไม่ได้คัดกรอง รวม");
    assert_row_reads_back(&printed.pdf, "ด้านการเรียน 1 0 1 0 1 3");
    assert_row_reads_back(&printed.pdf, "ด้านสุขภาพ 1 1 0 0 1 3");
    assert_row_reads_back(&printed.pdf, "สรุปภาพรวม (ด้านที่รุนแรงที่สุด) 1 0 1 0 1 3");
    // A screening date stays on one line in its column.
    assert_row_reads_back(&printed.pdf, "ป 10 พ.ย. 2569");
}

#[test]
fn a_class_of_forty_spans_pages_with_the_header_repeated() {
    let doc = dulae::print::Document::new(DocumentKind::Screening, &sample::screening_sheet(40)).expect("doc");
    let pdf = dulae::print::render(&TemplateSet::shipped(), &doc).expect("typeset");
    let n = pages(&pdf);
    assert!((2..=4).contains(&n), "{n} pages");
    let text = pdf_text(&pdf);
    assert!(text.matches("เลขประจำตัว").count() >= 2, "the table's header repeated on the next page");
    assert!(text.contains("10040"), "the 40th student");
}

#[test]
fn visit_record_prints_the_answers_the_location_and_the_photos() {
    let s = report_school();
    let teacher = user(&s, 501);
    let printed = print(&s, Who::User(&teacher), Request::Visit { student: student_id(&s, "20001") }).expect("printed");
    let text = pdf_text(&printed.pdf);
    assert_thai_intact(&text, &["แบบบันทึกการเยี่ยมบ้านนักเรียน", "ด.ช.กิตติ ใจดี", "ผู้ไปเยี่ยมบ้าน", "ครูสมศรี", "5 พ.ย. 2569"]);
    assert!(squeezed(&text).contains("https://www.google.com/maps?q=6.543200,101.234500"), "{text}");
    // The photo was never downloaded to this machine: counted, not shown.
    assert!(squeezed(&text).contains("1รูป(มีไฟล์ในเครื่อง0รูป)"), "{text}");
    assert!(squeezed(&text).contains("นางสมศรีใจดี"), "the parent's name on the signature line");
}

#[test]
fn a_student_without_a_visit_has_nothing_to_print() {
    let s = report_school();
    let head = user(&s, 502);
    let err = print(&s, Who::User(&head), Request::Visit { student: student_id(&s, "20002") }).expect_err("no visit");
    assert!(matches!(err, PrintError::NotFound(_)), "{err:?}");
}

/// A case referred by the teacher to the counsellor, with a plan of two actions; closed with an outcome when
/// `outcome` is given.
fn seed_case(s: &School, outcome: Option<&str>) -> i64 {
    let teacher = user(s, 501).id;
    let counsellor = user(s, 503).id;
    let student = student_id(s, "20002");
    s.app
        .store
        .write(|tx| {
            let at = dulae::store::instant(seed_instant(3));
            tx.execute(
                "INSERT INTO cases (student_id, opened_by, owner_id, urgency, status, aspects, reason, external,
                                    external_agency, outcome, opened_at, accept_by, accepted_at, closed_at)
                 VALUES (?1, ?2, ?3, 'urgent', ?4, '[\"learning\",\"other\"]', 'ขาดเรียนบ่อย ไม่ส่งงาน', 1,
                         'โรงพยาบาลส่งเสริมสุขภาพตำบล', ?5, ?6, ?6, ?6, ?7)",
                rusqlite::params![
                    student.0,
                    teacher.0,
                    counsellor.0,
                    if outcome.is_some() { "closed" } else { "in_progress" },
                    outcome,
                    at,
                    outcome.map(|_| dulae::store::instant(seed_instant(20))),
                ],
            )?;
            let case = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?1, ?2, ?3, 'opened', NULL)",
                rusqlite::params![case, at, teacher.0],
            )?;
            tx.execute(
                "INSERT INTO plans (case_id, goal, review_on, updated_at) VALUES (?1, 'มาเรียนสม่ำเสมอทุกวัน', '2026-12-15', ?2)",
                rusqlite::params![case, at],
            )?;
            for (what, due, status) in [("โทรหาผู้ปกครองทุกสัปดาห์", "2026-11-20", "done"), ("ติวคณิตศาสตร์หลังเลิกเรียน", "2026-12-10", "open")] {
                tx.execute(
                    "INSERT INTO plan_actions (case_id, description, owner_id, due_on, status, created_at, created_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3)",
                    rusqlite::params![case, what, counsellor.0, due, status, at],
                )?;
            }
            Ok(case)
        })
        .expect("case")
}

#[test]
fn referral_has_the_return_slip_only_with_an_outcome() {
    let s = report_school();
    let counsellor = user(&s, 503);
    let open = seed_case(&s, None);
    let closed = seed_case(&s, Some("ผู้ปกครองมาพบครู นักเรียนมาเรียนครบทุกวันแล้ว"));

    let printed = print(&s, Who::User(&counsellor), Request::Referral { case: dulae::care::cases::CaseId(open) })
        .expect("printed");
    assert_eq!(pages(&printed.pdf), 1);
    let text = pdf_text(&printed.pdf);
    assert_thai_intact(&text, &["แบบส่งต่อนักเรียนไปยังหน่วยงานภายนอก", "ด.ญ.ขวัญ รักเรียน", "ด้านการเรียน, อื่น ๆ", "ด่วน"]);
    assert!(!text.contains("แบบตอบกลับ"));

    let printed = print(&s, Who::Cli, Request::Referral { case: dulae::care::cases::CaseId(closed) }).expect("printed");
    assert_eq!(pages(&printed.pdf), 2, "the return slip on a page of its own");
    let text = pdf_text(&printed.pdf);
    assert_thai_intact(&text, &["แบบตอบกลับ / รายงานผลการช่วยเหลือนักเรียน", "นักเรียนมาเรียนครบทุกวันแล้ว", "ปิดเรื่องแล้ว"]);
}

#[test]
fn plan_lists_the_goal_and_the_actions() {
    let s = report_school();
    let case = seed_case(&s, None);
    let printed = print(&s, Who::Cli, Request::Plan { case: dulae::care::cases::CaseId(case) }).expect("printed");
    let text = pdf_text(&printed.pdf);
    assert_thai_intact(
        &text,
        &[
            "มาเรียนสม่ำเสมอทุกวัน",
            "โทรหาผู้ปกครองทุกสัปดาห์",
            "ติวคณิตศาสตร์หลังเลิกเรียน",
            "เสร็จแล้ว",
            "ยังไม่เสร็จ",
            "15 ธ.ค. 2569",
            "ครูแนะแนว",
        ],
    );
}

#[test]
fn satisfaction_is_two_decimals_with_the_five_level_label() {
    // 5, 4, 4, 5: mean 4.50 is "มาก" (3.51–4.50), S.D. (n − 1) 0.58.
    let line = data::rating_line("x".into(), &[5.0, 4.0, 4.0, 5.0]);
    assert_eq!((line.mean.as_str(), line.sd.as_str(), line.level.as_str()), ("4.50", "0.58", "มาก"));
    let cases = [
        (4.51, "มากที่สุด"),
        (3.51, "มาก"),
        (3.5, "ปานกลาง"),
        (2.51, "ปานกลาง"),
        (2.5, "น้อย"),
        (1.51, "น้อย"),
        (1.5, "น้อยที่สุด"),
        (1.0, "น้อยที่สุด"),
        (5.0, "มากที่สุด"),
    ];
    for (mean, label) in cases {
        assert_eq!(data::level_label(mean), label, "{mean}");
    }
    // 4.506 shows as 4.51 and reads as มากที่สุด: what is printed is what the label says.
    let line = data::rating_line("x".into(), &[4.506]);
    assert_eq!((line.mean.as_str(), line.level.as_str()), ("4.51", "มากที่สุด"));
    // The edges as printed: 4.505 prints 4.51 (มากที่สุด), 4.504 prints 4.50 (มาก), 1.505 prints 1.51 (น้อย).
    for (value, shown, label) in
        [(4.505, "4.51", "มากที่สุด"), (4.504, "4.50", "มาก"), (3.505, "3.51", "มาก"), (1.505, "1.51", "น้อย")]
    {
        let line = data::rating_line("x".into(), &[value]);
        assert_eq!((line.mean.as_str(), line.level.as_str()), (shown, label), "{value}");
    }
}

fn seed_survey(s: &School, ratings: &[&str]) {
    let teacher = user(s, 501).id;
    let student = student_id(s, "20001");
    for (i, r) in ratings.iter().enumerate() {
        let answers = format!(r#"{{"overall":{{"type":"choice","value":"{r}"}}}}"#);
        s.app
            .store
            .write(|tx| {
                dulae::store::forms::insert_submission(
                    tx,
                    &dulae::store::forms::NewSubmission {
                        form_id: "satisfaction",
                        form_version: 1,
                        form_kind: "survey",
                        student,
                        term: "2/2569",
                        answers_json: &answers,
                        score_json: None,
                        overall_group: None,
                        submitted_by: teacher,
                        submitted_at: seed_instant(20 + i as i64),
                    },
                )
            })
            .expect("survey");
    }
}

#[test]
fn term_report_has_the_figures_and_the_head_alone_prints_it() {
    let s = report_school();
    seed_case(&s, Some("ดีขึ้นแล้ว"));
    seed_survey(&s, &["5", "4", "4", "5"]);
    let head = user(&s, 502);
    let period = Period::Term(Term::parse("2/2569").expect("term"));
    let printed = print(&s, Who::User(&head), Request::Report(period)).expect("printed");
    let text = pdf_text(&printed.pdf);
    assert_thai_intact(
        &text,
        &["ภาคเรียนที่ 2/2569", "ได้รับการคัดกรอง", "ได้รับการเยี่ยมบ้าน", "ด้านการเรียน", "ปิดเรื่องแล้ว", "4.50", "0.58", "มาก"],
    );
    // 8 active students, 6 screened this term (20001, 20002, 20004, 20005, 20006, 20007).
    let flat = squeezed(&text);
    assert!(flat.contains("นักเรียนทั้งหมด8100.00"), "{text}");
    assert!(flat.contains("ได้รับการคัดกรอง675.00"), "{text}");
    assert!(
        flat.contains("ป.4/13266.67133.3301"),
        "ป.4/1: 3 students, 2 screened, 1 visited, 0 risk, 1 problem: {text}"
    );

    for other in [501, 503, 504] {
        let err = print(&s, Who::User(&user(&s, other)), Request::Report(period)).expect_err("head only");
        assert!(matches!(err, PrintError::NotAllowed), "{other}: {err:?}");
    }
}

#[test]
fn year_report_covers_both_terms() {
    let s = report_school();
    seed_case(&s, Some("ดีขึ้นแล้ว"));
    seed_survey(&s, &["5", "4", "4", "5"]);
    let printed = print(&s, Who::Cli, Request::Report(Period::Year(2569))).expect("printed");
    let text = pdf_text(&printed.pdf);
    assert_thai_intact(&text, &["ปีการศึกษา 2569", "ภาคเรียนที่ 1/2569", "ภาคเรียนที่ 2/2569"]);
    assert!(pages(&printed.pdf) >= 2);
    // Each term's coverage and class lines (term 1: 2 of 8 screened; term 2: 6 of 8), the visits, the
    // groups per aspect with counts.
    for row in [
        "ได้รับการคัดกรอง 2 25.00",
        "ได้รับการคัดกรอง 6 75.00",
        "ได้รับการเยี่ยมบ้าน 4 50.00",
        "ด้านการเรียน 3 1 2",
        "ป.4/2 3 1 33.33 2 66.67 1 0",
        "ป.4/2 3 3 100.00 2 66.67 1 1",
    ] {
        assert_row_reads_back(&printed.pdf, row);
    }
    // The year's cases (opened and closed in it) and its satisfaction: n, mean, S.D. (n − 1), the level.
    assert_reads_back(&printed.pdf, "เรื่องที่เปิดในช่วงนี้ 1 เรื่อง · ปิดแล้ว 1 เรื่อง");
    assert_row_reads_back(&printed.pdf, "ปิดเรื่องแล้ว 1");
    let raw = extract(&printed.pdf, "-raw");
    assert!(raw.contains("4.50") && raw.contains("0.58") && raw.contains("มาก"), "{raw}");
}

#[test]
fn access_is_refused_outside_the_policy() {
    let s = report_school();
    let teacher = user(&s, 501);
    let admin = user(&s, 504);
    let other_class = class_id(&s, "ป.4/2");
    let refused = |who: &dulae::store::users::UserRow, request| {
        matches!(print(&s, Who::User(who), request), Err(PrintError::NotAllowed))
    };
    assert!(refused(&teacher, Request::Screening { class: other_class, term: None }));
    assert!(refused(&teacher, Request::Visit { student: student_id(&s, "20004") }));
    assert!(refused(&admin, Request::Screening { class: class_id(&s, "ป.4/1"), term: None }));
    assert!(refused(&admin, Request::Visit { student: student_id(&s, "20001") }));
    // A case: the counsellor and the head may; a teacher who neither owns nor follows it may not.
    let case = dulae::care::cases::CaseId(seed_case(&s, None));
    let other_teacher = staff(&s, 505, "ครูอื่น", Role::Teacher, &["ป.5/1"]);
    let other_teacher = s.app.store.read(|c| dulae::store::users::get(c, other_teacher)).expect("read").expect("user");
    assert!(refused(&other_teacher, Request::Referral { case }));
    assert!(refused(&other_teacher, Request::Plan { case }));
    assert!(refused(&admin, Request::Plan { case }));
    assert!(print(&s, Who::User(&user(&s, 503)), Request::Plan { case }).is_ok());
    assert!(print(&s, Who::User(&user(&s, 502)), Request::Referral { case }).is_ok());
}

#[test]
fn templates_check_names_the_file_and_the_line() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("plan.typ"),
        "#import \"common.typ\": *\n#show: paper.with(title: \"แผน\")\n\n#data.studnet.name\n",
    )
    .expect("write");
    let set = TemplateSet::load(Some(dir.path())).expect("loads");
    assert_eq!(set.overridden(), ["plan.typ"]);
    let errors = dulae::print::templates::check(&set).expect_err("broken");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let problem = errors[0].problems.join("\n");
    assert!(problem.starts_with("plan.typ:4:"), "{problem}");
    assert!(problem.contains("studnet"), "{problem}");

    // A school's working copy is used in place of the shipped one.
    std::fs::write(
        dir.path().join("plan.typ"),
        "#import \"common.typ\": *\n#show: paper.with(title: \"แผน\")\nแผนของโรงเรียนเรา #data.student.name\n",
    )
    .expect("write");
    let set = TemplateSet::load(Some(dir.path())).expect("loads");
    dulae::print::templates::check(&set).expect("all good");
    let pdf = dulae::print::render(&set, &sample::document(DocumentKind::Plan)).expect("typeset");
    assert!(pdf_text(&pdf).contains("แผนของโรงเรียนเรา"));
    // The shipped templates pass their own check.
    dulae::print::templates::check(&TemplateSet::shipped()).expect("shipped templates");
    // A folder that does not exist is an error, not the shipped set in silence.
    assert!(TemplateSet::load(Some(&dir.path().join("missing"))).is_err());
}

#[test]
fn print_in_the_chat_is_buttons_then_a_pdf() {
    let s = report_school();
    let teacher = person(501, "ครูสมศรี");
    let replies = say(&s, &teacher, command("print", ""));
    let labels: Vec<String> = buttons(&replies).into_iter().map(|(t, _)| t).collect();
    assert!(labels.iter().any(|l| l.contains("สรุปผลการคัดกรองรายห้อง")), "{labels:?}");
    assert!(!labels.iter().any(|l| l.contains("รายงาน")), "the report is the head's: {labels:?}");

    let replies = say(&s, &teacher, press(&button_data(&replies, "สรุปผลการคัดกรอง"), 10));
    let classes: Vec<String> = buttons(&replies).into_iter().map(|(t, _)| t).collect();
    assert_eq!(classes, ["ป.4/1"], "only the teacher's own class");
    let replies = say(&s, &teacher, press(&button_data(&replies, "ป.4/1"), 10));
    let pdf = replies
        .iter()
        .find_map(|r| match r {
            Reply::Document { file_name, bytes, caption } => {
                assert!(file_name.ends_with(".pdf"));
                assert!(caption.contains("ป.4/1"));
                Some(bytes.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no document in {replies:?}"));
    assert_thai_intact(&pdf_text(&pdf), &["ด.ช.กิตติ ใจดี"]);
    // Audited: who printed which class.
    let audited: i64 = s
        .app
        .store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log WHERE action = 'print.screening'", [], |r| r.get(0))?))
        .expect("read");
    assert_eq!(audited, 1);

    // A forged button for another class is refused, politely.
    let forged = format!("1:pr:c:s:{}", class_id(&s, "ป.4/2").0);
    let replies = say(&s, &teacher, press(&forged, 10));
    assert!(texts(&replies).contains("ไม่มีสิทธิ์"), "{replies:?}");
    assert!(!replies.iter().any(|r| matches!(r, Reply::Document { .. })));

    // The head has the reports.
    let head = person(502, "หัวหน้างาน");
    let replies = say(&s, &head, command("print", ""));
    let replies = say(&s, &head, press(&button_data(&replies, "รายงานภาคเรียนนี้"), 11));
    assert!(replies.iter().any(|r| matches!(r, Reply::Document { .. })), "{replies:?}");
    // A parent has no /print.
}

#[test]
#[ignore = "writes the sample PDFs to /tmp/dulae-print for a look"]
fn dump_samples() {
    let set = TemplateSet::shipped();
    std::fs::create_dir_all("/tmp/dulae-print").expect("dir");
    for kind in DocumentKind::ALL {
        let pdf = dulae::print::render(&set, &sample::document(kind)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(format!("/tmp/dulae-print/{kind:?}.pdf"), pdf).expect("write");
    }
}

/// Live (unused, not voided) parent invites of the students of `class`.
fn live_parent_invites(s: &School, class: &str) -> i64 {
    let id = class_id(s, class);
    s.app
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM invites i JOIN students st ON st.id = i.student_id
                 WHERE st.class_id = ?1 AND i.used_at IS NULL AND i.voided_at IS NULL",
                [id],
                |r| r.get(0),
            )?)
        })
        .expect("read")
}

/// The one PDF document among the replies (panics when there is none).
fn the_pdf(replies: &[Reply]) -> (String, Vec<u8>, String) {
    let docs: Vec<(String, Vec<u8>, String)> = replies
        .iter()
        .filter_map(|r| match r {
            Reply::Document { file_name, bytes, caption } => Some((file_name.clone(), bytes.clone(), caption.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(docs.len(), 1, "one document in {replies:?}");
    docs.into_iter().next().expect("one document")
}

/// Parent invite slips as PDF in the chat: a homeroom teacher gets their own classes only, the head every
/// class, the counsellor none; the slips arrive as a PDF document with new links (printing again replaces the
/// unused ones); a button for a class outside the rule is refused and makes no links.
#[test]
fn parent_slips_as_pdf_in_the_chat_follow_the_invite_rule() {
    let s = report_school();
    let teacher = person(501, "ครูสมศรี");
    let replies = say(&s, &teacher, command("print", ""));
    let labels: Vec<String> = buttons(&replies).into_iter().map(|(t, _)| t).collect();
    assert!(labels.iter().any(|l| l.contains("ใบเชิญผู้ปกครอง")), "{labels:?}");

    let replies = say(&s, &teacher, press(&button_data(&replies, "ใบเชิญผู้ปกครอง"), 10));
    assert!(texts(&replies).contains("ใบเชิญชุดใหม่จะแทนใบเดิม"), "{replies:?}");
    let classes: Vec<String> = buttons(&replies).into_iter().map(|(t, _)| t).collect();
    assert_eq!(classes, ["ป.4/1"], "only the teacher's own class");

    assert_eq!(live_parent_invites(&s, "ป.4/1"), 0);
    let replies = say(&s, &teacher, press(&button_data(&replies, "ป.4/1"), 10));
    let (file_name, pdf, caption) = the_pdf(&replies);
    assert!(file_name.ends_with(".pdf") && file_name.contains("ป.4-1"), "{file_name}");
    assert!(caption.contains("ใบเชิญผู้ปกครอง ชั้น ป.4/1") && caption.contains("6 ใบ"), "{caption}");
    // Three active students of ป.4/1 (the fourth moved out), two parent places each.
    assert_eq!(live_parent_invites(&s, "ป.4/1"), 6);
    let text = pdf_text(&pdf);
    assert_thai_intact(&text, &["ใบเชิญผู้ปกครองใช้งาน", "ด.ช.กิตติ ใจดี", "ด.ญ.ขวัญ รักเรียน", "ด.ช.คมกริช ขยัน"]);
    assert!(!squeezed(&text).contains("ณัฐย้ายไป"), "a student who moved out gets no slip:\n{text}");
    assert_reads_back(&pdf, "ด.ญ.ขวัญ รักเรียน");
    assert!(text.contains("https://t.me/dulae_test_bot?start="), "the link under each QR code:\n{text}");

    // Printing again replaces the unused slips: still six live links, not twelve.
    let replies = say(&s, &teacher, press(&format!("1:pr:c:l:{}", class_id(&s, "ป.4/1")), 10));
    the_pdf(&replies);
    assert_eq!(live_parent_invites(&s, "ป.4/1"), 6);

    // Another teacher's class, by a forged button: refused politely, no links made, no document.
    let replies = say(&s, &teacher, press(&format!("1:pr:c:l:{}", class_id(&s, "ป.4/2")), 10));
    assert!(texts(&replies).contains("ไม่มีสิทธิ์"), "{replies:?}");
    assert!(!replies.iter().any(|r| matches!(r, Reply::Document { .. })), "{replies:?}");
    assert_eq!(live_parent_invites(&s, "ป.4/2"), 0);

    // The counsellor has no slips (the invite rule), neither as a button nor by a forged one.
    let counsellor = person(503, "ครูแนะแนว");
    let replies = say(&s, &counsellor, command("print", ""));
    assert!(!buttons(&replies).iter().any(|(t, _)| t.contains("ใบเชิญผู้ปกครอง")), "{replies:?}");
    let replies = say(&s, &counsellor, press(&format!("1:pr:c:l:{}", class_id(&s, "ป.4/2")), 10));
    assert!(texts(&replies).contains("ไม่มีสิทธิ์"), "{replies:?}");
    assert_eq!(live_parent_invites(&s, "ป.4/2"), 0);

    // The head: every class.
    let head = person(502, "หัวหน้างาน");
    let replies = say(&s, &head, command("print", ""));
    let replies = say(&s, &head, press(&button_data(&replies, "ใบเชิญผู้ปกครอง"), 11));
    let classes: Vec<String> = buttons(&replies).into_iter().map(|(t, _)| t).collect();
    assert_eq!(classes, ["ป.4/1", "ป.4/2", "ป.5/1"], "every class for the head");
    let replies = say(&s, &head, press(&button_data(&replies, "ป.4/2"), 11));
    let (_, pdf, caption) = the_pdf(&replies);
    assert!(caption.contains("ป.4/2"), "{caption}");
    assert_thai_intact(&pdf_text(&pdf), &["ด.ญ.งามตา สุขใจ", "ด.ช.จักรพันธ์ มีสุข"]);
    assert_eq!(live_parent_invites(&s, "ป.4/2"), 6);
}

/// `dulae …` as a process on a temporary database (a clean environment: no token, no developer's `.env`).
fn dulae_cli(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dulae"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("DULAE_DB", dir.join("school.db"))
        .env("DULAE_SCHOOL_NAME", "โรงเรียนบ้านลูโบ๊ะลือซง")
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("dulae runs")
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

fn invites_in(dir: &std::path::Path) -> (i64, i64) {
    let store = dulae::store::Store::open(&dir.join("school.db")).expect("open");
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*), count(*) FILTER (WHERE used_at IS NULL AND voided_at IS NULL) FROM invites",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .expect("read")
}

/// `dulae print`: files private (0600, in a 0700 folder it makes), never replaced without `--force` (and the
/// slips refuse before making links that would be lost), what it says in Thai.
#[cfg(unix)]
#[test]
fn the_command_line_writes_private_files_and_replaces_one_only_with_force() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    std::fs::write(d.join("roster.csv"), REPORT_ROSTER).expect("roster");
    let out = dulae_cli(d, &["import", "students", "roster.csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = dulae_cli(d, &["print", "screening", "--class", "ป.4/1", "--term", "2/2569", "--out", "paper/s.pdf"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("เขียน paper/s.pdf แล้วค่ะ"), "{said}");
    let file = d.join("paper/s.pdf");
    assert_eq!((mode(&file), mode(&d.join("paper"))), (0o600, 0o700));
    let first = std::fs::read(&file).expect("pdf");
    assert_thai_intact(&pdf_text(&first), &["แบบสรุปผลการคัดกรองนักเรียนรายห้อง", "ด.ช.กิตติ ใจดี", "ป.4/1"]);

    // Again: refused, the file untouched; with --force: replaced, still private.
    std::fs::write(&file, b"the school's own copy").expect("write");
    let out = dulae_cli(d, &["print", "screening", "--class", "ป.4/1", "--out", "paper/s.pdf"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success());
    assert!(err.contains("มีไฟล์ paper/s.pdf อยู่แล้ว") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&file).expect("read"), b"the school's own copy");
    let out = dulae_cli(d, &["print", "screening", "--class", "ป.4/1", "--out", "paper/s.pdf", "--force"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&file).expect("read").starts_with(b"%PDF-"));
    assert_eq!(mode(&file), 0o600);

    // Parent slips: a private PDF; a second run without --force refuses before making any link.
    let out = dulae_cli(d, &["print", "slips", "--class", "ป.4/1", "--out", "slips.pdf"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Four students in ป.4/1 on this roster, two parent places each.
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("เขียนใบเชิญผู้ปกครอง 8 ใบของชั้น ป.4/1 ลงใน slips.pdf"), "{said}");
    assert_eq!(mode(&d.join("slips.pdf")), 0o600);
    assert_thai_intact(&pdf_text(&std::fs::read(d.join("slips.pdf")).expect("pdf")), &["ด.ญ.ขวัญ รักเรียน"]);
    let before = invites_in(d);
    assert_eq!(before, (8, 8));
    let out = dulae_cli(d, &["print", "slips", "--class", "ป.4/1", "--out", "slips.pdf"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(invites_in(d), before, "no links made for a file that was not written");

    // Mistakes are told in Thai.
    let out = dulae_cli(d, &["print", "referral", "--case", "99"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ไม่พบเรื่องที่ 99"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = dulae_cli(d, &["print", "report", "--term", "ภาคสอง"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ไม่ใช่ภาคเรียน"), "{}", String::from_utf8_lossy(&out.stderr));
    // `dulae templates check DIR`: the file, the line and the problem; non-zero exit.
    std::fs::create_dir(d.join("tpl")).expect("dir");
    std::fs::write(
        d.join("tpl/plan.typ"),
        "#import \"common.typ\": *\n#show: paper.with(title: \"แผน\")\n\n#data.studnet.name\n",
    )
    .expect("write");
    let out = dulae_cli(d, &["templates", "check", "tpl"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success());
    assert!(err.contains("plan.typ:4:") && err.contains("studnet"), "{err}");
    assert!(err.contains("แม่แบบมีปัญหา 1 ไฟล์"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("ใช้ไฟล์ของโรงเรียน: plan.typ"));

    let out = dulae_cli(d, &["print", "visit", "--student", "20003"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ยังไม่มีบันทึกการเยี่ยมบ้าน"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
