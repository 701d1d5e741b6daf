# Dulae — สถิติและรายงาน (ภาษาไทย)
# น้ำเสียงเดียวกับทั้งระบบ: สุภาพ ลงท้าย "ค่ะ" ประโยคสั้น อ่านง่ายบนมือถือ ไม่มีตารางกว้าง

## เมนูคำสั่ง
cmd-stats = สถิติการดูแลนักเรียน
cmd-export = ดาวน์โหลดรายงาน (Excel)

## /stats
stats-title = 📊 สถิติภาคเรียน { $term }
    ข้อมูล ณ วันที่ { $date } ค่ะ
stats-class = 🏫 { $class } · นักเรียน { $students } คน
stats-school = 🏫 ทั้งโรงเรียน · นักเรียน { $students } คน
stats-total = 🧮 รวมห้องของคุณครู · นักเรียน { $students } คน
stats-screened = คัดกรองแล้ว { $done }/{ $students } คน ({ $pct }%)
stats-groups = 🟢 ปกติ { $normal } · 🟡 เสี่ยง { $risk } · 🔴 มีปัญหา { $problem }
stats-visited = เยี่ยมบ้านแล้ว { $done }/{ $students } คน ({ $pct }%)
stats-cases = เรื่องที่เปิดอยู่ { $open } · ปิดแล้ว { $closed }
stats-overdue = ⏰ กิจกรรมเลยกำหนด { $count } รายการ
stats-aspects-title = รายด้าน (ปกติ / เสี่ยง / มีปัญหา):
stats-aspect = • { $aspect }
    {"   "}{ $normal } / { $risk } / { $problem }
stats-flag = ⭐ { $flag }: { $count } คน
stats-survey = 😊 ความพึงพอใจ: ตอบ { $responses } คน
    เฉลี่ย { $mean } จาก 5 คะแนนค่ะ
stats-chart-caption = 📈 ผลการคัดกรองรายห้อง ภาคเรียน { $term }
stats-export-hint = ต้องการไฟล์ Excel ส่ง /export ได้เลยค่ะ
stats-no-classes = คุณครูยังไม่มีห้องเรียนที่ดูแลค่ะ
    ติดต่อผู้ดูแลระบบเพื่อเพิ่มห้องนะคะ
stats-no-students = ยังไม่มีรายชื่อนักเรียนในระบบค่ะ
    ผู้ดูแลระบบนำเข้ารายชื่อก่อนนะคะ
stats-not-allowed = บทบาทนี้ดูสถิติการดูแลนักเรียนไม่ได้ค่ะ

## /export
export-caption = 📎 รายงานภาคเรียน { $term } (ข้อมูล ณ { $date })
    เป็นข้อมูลส่วนบุคคลของนักเรียน โปรดเก็บรักษาอย่างปลอดภัยค่ะ

## แผนภูมิ
chart-groups-title = ผลการคัดกรองรายห้อง ภาคเรียน { $term }
chart-as-of = ข้อมูล ณ วันที่ { $date }
chart-not-screened = ยังไม่คัดกรอง
chart-school = ทั้งโรงเรียน
chart-total = รวม
chart-no-students = ไม่มีนักเรียน
chart-coverage-title = ความครอบคลุมการคัดกรองรายสัปดาห์ (ร้อยละ)
chart-no-data = ยังไม่มีข้อมูลการคัดกรองในภาคเรียนนี้
chart-footer = คัดกรองแล้ว { $screened } จาก { $students } คน · ดูแล
