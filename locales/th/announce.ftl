# Dulae — ประกาศ ใบเชิญผู้ปกครอง (ภาษาไทย)
# น้ำเสียงเดียวกับ bot.ftl: สุภาพ ลงท้าย "ค่ะ" ประโยคสั้น

## เมนูคำสั่ง
cmd-announce = ส่งประกาศถึงผู้ปกครอง
cmd-news = ประกาศย้อนหลัง
cmd-parents = ผู้ปกครองที่ลงทะเบียนแล้ว

## ผู้รับ
announce-audience-all-parents = ผู้ปกครองทั้งโรงเรียน
announce-audience-staff = บุคลากรทั้งหมด
announce-audience-parents-of = ผู้ปกครอง { $classes }

## เลือกผู้รับ
announce-choose-audience = ส่งประกาศถึงใครคะ
announce-choose-grade = เลือกสายชั้นค่ะ
announce-choose-class = เลือกชั้นค่ะ
announce-to-all-parents = 👪 ผู้ปกครองทั้งโรงเรียน
announce-to-grade = สายชั้น
announce-to-class = ชั้นเดียว
announce-to-staff = 👩‍🏫 บุคลากรทั้งหมด
announce-to-my-classes = ทุกชั้นที่ฉันสอน
announce-no-classes = คุณครูยังไม่มีชั้นเรียนที่ดูแลค่ะ กรุณาติดต่อผู้ดูแลระบบ

## เขียนประกาศ
announce-ask-text =
    ประกาศถึง { $audience }
    พิมพ์ข้อความประกาศได้เลยค่ะ (ไม่เกิน { $max } ตัวอักษร)
announce-text-empty = ยังไม่มีข้อความค่ะ กรุณาพิมพ์ข้อความประกาศ
announce-text-expected = กรุณาพิมพ์ข้อความประกาศก่อนค่ะ รูปหรือไฟล์แนบได้ในขั้นถัดไป
announce-ask-media =
    แนบรูป 1 รูป หรือไฟล์ PDF 1 ไฟล์ได้ค่ะ
    ส่งรูปหรือไฟล์มาได้เลย หรือกด "ไม่แนบ"
    (ประกาศที่มีไฟล์แนบ ข้อความต้องไม่เกิน { $max } ตัวอักษร)
announce-no-media = ไม่แนบ
announce-media-only-photo-pdf = แนบได้เฉพาะรูปภาพหรือไฟล์ PDF ค่ะ
announce-caption-too-long = ข้อความยาวเกินกว่าจะแนบไฟล์ได้ค่ะ กรุณากด "ไม่แนบ" หรือยกเลิกแล้วเขียนให้สั้นลง
announce-text-too-long = ข้อความยาวเกินไปค่ะ กรุณาแก้ไขให้สั้นลง

## ตัวอย่างก่อนส่ง
announce-preview =
    ตัวอย่างประกาศค่ะ
    ถึง: { $audience } ({ $count } คน)
    ส่ง: { $when }
    แนบ: { $attachment }
    ────────
    { $body }
announce-when-now = ทันที
announce-attachment-none = ไม่มี
announce-attachment-photo = รูป 1 รูป
announce-attachment-pdf = ไฟล์ PDF 1 ไฟล์
announce-no-recipients = ยังไม่มีผู้รับในกลุ่มนี้ค่ะ (ยังไม่มีผู้ปกครองลงทะเบียน)
announce-button-send = ✅ ยืนยันส่งเลย
announce-button-confirm-scheduled = ✅ ยืนยันตั้งเวลาส่ง
announce-button-schedule = 🕒 ตั้งเวลาส่ง
announce-button-edit = ✏️ แก้ไขข้อความ

## ตั้งเวลา
announce-ask-time =
    พิมพ์วันและเวลาที่จะส่งค่ะ
    เช่น 24/11/2569 08:00
announce-time-bad = อ่านวันเวลาไม่ได้ค่ะ กรุณาพิมพ์แบบ 24/11/2569 08:00
announce-time-past = เวลานี้ผ่านไปแล้วค่ะ กรุณาเลือกเวลาข้างหน้า
announce-time-far = ตั้งเวลาล่วงหน้าได้ไม่เกิน 1 ปีค่ะ
announce-time-passed = เวลาที่ตั้งไว้ผ่านไปแล้วค่ะ กรุณาตั้งเวลาใหม่
announce-scheduled =
    🕒 ตั้งเวลาส่งแล้วค่ะ
    ส่ง: { $when }
    ถึง: { $audience } ({ $count } คน)
announce-button-unschedule = ✖ ยกเลิกการส่ง
announce-unscheduled = ยกเลิกการส่งประกาศนี้แล้วค่ะ
announce-cannot-cancel = ยกเลิกไม่ได้แล้วค่ะ ประกาศนี้เริ่มส่งแล้ว

## ความคืบหน้าและรายงาน
announce-progress =
    📤 กำลังส่งประกาศถึง { $audience }
    ส่งแล้ว { $done }/{ $total }
announce-report =
    ✅ ส่งประกาศเสร็จแล้วค่ะ
    ถึง: { $audience } ({ $total } คน)
    ส่งถึง: { $sent } คน
    บล็อกบอท: { $blocked } คน
    ส่งไม่สำเร็จ: { $failed } คน
    รับทราบแล้ว: { $acks } คน
announce-button-missing = 📋 รายชื่อที่ส่งไม่ถึง
announce-button-not-acked = 👀 ใครยังไม่รับทราบ
announce-missing-title = รายชื่อที่ส่งไม่ถึง { $count } คน (โทรแจ้งได้ค่ะ)
announce-not-acked-title =
    รับทราบแล้ว { $acks } จาก { $total } คน
    ยังไม่รับทราบ { $count } คน
announce-list-more = …และอีก { $count } คน

## ผู้ปกครองได้รับ
announce-header = 📢 ประกาศจากโรงเรียน ({ $author })
announce-header-school = 📢 ประกาศจาก{ $school } ({ $author })
announce-ack-button = ✅ รับทราบ
announce-acked = ขอบคุณค่ะ บันทึกว่ารับทราบแล้ว
announce-acked-already = ท่านกดรับทราบไว้แล้วค่ะ

## ประกาศย้อนหลัง
announce-history-title = ประกาศล่าสุดที่ท่านได้รับค่ะ
announce-history-none = ยังไม่มีประกาศค่ะ
announce-history-acked = ✅ รับทราบแล้ว
announce-history-not-acked = ยังไม่ได้กดรับทราบ

## ใบเชิญผู้ปกครอง (ครูประจำชั้น)
slips-caption =
    ใบเชิญผู้ปกครอง ชั้น { $class } ({ $count } ใบ)
    เปิดไฟล์แล้วพิมพ์ ตัดแจกผู้ปกครองค่ะ
    แต่ละใบใช้ได้ครั้งเดียว ภายใน { $expires }
slips-all-joined = ชั้น { $class } มีผู้ปกครองลงทะเบียนครบทุกคนแล้วค่ะ
parents-title = ผู้ปกครองที่ลงทะเบียนแล้ว
parents-class-line = ชั้น { $class }: { $joined }/{ $total } คน
parents-hint = ✅ มีผู้ปกครองลงทะเบียนแล้ว ⬜ ยังไม่มี กด /invite เพื่อพิมพ์ใบเชิญค่ะ
