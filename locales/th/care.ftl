# การส่งต่อ เรื่อง (กรณี) แผนช่วยเหลือรายบุคคล การแจ้งเตือน และสรุปประจำสัปดาห์
# ข้อความแจ้งเตือนต้องไม่มีชื่อนักเรียนหรือรายละเอียด (หน้าจอล็อกของโทรศัพท์แสดงตัวอย่างข้อความ)

cmd-refer = ส่งต่อนักเรียน
cmd-cases = เรื่องที่ดูแล
cmd-plans = สิ่งที่ต้องทำในแผนช่วยเหลือ
pick-title-refer = 📨 ส่งต่อนักเรียน

urgency-normal = ปกติ
urgency-urgent = ด่วน
urgency-very-urgent = ด่วนมาก

case-status-new = ใหม่ (รอรับเรื่อง)
case-status-accepted = รับเรื่องแล้ว
case-status-in-progress = กำลังดำเนินการ
case-status-referred-out = ส่งต่อภายนอก
case-status-closed = ปิดเรื่องแล้ว

## การส่งต่อ
refer-header = 📨 ส่งต่อ: { $name }
refer-ask-aspects = พบปัญหาด้านใด (เลือกได้หลายข้อ แล้วกด "เสร็จ")
refer-aspect-other = อื่น ๆ
refer-pick-an-aspect = กรุณาเลือกอย่างน้อย 1 ด้านค่ะ
refer-ask-reason = เล่าสิ่งที่คุณครูพบสั้น ๆ (พิมพ์ข้อความ)
refer-reason-empty = กรุณาพิมพ์สิ่งที่พบค่ะ
refer-reason-expected = ขั้นนี้ให้พิมพ์สิ่งที่พบเป็นข้อความค่ะ
refer-ask-photo = มีรูปประกอบไหมคะ ส่งรูปได้ 1 รูป หรือกด "ข้าม"
refer-photo-expected = ขั้นนี้ให้ส่งรูป หรือกด "ข้าม" ค่ะ
refer-ask-urgency = เรื่องนี้ด่วนแค่ไหนคะ
refer-ask-target = ส่งต่อให้ใครคะ
refer-target-external = หน่วยงานภายนอก (ครูแนะแนวเป็นผู้ประสาน)
refer-button-confirm = ✅ ยืนยันส่งต่อ
refer-summary =
    ตรวจสอบก่อนส่งค่ะ
    ด้าน: { $aspects }
    สิ่งที่พบ: { $reason }
    รูปประกอบ: { $photo }
    ความเร่งด่วน: { $urgency }
    ส่งถึง: { $target }
refer-done = ✅ ส่งต่อ { $name } แล้วค่ะ (เรื่องที่ #{ $case }) ระบบจะแจ้งคุณครูเมื่อมีการรับเรื่องและเมื่อปิดเรื่อง
refer-cancelled = ยกเลิกการส่งต่อแล้วค่ะ
refer-nobody-to-receive = ยังไม่มีครูแนะแนวหรือหัวหน้างานในระบบที่จะรับเรื่องค่ะ กรุณาแจ้งผู้ดูแลระบบ

## การแจ้งเตือน (ห้ามมีชื่อหรือรายละเอียด)
notify-new-referral = 📨 มีการส่งต่อใหม่ 1 เรื่อง · { $urgency } (#{ $case })
alert-very-urgent = 🚨 มีการส่งต่อด่วนมาก 1 เรื่อง (#{ $case })
notify-referral-accepted = ✅ เรื่องที่ #{ $case } ที่คุณครูส่งต่อ ได้รับเรื่องแล้วค่ะ
notify-more-information = ❓ มีคำถามเพิ่มเติมเกี่ยวกับเรื่องที่ #{ $case } กดเพื่อดูและตอบค่ะ
notify-case-note = 📝 มีบันทึกใหม่ในเรื่องที่ #{ $case }
notify-case-closed = 📘 เรื่องที่ #{ $case } ที่คุณครูส่งต่อ ปิดแล้วค่ะ กดเพื่ออ่านผลการช่วยเหลือ
notify-action-assigned = 📋 คุณครูได้รับมอบหมายกิจกรรมในแผนช่วยเหลือ ครบกำหนด { $due }
case-button-open = เปิดดู
case-button-my-actions = เปิดดู
reminder-late = (แจ้งช้า เพราะระบบหยุดทำงานชั่วคราว)
reminder-before = ⏰ อีก { $days } วันครบกำหนดกิจกรรมในแผนช่วยเหลือ (เรื่องที่ #{ $case }) กำหนด { $due }
reminder-due = ⏰ วันนี้ครบกำหนดกิจกรรมในแผนช่วยเหลือ (เรื่องที่ #{ $case })
reminder-overdue = ⏰ กิจกรรมในแผนช่วยเหลือ (เรื่องที่ #{ $case }) เลยกำหนดมา { $days } วันแล้ว (กำหนด { $due })
alert-action-overdue = ⚠️ กิจกรรมในแผนช่วยเหลือ (เรื่องที่ #{ $case }) เลยกำหนด { $days } วันและยังไม่เสร็จ
reminder-button-done = ✅ เสร็จแล้ว
reminder-button-reschedule = 📅 เลื่อนวัน
reminder-button-open = 📂 เปิดแผน
reminder-accept = ⏰ เรื่องที่ #{ $case } ยังรอการรับเรื่องค่ะ
alert-not-accepted = ⚠️ เรื่องที่ #{ $case } ({ $urgency }) ยังไม่มีผู้รับเรื่องหลังส่งต่อมาแล้ว { $hours } ชั่วโมง
reminder-yearly = 📅 งานประจำปีของระบบดูแลช่วยเหลือนักเรียน: { $task }

## เรื่อง (กรณี)
case-title = เรื่องที่ #{ $case } · { $urgency } · { $status }
case-student = นักเรียน: { $name } ชั้น { $class }
case-referred-by = ส่งต่อโดย { $by } เมื่อ { $date } ({ $days ->
        [0] วันนี้
       *[other] { $days } วันที่แล้ว
    })
case-owner = ผู้รับผิดชอบ: { $owner }
case-aspects = ด้าน: { $aspects }
case-reason = สิ่งที่พบ: { $reason }
case-has-photo = มีรูปประกอบ 1 รูป
case-external = ส่งต่อภายนอก: { $agency }
case-agency-unknown = (ยังไม่ได้ระบุหน่วยงาน)
case-goal = 🎯 เป้าหมายของแผน: { $goal }
case-outcome = 📘 ผลการช่วยเหลือ: { $outcome }
case-button-accept = ✅ รับเรื่อง
case-button-ask = ❓ ขอข้อมูลเพิ่ม
case-button-hand-over = ↪ ส่งให้ผู้อื่น
case-button-goal = 🎯 เป้าหมายแผน
case-button-add-action = ➕ เพิ่มกิจกรรม
case-button-note = 📝 บันทึก
case-button-in-progress = ▶ กำลังดำเนินการ
case-button-referred-out = 🏥 ส่งต่อภายนอก
case-button-close = 📘 ปิดเรื่อง
case-button-history = 🕘 ประวัติ
case-button-photo = 🖼 ดูรูป
case-photo-caption = รูปประกอบเรื่องที่ #{ $case }
case-button-back = ◀ กลับ
case-choose-new-owner = ส่งเรื่องนี้ให้ใครดูแลต่อคะ
case-ask-question = พิมพ์คำถามถึงครูผู้ส่งต่อค่ะ
case-ask-note = พิมพ์บันทึกค่ะ
case-ask-goal = พิมพ์เป้าหมายของแผนช่วยเหลือค่ะ
case-ask-action = พิมพ์กิจกรรมที่จะทำ (เช่น เยี่ยมบ้านร่วมกับผู้ปกครอง)
case-ask-outcome = พิมพ์ผลการช่วยเหลือเพื่อปิดเรื่อง (จำเป็นต้องมี) ค่ะ
case-ask-agency = พิมพ์ชื่อหน่วยงานภายนอกที่ส่งต่อ (เช่น โรงพยาบาล สำนักงานพัฒนาสังคมฯ)
case-type-text = กรุณาพิมพ์เป็นข้อความ หรือกด "ยกเลิก" ค่ะ
case-text-too-long = ข้อความยาวเกินไปค่ะ (ไม่เกิน 1,000 ตัวอักษร)
case-saved = บันทึกแล้วค่ะ
case-not-owner = ขั้นนี้ทำได้เฉพาะผู้รับผิดชอบเรื่องค่ะ
case-is-closed = เรื่องนี้ปิดแล้วค่ะ
case-already-done = รายการนี้ดำเนินการไปแล้วค่ะ
case-note-required = ต้องพิมพ์บันทึกก่อนค่ะ
case-not-allowed = ขออภัยค่ะ คุณครูเปิดเรื่องนี้ไม่ได้
case-history-title = 🕘 ประวัติเรื่องที่ #{ $case }
case-by-system = ระบบ
case-event-opened = ส่งต่อ
case-event-accepted = รับเรื่อง
case-event-question = ขอข้อมูลเพิ่ม
case-event-note = บันทึก
case-event-handed-over = ส่งให้ผู้อื่นดูแล
case-event-in-progress = กำลังดำเนินการ
case-event-referred-out = ส่งต่อภายนอก
case-event-closed = ปิดเรื่อง
case-event-plan-goal = เป้าหมายแผน
case-event-action-added = เพิ่มกิจกรรม
case-event-action-done = กิจกรรมเสร็จ
case-event-action-cancelled = ยกเลิกกิจกรรม
case-event-action-rescheduled = เลื่อนกำหนด
case-event-escalated = แจ้งหัวหน้างาน (ยังไม่รับเรื่อง)
cases-none = ตอนนี้ไม่มีเรื่องที่เปิดอยู่ค่ะ
cases-title = เรื่องที่เปิดอยู่ { $count } เรื่อง (ด่วนก่อน เก่าก่อน)
cases-line = #{ $case } { $urgency } · { $status } · { $who } · { $days } วัน

## แผนช่วยเหลือ
plans-none = ตอนนี้ไม่มีกิจกรรมที่ต้องทำค่ะ
plans-title = กิจกรรมที่ต้องทำ { $count } รายการ (ใกล้ครบกำหนดก่อน)
plan-ask-done-note = บันทึกสั้น ๆ ว่าทำอะไรไป (ถ้ามี) หรือกด "ข้าม": { $action }
plan-ask-new-date = เลื่อนเป็นวันไหนคะ กดปุ่มหรือพิมพ์วันที่ (เช่น 24/11/2569): { $action }
plan-ask-reason = เหตุผลที่เลื่อนค่ะ
plan-ask-owner = ใครรับผิดชอบกิจกรรมนี้คะ
plan-ask-due = ครบกำหนดวันไหนคะ กดปุ่มหรือพิมพ์วันที่ (เช่น 24/11/2569)
plan-owner-me = ฉันเอง
plan-date-unreadable = อ่านวันที่ไม่ได้ค่ะ กรุณาพิมพ์แบบ 24/11/2569 หรือกดปุ่ม
plan-date-in-past = วันที่นี้ผ่านไปแล้วค่ะ กรุณาเลือกวันที่ยังไม่ถึง

## สรุปประจำสัปดาห์ (หัวหน้างาน)
digest-title = 📊 สรุปประจำสัปดาห์ { $date } (ปีการศึกษา { $year } ภาคเรียน { $term })
digest-chart-caption = 📊 ผลคัดกรองรายชั้น และความครอบคลุมตลอดภาคเรียน
digest-screening = คัดกรองแล้ว (รายชั้น):
digest-groups = ผลคัดกรอง: ปกติ { $normal } · เสี่ยง { $risk } · มีปัญหา { $problem } คน
digest-visits = เยี่ยมบ้านแล้ว { $done }/{ $total } คน ({ $percent }%)
digest-cases = เรื่องที่เปิดอยู่: ไม่เกิน 2 วัน { $fresh } · 3–7 วัน { $week } · เกิน 7 วัน { $old } · รอรับเรื่อง { $unaccepted }
digest-overdue = กิจกรรมที่เลยกำหนด { $count } รายการ
digest-unreachable = ติดต่อไม่ได้ (บล็อกบอท) { $count } คน

## Plan review
case-button-review-date = 📆 วันทบทวนแผน
case-review-date = 📆 ทบทวนแผน: { $date }
plan-ask-review-date = ทบทวนแผนวันไหนคะ กดปุ่มหรือพิมพ์วันที่ (เช่น 24/11/2569)
case-event-plan-review = กำหนดวันทบทวนแผน
