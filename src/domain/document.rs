//! The documents Dulae prints (the print module lays them out; buttons name them).

/// The documents Dulae prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// แบบสรุปผลการคัดกรองนักเรียน รายห้อง
    Screening,
    /// แบบบันทึกการเยี่ยมบ้าน
    Visit,
    /// แบบส่งต่อนักเรียน + แบบตอบกลับ
    Referral,
    /// แผนการช่วยเหลือนักเรียนรายบุคคล
    Plan,
    /// รายงานผลการดำเนินงานระบบดูแลช่วยเหลือนักเรียน
    Report,
    /// ใบเชิญผู้ปกครอง
    Slips,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::Screening,
        DocumentKind::Visit,
        DocumentKind::Referral,
        DocumentKind::Plan,
        DocumentKind::Report,
        DocumentKind::Slips,
    ];

    /// The template file that lays it out.
    pub fn template(self) -> &'static str {
        match self {
            DocumentKind::Screening => "screening.typ",
            DocumentKind::Visit => "visit.typ",
            DocumentKind::Referral => "referral.typ",
            DocumentKind::Plan => "plan.typ",
            DocumentKind::Report => "report.typ",
            DocumentKind::Slips => "slips.typ",
        }
    }
}
