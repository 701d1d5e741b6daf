//! Sample data for every document: what `dulae templates check` typesets to find mistakes in a school's
//! template, what the tests read back, and the benchmark's class of 40. Thai names and answers that exercise
//! the hard parts: stacked marks (ชั้น, ที่, ผู้, น้ำ), long unbroken Thai lines, every group and empty cells.

use super::data::*;
use super::{Document, DocumentKind};
use crate::forms::def::Group;

pub const SCHOOL: &str = "โรงเรียนบ้านลูโบ๊ะลือซง";

const FIRST: [&str; 10] = ["สมชาย", "ปิยะนุช", "ณัฐวุฒิ", "กัญญาณัฐ", "ธีรภัทร", "อรุณี", "ศุภชัย", "พิมพ์ชนก", "ภูมิพัฒน์", "น้ำฝน"];
const LAST: [&str; 8] = ["ใจดี", "ศรีสุข", "แก้วมณี", "ทองคำ", "บุญมา", "ชั้นเลิศ", "ผู้ดีมาก", "รุ่งเรือง"];

fn school() -> School {
    School::new(SCHOOL, false)
}

fn student(i: usize) -> StudentInfo {
    StudentInfo {
        name: format!(
            "{}{} {}",
            if i.is_multiple_of(2) { "ด.ช." } else { "ด.ญ." },
            FIRST[i % FIRST.len()],
            LAST[i % LAST.len()]
        ),
        code: format!("{}", 10001 + i),
        class: "ป.4/1".into(),
        nickname: ["ต้น", "น้ำ", "ปั้น", "ฝ้าย"][i % 4].into(),
    }
}

const ASPECTS: [&str; 8] = [
    "ด้านการเรียน",
    "ด้านสุขภาพ",
    "ด้านเศรษฐกิจ",
    "ด้านสวัสดิภาพและความปลอดภัย",
    "ด้านพฤติกรรมและอารมณ์",
    "ด้านสารเสพติด",
    "ด้านความรุนแรง",
    "ด้านพฤติกรรมทางเพศ",
];

/// A class summary of `students` students: every fifth one not screened yet, the others spread over the groups.
pub fn screening_sheet(students: usize) -> ScreeningSheet {
    let aspects: Vec<AspectHead> = ASPECTS
        .iter()
        .enumerate()
        .map(|(i, l)| AspectHead {
            id: format!("a{i}"),
            label: l.to_string(),
            short: l.trim_start_matches("ด้าน").to_string(),
        })
        .collect();
    let mut totals: Vec<GroupTotal> =
        aspects.iter().map(|a| GroupTotal { label: a.label.clone(), ..GroupTotal::default() }).collect();
    let mut overall = GroupTotal { label: "รวม".into(), ..GroupTotal::default() };
    let mut rows = Vec::new();
    for i in 0..students {
        let screened = i % 5 != 4;
        let groups: Vec<Option<Group>> = (0..aspects.len())
            .map(|a| {
                screened.then(|| match (i + a) % 7 {
                    0 => Group::Problem,
                    1 | 2 => Group::Risk,
                    _ => Group::Normal,
                })
            })
            .collect();
        let worst = groups.iter().flatten().copied().max_by_key(|g| match g {
            Group::Normal => 0,
            Group::Risk => 1,
            Group::Problem => 2,
        });
        for (t, g) in totals.iter_mut().zip(&groups) {
            t.add(*g, screened);
        }
        overall.add(worst, screened);
        let s = student(i);
        rows.push(ScreeningRow {
            no: i + 1,
            code: s.code,
            name: s.name,
            groups,
            overall: worst,
            screened_on: if screened { "24 พ.ย. 2569".into() } else { String::new() },
        });
    }
    let screened_count = rows.iter().filter(|r| r.overall.is_some()).count();
    ScreeningSheet {
        school: school(),
        printed_on: "1 ธ.ค. 2569".into(),
        class: "ป.4/1".into(),
        term: "2/2569".into(),
        teachers: vec!["ครูสมศรี ใจดี".into()],
        aspects,
        students_count: rows.len(),
        screened_count,
        students: rows,
        totals,
        overall,
    }
}

pub fn visit_record() -> VisitRecord {
    let answer = |label: &str, answer: &str| VisitItem {
        kind: "answer",
        label: label.into(),
        answer: answer.into(),
        columns: vec![],
        rows: vec![],
        url: String::new(),
        files: vec![],
    };
    VisitRecord {
        school: school(),
        printed_on: "1 ธ.ค. 2569".into(),
        term: "2/2569".into(),
        student: student(0),
        parent_name: "นางสมศรี ใจดี".into(),
        visit_date: "24 พ.ย. 2569".into(),
        recorded_by: "ครูสมศรี ใจดี".into(),
        sections: vec![
            VisitSection {
                title: "การเยี่ยมบ้าน".into(),
                items: vec![
                    answer("วันที่เยี่ยมบ้าน", "24 พ.ย. 2569"),
                    answer("ผู้ไปเยี่ยมบ้าน", "ครูสมศรี ใจดี, ครูปั้น ผู้ช่วย"),
                    answer("ผู้ที่ได้พบ", "แม่"),
                ],
            },
            VisitSection {
                title: "ครอบครัว".into(),
                items: vec![VisitItem {
                    kind: "table",
                    label: "สมาชิกในครัวเรือน".into(),
                    answer: String::new(),
                    columns: vec!["ความสัมพันธ์".into(), "อายุ".into(), "อาชีพ".into()],
                    rows: vec![
                        vec!["แม่".into(), "38".into(), "รับจ้างทั่วไป".into()],
                        vec!["ยาย".into(), "67".into(), "ไม่ได้ทำงาน".into()],
                        vec!["น้องชาย".into(), "6".into(), "นักเรียนชั้นอนุบาล".into()],
                    ],
                    url: String::new(),
                    files: vec![],
                }],
            },
            VisitSection {
                title: "ความเห็นของครู".into(),
                items: vec![answer(
                    "ข้อสังเกตของครู",
                    "นักเรียนช่วยแม่ทำงานบ้านทุกวันหลังเลิกเรียน ผู้ปกครองให้ความร่วมมือเป็นอย่างดี บ้านอยู่ห่างจากโรงเรียนประมาณสิบกิโลเมตร ควรได้รับทุนช่วยเหลือค่าเดินทางและน้ำดื่มสะอาด",
                )],
            },
            VisitSection {
                title: "ตำแหน่งและรูปถ่าย".into(),
                items: vec![
                    VisitItem {
                        kind: "location",
                        label: "ตำแหน่งบ้าน".into(),
                        answer: "6.543210, 101.234567".into(),
                        columns: vec![],
                        rows: vec![],
                        url: map_link(6.54321, 101.234567),
                        files: vec![],
                    },
                    VisitItem {
                        kind: "photos",
                        label: "รูปถ่าย".into(),
                        answer: "1 รูป".into(),
                        columns: vec![],
                        rows: vec![],
                        url: String::new(),
                        files: vec!["photo-1.png".into()],
                    },
                ],
            },
        ],
    }
}

pub fn referral_doc(with_outcome: bool) -> ReferralDoc {
    ReferralDoc {
        school: school(),
        printed_on: "1 ธ.ค. 2569".into(),
        case_no: 7,
        external: with_outcome,
        letter: LetterFields {
            number: String::new(),
            date: "20 พ.ย. 2569".into(),
            to: "ผู้อำนวยการโรงพยาบาลส่งเสริมสุขภาพตำบลลูโบ๊ะลือซง".into(),
            enclosures: "แบบบันทึกการคัดกรองและข้อมูลนักเรียน".into(),
        },
        urgency: "ด่วน".into(),
        student: student(1),
        referred_by: "ครูสมศรี ใจดี".into(),
        opened_on: "20 พ.ย. 2569".into(),
        owner: "ครูแนะแนว สมใจ".into(),
        aspects: "ด้านสุขภาพ, ด้านพฤติกรรมและอารมณ์".into(),
        reason: "นักเรียนซึมเศร้า ไม่ค่อยพูดกับเพื่อน ขาดเรียนบ่อยในช่วงสองสัปดาห์ที่ผ่านมา น้ำหนักลดลง".into(),
        done_before: String::new(),
        status: if with_outcome {
            "ปิดเรื่องแล้ว"
        } else {
            "กำลังดำเนินการ"
        }
        .into(),
        agency: "โรงพยาบาลส่งเสริมสุขภาพตำบล".into(),
        accepted_on: "21 พ.ย. 2569".into(),
        closed_on: if with_outcome { "30 พ.ย. 2569" } else { "" }.into(),
        outcome: with_outcome.then(|| Outcome {
            text: "พบนักเรียนและผู้ปกครองสามครั้ง นักเรียนได้รับการตรวจสุขภาพ อาการดีขึ้น มาเรียนสม่ำเสมอ ครูที่ปรึกษาติดตามต่อทุกสัปดาห์"
                .into(),
        }),
        events: vec![
            EventLine {
                date: "20 พ.ย. 2569".into(), by: "ครูสมศรี ใจดี".into(), what: "ส่งต่อ".into()
            },
            EventLine {
                date: "21 พ.ย. 2569".into(), by: "ครูแนะแนว สมใจ".into(), what: "รับเรื่อง".into()
            },
            EventLine {
                date: "30 พ.ย. 2569".into(), by: "ครูแนะแนว สมใจ".into(), what: "ปิดเรื่อง".into()
            },
        ],
    }
}

pub fn plan_doc() -> PlanDoc {
    let action = |d: &str, due: &str, status: &str, note: &str| ActionLine {
        description: d.into(),
        owner: "ครูแนะแนว สมใจ".into(),
        due_on: due.into(),
        status: status.into(),
        note: note.into(),
    };
    PlanDoc {
        school: school(),
        printed_on: "1 ธ.ค. 2569".into(),
        case_no: 7,
        student: student(1),
        owner: "ครูแนะแนว สมใจ".into(),
        teacher: "ครูสมศรี ใจดี".into(),
        parent_name: "นางสมศรี ใจดี".into(),
        aspects: "ด้านพฤติกรรมและอารมณ์".into(),
        reason: "นักเรียนซึมเศร้า ไม่ค่อยพูดกับเพื่อน ขาดเรียนบ่อย".into(),
        goal: "นักเรียนมาเรียนสม่ำเสมอและมีเพื่อนที่ไว้ใจได้อย่างน้อยหนึ่งคนภายในสิ้นภาคเรียน".into(),
        review_on: "15 ธ.ค. 2569".into(),
        actions: vec![
            action("พูดคุยให้คำปรึกษารายบุคคลสัปดาห์ละครั้ง", "30 พ.ย. 2569", "เสร็จแล้ว", "นักเรียนเปิดใจมากขึ้น"),
            action("ประชุมผู้ปกครองเพื่อวางแผนร่วมกัน", "5 ธ.ค. 2569", "ยังไม่เสร็จ", ""),
            action("จัดเพื่อนช่วยเพื่อนในห้องเรียน", "12 ธ.ค. 2569", "ยังไม่เสร็จ", ""),
        ],
    }
}

pub fn report_doc() -> ReportDoc {
    let classes = ["ป.4/1", "ป.4/2", "ป.5/1", "ป.6/1"]
        .iter()
        .enumerate()
        .map(|(i, name)| ClassLine {
            name: name.to_string(),
            students: 40,
            screened: 38 - i as i64,
            screened_pct: percent2(38 - i as i64, 40),
            visited: 30 + i as i64,
            visited_pct: percent2(30 + i as i64, 40),
            risk: 6 + i as i64,
            problem: 2,
        })
        .collect();
    let ratings = [5.0, 4.0, 4.0, 5.0, 3.0, 4.0, 5.0, 5.0];
    ReportDoc {
        school: school(),
        printed_on: "1 ธ.ค. 2569".into(),
        period: "ภาคเรียนที่ 2/2569".into(),
        terms: vec![TermBlock {
            term: "2/2569".into(),
            dates: "1 พ.ย. 2569 – 31 มี.ค. 2570".into(),
            students: 160,
            screened: 146,
            screened_pct: percent2(146, 160),
            visited: 126,
            visited_pct: percent2(126, 160),
            overall: Overall { normal: 112, risk: 26, problem: 8 },
            aspects: ASPECTS
                .iter()
                .enumerate()
                .map(|(i, l)| AspectLine {
                    label: l.to_string(),
                    normal: 130 - i as i64,
                    risk: 12 + i as i64,
                    problem: 4,
                })
                .collect(),
            classes,
            chart: None,
        }],
        cases: CaseSummary {
            opened: 12,
            closed: 7,
            open: 5,
            by_status: vec![
                CountLine { label: "ใหม่ (รอรับเรื่อง)".into(), count: 1 },
                CountLine { label: "รับเรื่องแล้ว".into(), count: 1 },
                CountLine { label: "กำลังดำเนินการ".into(), count: 2 },
                CountLine { label: "ส่งต่อภายนอก".into(), count: 1 },
                CountLine { label: "ปิดเรื่องแล้ว".into(), count: 7 },
            ],
            by_age: vec![
                CountLine { label: "ไม่เกิน 7 วัน".into(), count: 2 },
                CountLine { label: "8–30 วัน".into(), count: 2 },
                CountLine { label: "31–90 วัน".into(), count: 1 },
                CountLine { label: "มากกว่า 90 วัน".into(), count: 0 },
            ],
        },
        satisfaction: Some(Satisfaction {
            responses: 8,
            items: vec![
                rating_line("ครูที่ปรึกษารู้จักและเข้าใจนักเรียน".into(), &ratings),
                rating_line("การแจ้งข่าวถึงผู้ปกครองทันเวลา".into(), &[4.0, 4.0, 3.0, 5.0, 4.0, 4.0, 3.0, 4.0]),
            ],
            overall: rating_line(
                "รวม".into(),
                &[5.0, 4.0, 4.0, 5.0, 3.0, 4.0, 5.0, 5.0, 4.0, 4.0, 3.0, 5.0, 4.0, 4.0, 3.0, 4.0],
            ),
        }),
    }
}

pub fn slips_doc() -> SlipsDoc {
    SlipsDoc {
        school: school(),
        printed_on: "1 ธ.ค. 2569".into(),
        class: "ป.4/1".into(),
        slips: (0..3)
            .map(|i| {
                let s = student(i);
                SlipLine {
                    student: s.name,
                    code: s.code,
                    class: s.class,
                    guardian: 1 + (i % 2) as u8,
                    link: format!("https://t.me/dulae_school_bot?start=p{i}Xy7Qw3"),
                    expires: "30 เม.ย. 2570".into(),
                    qr: "qr-sample.svg".into(),
                }
            })
            .collect(),
    }
}

/// A tiny PNG (a grey square), for the sample visit's photo.
fn sample_png() -> Vec<u8> {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect width="64" height="48" fill="#9aa"/></svg>"##;
    crate::reports::chart::render_png(svg).unwrap_or_default()
}

fn qr(data: &str) -> Vec<u8> {
    crate::announce::slips::qr_svg(data).map(String::into_bytes).unwrap_or_default()
}

/// The sample document of `kind`, with its pictures.
pub fn document(kind: DocumentKind) -> Document {
    let made = match kind {
        DocumentKind::Screening => Document::new(kind, &screening_sheet(12)),
        DocumentKind::Visit => Document::new(kind, &visit_record()).map(|d| {
            d.with_image("location-qr.svg", qr(&map_link(6.54321, 101.234567))).with_image("photo-1.png", sample_png())
        }),
        DocumentKind::Referral => Document::new(kind, &referral_doc(true)),
        DocumentKind::Plan => Document::new(kind, &plan_doc()),
        DocumentKind::Report => Document::new(kind, &report_doc()),
        DocumentKind::Slips => Document::new(kind, &slips_doc())
            .map(|d| d.with_image("qr-sample.svg", qr("https://t.me/dulae_school_bot?start=p0Xy7Qw3"))),
    };
    // Serialising these plain structs cannot fail; an empty document would still be typeset.
    made.unwrap_or(Document { kind, inputs: super::engine::Inputs::default() })
}
