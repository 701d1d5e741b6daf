# Help by the homeroom teacher (ช่วยเหลือเบื้องต้น) and class meetings with parents (ประชุมผู้ปกครองชั้นเรียน).

cmd-meeting = บันทึกการประชุมผู้ปกครองชั้นเรียน

## Help in class
help-button-start = 🤝 ช่วยเหลือเบื้องต้น
help-button-open-case = 📂 เปิดเรื่องที่ #{ $case }
help-ask-reason = 🤝 ช่วยเหลือเบื้องต้น: { $name } ชั้น { $class }
    พิมพ์สิ่งที่ครูสังเกตเห็นและเหตุที่จะช่วยเหลือค่ะ
help-reason-expected = กรุณาพิมพ์สิ่งที่ครูสังเกตเห็นเป็นข้อความค่ะ
help-not-teacher = การช่วยเหลือเบื้องต้นเป็นงานของครูประจำชั้นค่ะ
help-already-open = { $name } มีเรื่องที่ยังเปิดอยู่แล้ว (เรื่องที่ #{ $case }) กดเปิดดูได้เลยค่ะ
help-opened = ✅ เริ่มช่วยเหลือเบื้องต้นแล้ว (เรื่องที่ #{ $case }) ตั้งเป้าหมายและเพิ่มกิจกรรมได้จากปุ่มด้านล่างค่ะ
help-cancelled = ยกเลิกการช่วยเหลือเบื้องต้นแล้วค่ะ
help-already-referred = เรื่องนี้ส่งต่อครูแนะแนวแล้วค่ะ
help-refer-urgency = ส่งต่อเรื่องที่ #{ $case } ให้ครูแนะแนว พร้อมประวัติการช่วยเหลือทั้งหมด
    เรื่องนี้ด่วนแค่ไหนคะ
help-refer-person = ส่งต่อเรื่องที่ #{ $case } ให้ใครคะ
help-referred = 📨 ส่งต่อเรื่องที่ #{ $case } ให้ { $owner } แล้วค่ะ ครูยังติดตามเรื่องนี้ได้ที่ /cases
case-classroom-by = ครูประจำชั้น { $by } เริ่มช่วยเหลือเมื่อ { $date } ({ $days ->
        [0] วันนี้
       *[other] { $days } วันที่แล้ว
    })
case-button-refer-counsellor = 📨 ส่งต่อครูแนะแนว
case-event-classroom-opened = เริ่มช่วยเหลือเบื้องต้น (ครูประจำชั้น)
case-event-referred = ส่งต่อครูแนะแนว

## Opening a notification
case-recent-title = ความเคลื่อนไหวล่าสุด:
case-entry-question = ❓ คำถามเรื่องที่ #{ $case } จาก { $who } ({ $date }):
case-entry-note = 📝 บันทึกใหม่เรื่องที่ #{ $case } จาก { $who } ({ $date }):
case-button-answer = ✍️ ตอบคำถาม
case-ask-answer = พิมพ์คำตอบของครูค่ะ

## Class meetings with parents
meeting-no-class = ครูยังไม่มีชั้นเรียนที่เป็นครูประจำชั้นค่ะ
meeting-choose-class = 👪 บันทึกการประชุมผู้ปกครองชั้นเรียน เลือกชั้นค่ะ
meeting-ask-date = 👪 ประชุมผู้ปกครองชั้น { $class }
    ประชุมวันที่เท่าไรคะ กดปุ่มวันนี้ หรือพิมพ์วันที่ เช่น 24/11/2569
meeting-button-today = วันนี้ ({ $date })
meeting-date-unreadable = อ่านวันที่ไม่ได้ค่ะ พิมพ์แบบ 24/11/2569 หรือกดปุ่มวันนี้ค่ะ
meeting-date-future = วันที่ประชุมต้องไม่เลยวันนี้ค่ะ
meeting-ask-topics = 👪 ประชุมผู้ปกครองชั้น { $class } วันที่ { $date }
    ประชุมเรื่องอะไรบ้างคะ พิมพ์สั้น ๆ ได้เลยค่ะ
meeting-topics-expected = กรุณาพิมพ์เรื่องที่ประชุมเป็นข้อความค่ะ
meeting-ask-attendance = 👪 ประชุมผู้ปกครองชั้น { $class } วันที่ { $date }
    ผู้ปกครองของนักเรียนคนใดมาประชุมบ้างคะ กดเลือกให้ครบแล้วกดบันทึกค่ะ (เลือกแล้ว { $count } จาก { $students } คน)
meeting-page = หน้า { $page }/{ $pages }
meeting-button-save = ✅ บันทึก
meeting-saved = ✅ บันทึกการประชุมผู้ปกครองชั้น { $class } วันที่ { $date } แล้วค่ะ ผู้ปกครองมาประชุม { $count } จาก { $students } คน
meeting-cancelled = ยกเลิกการบันทึกการประชุมแล้วค่ะ

## Statistics
stats-help = 🤝 ครูประจำชั้นช่วยเหลือ { $classroom } เรื่อง
    📨 ส่งต่อครูแนะแนว { $referred } เรื่อง (จากครูประจำชั้น { $escalated })
stats-meetings = 👪 ประชุมผู้ปกครอง { $held } ครั้ง · มาประชุม { $parents } คน
