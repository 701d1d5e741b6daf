# Dulae — พิมพ์เอกสาร PDF (ภาษาไทย)
# ข้อความในเอกสารอยู่ในแม่แบบ templates/*.typ ไฟล์นี้มีเฉพาะข้อความในแชตและคำที่ใส่ลงในเอกสารจากข้อมูล

## คำในเอกสาร
print-system = ระบบ
print-referral-enclosures = แบบบันทึกการคัดกรองและข้อมูลนักเรียน
print-action-open = ยังไม่เสร็จ
print-action-done = เสร็จแล้ว
print-action-cancelled = ยกเลิก
print-age-week = ไม่เกิน 7 วัน
print-age-month = 8–30 วัน
print-age-quarter = 31–90 วัน
print-age-longer = มากกว่า 90 วัน

## /print ในแชต
cmd-print = พิมพ์เอกสาร (PDF)
print-choose = ต้องการพิมพ์เอกสารใดคะ
print-kind-screening = 📋 สรุปผลการคัดกรองรายห้อง
print-kind-visit = 🏠 บันทึกการเยี่ยมบ้าน
print-kind-referral = 📨 แบบส่งต่อและแบบตอบกลับ
print-kind-plan = 🗂 แผนการช่วยเหลือรายบุคคล
print-kind-report-term = 📊 รายงานภาคเรียนนี้
print-kind-slips = 🎟 ใบเชิญผู้ปกครอง (PDF)
print-kind-report-year = 📚 รายงานปีการศึกษานี้
print-choose-class = เลือกห้องเรียนค่ะ
print-choose-class-slips = เลือกห้องเรียนค่ะ ใบเชิญชุดใหม่จะแทนใบเดิมที่ยังไม่ได้ใช้
print-choose-student = เลือกนักเรียนค่ะ
print-choose-case = เลือกเรื่องค่ะ
print-case-button = #{ $id } { $student } · { $status }
print-nothing = ไม่มีเอกสารที่คุณครูพิมพ์ได้ค่ะ
print-no-classes = คุณครูยังไม่มีห้องเรียนที่ดูแลค่ะ
print-no-students = ห้องนี้ยังไม่มีรายชื่อนักเรียนค่ะ
print-no-cases = ยังไม่มีเรื่องส่งต่อที่คุณครูดูได้ค่ะ
print-no-visit = นักเรียนคนนี้ยังไม่มีบันทึกการเยี่ยมบ้านค่ะ
print-not-allowed = ขออภัยค่ะ คุณครูไม่มีสิทธิ์พิมพ์เอกสารนี้
print-working = กำลังจัดทำเอกสาร รอสักครู่นะคะ…
print-caption = 📄 { $title }
    เอกสารมีข้อมูลส่วนบุคคลของนักเรียน กรุณาเก็บรักษาให้ดีค่ะ
print-failed = ขออภัยค่ะ จัดทำเอกสารไม่สำเร็จ กรุณาแจ้งผู้ดูแลระบบค่ะ
print-use-buttons = กรุณากดปุ่มด้านบนเพื่อเลือกค่ะ
print-cancelled = ยกเลิกการพิมพ์แล้วค่ะ
print-button-cancel = ยกเลิก

## dulae print และ dulae templates (บรรทัดคำสั่ง)
print-cli-bad-term = "{ $text }" ไม่ใช่ภาคเรียน กรุณาเขียนแบบ 2/2569 ค่ะ
print-cli-logo-unreadable = อ่านไฟล์โลโก้ของโรงเรียน (DULAE_SCHOOL_LOGO) { $file } ไม่ได้ค่ะ
print-cli-templates-broken = แม่แบบเอกสารพิมพ์มีปัญหาค่ะ (แก้ไฟล์ตามบรรทัดข้างล่าง หรือเลิกตั้ง DULAE_TEMPLATES_DIR)
print-cli-school-copy = ใช้ไฟล์ของโรงเรียน: { $name }
print-cli-template-ok = ใช้ได้: { $name }
print-cli-templates-failed = แม่แบบมีปัญหา { $count } ไฟล์ค่ะ
print-cli-no-class = ชั้น { $class } ยังไม่มีนักเรียน กรุณานำเข้ารายชื่อนักเรียนก่อนค่ะ
print-cli-no-student = ไม่พบนักเรียนเลขประจำตัว { $code } ค่ะ
print-cli-written = เขียน { $file } แล้วค่ะ ({ $title }, { $kb } KB)
print-cli-slips-written = เขียนใบเชิญผู้ปกครอง { $count } ใบของชั้น { $class } ลงใน { $file } แล้วค่ะ — พิมพ์บนกระดาษ A4 แล้วตัดแจก ลิงก์แต่ละอันใช้ได้ครั้งเดียว
print-missing-class = ไม่พบชั้นเรียนนี้ค่ะ (รหัส { $id })
print-missing-student = ไม่พบนักเรียนคนนี้ค่ะ (รหัส { $id })
print-missing-case = ไม่พบเรื่องที่ { $case } ค่ะ
print-missing-visit = นักเรียนเลขประจำตัว { $code } ยังไม่มีบันทึกการเยี่ยมบ้านค่ะ
