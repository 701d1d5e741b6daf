# ปีการศึกษา การขึ้นปีการศึกษาใหม่ การเปลี่ยนแปลงบุคลากร และลิงก์ผู้ปกครอง (ภาษาไทย)
# ข้อความบรรทัดคำสั่งอ่านโดยครูคอมพิวเตอร์ของโรงเรียน: สั้น ชัด บอกว่าต้องทำอะไรต่อ

## ปีการศึกษาในสถิติและสรุปประจำสัปดาห์
stats-visited-year = เยี่ยมบ้านแล้ว (ปีการศึกษานี้) { $done }/{ $students } คน ({ $pct }%)
digest-visits-year = เยี่ยมบ้านแล้ว (ปีการศึกษานี้) { $done }/{ $total } คน ({ $percent }%)

## ลิงก์เชิญที่ใช้ไม่ได้
invite-voided = ลิงก์เชิญนี้ถูกยกเลิกแล้วค่ะ (อาจมีการพิมพ์ใบเชิญใหม่แทน) กรุณาขอลิงก์ใหม่จากครูที่ปรึกษาหรือโรงเรียน
invite-refused-revoked = สิทธิ์การใช้งานของท่านถูกยกเลิกแล้วค่ะ ลิงก์เชิญจึงใช้กับบัญชีนี้ไม่ได้ หากคิดว่าผิดพลาด กรุณาติดต่อผู้ดูแลระบบของโรงเรียน
invite-student-left = ลิงก์เชิญนี้ใช้ไม่ได้แล้วค่ะ เพราะนักเรียนคนนี้ไม่ได้อยู่ในรายชื่อของโรงเรียนแล้ว หากคิดว่าผิดพลาด กรุณาติดต่อโรงเรียน
invite-places-taken = นักเรียนคนนี้มีผู้ปกครองเชื่อมต่อครบจำนวนแล้วค่ะ หากต้องการเปลี่ยนผู้ปกครอง กรุณาแจ้งครูที่ปรึกษา

## เรื่องและกิจกรรมของผู้ที่พ้นหน้าที่
notify-actions-handed-over = 📋 มีกิจกรรมในแผนช่วยเหลือ { $count } รายการ ส่งต่อมาให้คุณครูดูแล เพราะผู้รับผิดชอบเดิมพ้นหน้าที่แล้วค่ะ
case-event-owner-left = ผู้รับผิดชอบพ้นหน้าที่ ส่งต่อเรื่องให้ผู้อื่น
case-event-action-owner-left = ผู้รับผิดชอบกิจกรรมพ้นหน้าที่ ส่งต่อกิจกรรมให้ผู้อื่น

## dulae staff
staff-list-empty = ยังไม่มีบุคลากรในระบบค่ะ สร้างลิงก์เชิญคนแรกด้วย dulae invite admin
staff-list-header = รหัส · ชื่อ · บทบาท · ชั้นที่ดูแล · สถานะ
staff-list-line = #{ $id } · { $name } { $username } · { $role } · { $classes } · { $status }
staff-status-active = ใช้งานได้
staff-status-revoked = ยกเลิกสิทธิ์แล้ว
staff-no-classes = (ไม่มีชั้น)
staff-bad-class = ชั้น "{ $class }" อ่านไม่ได้ค่ะ: { $problem } (เขียนแบบ ป.5/1)
staff-classes-set = { $name } (#{ $id }) ดูแลชั้น: { $after }
    (เดิม: { $before })
staff-revoked = ยกเลิกสิทธิ์แล้ว: { $name } (#{ $id }, { $role }) ใช้บอทไม่ได้ตั้งแต่ตอนนี้ค่ะ
staff-revoked-already = { $name } (#{ $id }) ถูกยกเลิกสิทธิ์อยู่แล้วค่ะ ไม่มีอะไรเปลี่ยน
staff-revoked-detail = สิ้นสุดการดูแลชั้นเรียน { $classes } ชั้น · ยกเลิกลิงก์เชิญที่ยังไม่ได้ใช้ { $invites } ลิงก์
staff-revoked-handed = ส่งต่อเรื่องที่เปิดอยู่ { $cases } เรื่อง และกิจกรรม { $actions } รายการ ให้ { $to } แล้ว (แจ้งเตือนและบันทึกในประวัติของเรื่องแล้ว)
staff-revoked-nobody = ⚠️ ยังไม่มีครูแนะแนวหรือหัวหน้างานในระบบ: เรื่องที่เปิดอยู่ { $cases } เรื่อง และกิจกรรม { $actions } รายการ ยังไม่มีผู้รับช่วง เชิญครูแนะแนวแล้วให้ครูแนะแนวรับช่วงต่อค่ะ
staff-reinstated = คืนสิทธิ์แล้ว: { $name } (#{ $id }, { $role }) ใช้บอทได้อีกครั้ง หากเป็นครูที่ปรึกษา กำหนดชั้นด้วย dulae staff assign ค่ะ
staff-error-no-person = ไม่พบบุคคล "{ $who }" ค่ะ ดูรหัสได้ด้วย dulae staff list
staff-error-not-teacher = { $name } เป็น{ $role } ไม่ใช่ครูที่ปรึกษา จึงกำหนดชั้นเรียนไม่ได้ค่ะ
staff-error-revoked = { $name } ถูกยกเลิกสิทธิ์อยู่ค่ะ คืนสิทธิ์ก่อนด้วย dulae staff reinstate
staff-error-unknown-class = ไม่มีชั้น { $class } ในรายชื่อนักเรียนค่ะ นำเข้ารายชื่อของชั้นนี้ก่อน
staff-error-not-their-class = { $name } ไม่ได้ดูแลชั้น { $class } อยู่แล้วค่ะ
staff-error-not-revoked = { $name } ใช้งานได้อยู่แล้วค่ะ ไม่ต้องคืนสิทธิ์
staff-error-own-access = ยกเลิกสิทธิ์ของตัวเองไม่ได้ค่ะ

## dulae year
year-bad-year = "{ $year }" ไม่ใช่ปีการศึกษาค่ะ เขียนเป็นปี พ.ศ. เช่น 2570
year-plan-title-check = 🔎 ตรวจสอบการขึ้นปีการศึกษา { $year } (ยังไม่บันทึกอะไร)
year-plan-title = 🎒 ขึ้นปีการศึกษา { $year }
year-plan-students = นักเรียนก่อนขึ้นปี { $active } คน: ย้ายชั้น { $moved } · ชั้นเดิม { $stayed } · นักเรียนใหม่ { $added } · กลับเข้าเรียน { $returned } · ย้ายออก (เก็บประวัติไว้) { $archived }
year-plan-archived-title = นักเรียนที่ไม่อยู่ในรายชื่อใหม่ (ย้ายออก ไม่ลบข้อมูล):
year-and-more = ... และอีก { $count } รายการ
year-plan-assignments = สิ้นสุดการดูแลชั้นเรียนของปีที่แล้ว { $count } รายการ · ยกเลิกลิงก์เชิญครูที่ยังไม่ได้ใช้ { $invites } ลิงก์ · ยกเลิกลิงก์ผู้ปกครองของนักเรียนที่ย้ายออก { $codes } ลิงก์
year-plan-no-teacher = ชั้นที่ยังไม่มีครูที่ปรึกษา { $count } ชั้น: { $classes }
year-plan-no-cases = ไม่มีเรื่องที่เปิดอยู่ค่ะ
year-plan-cases = เรื่องที่ดำเนินต่อในปีใหม่ { $cases } เรื่อง (กิจกรรมในแผนที่ยังเปิดอยู่ { $actions } รายการ) เรื่องติดตัวนักเรียน ไม่ได้ติดกับชั้นเรียน:
year-plan-case-line = {"  "}#{ $case } { $student } → { $class } · ผู้รับผิดชอบ { $owner } · { $urgency } · { $status } · กิจกรรม { $actions }
year-plan-student-leaves = ย้ายออก (ปิดเรื่องหรือส่งต่อ)
year-plan-next-steps = ขั้นต่อไป: กำหนดชั้นให้ครูที่ปรึกษาด้วย dulae staff assign WHO --class ป.1/1 (หรือ /staff ในแชต) แล้วพิมพ์ใบเชิญผู้ปกครองของนักเรียนใหม่
year-check-nothing-written = ยังไม่มีการบันทึกใด ๆ ค่ะ (--check) ถ้าถูกต้อง รันคำสั่งเดิมโดยไม่ใส่ --check
year-started = ✅ เริ่มปีการศึกษา { $year } แล้วค่ะ
year-roster-invalid = รายชื่อ { $file } มีปัญหา { $count } จุด:
year-too-early = ยังเริ่มปีการศึกษา { $year } ไม่ได้ค่ะ เริ่มได้ตั้งแต่ { $from } (วันสุดท้ายของภาคเรียนที่ 2/{ $previous }) ถ้าโรงเรียนปิดภาคเรียนเร็วกว่านั้น ตั้งวันด้วย dulae terms set 2/{ $previous } --from … --to …
year-already-started = ปีการศึกษา { $year } เริ่มไปแล้วค่ะ (ดูด้วย dulae year list) ถ้าต้องการแก้รายชื่อ ใช้ dulae import students
year-needs-yes = รายชื่อใหม่จะย้ายออกนักเรียน { $archived } จาก { $active } คน ซึ่งเกินหนึ่งในสี่ ตรวจสอบว่าไฟล์ครบทุกชั้น ถ้าถูกต้องแล้ว เพิ่ม --yes
year-nothing-changed = ไม่มีการเปลี่ยนแปลงใด ๆ ค่ะ
year-current = ปีการศึกษาปัจจุบัน: { $year }
year-term-line-recorded = {"  "}ภาคเรียน { $term }: { $from } – { $to } (โรงเรียนกำหนด)
year-term-line-national = {"  "}ภาคเรียน { $term }: { $from } – { $to } (ปฏิทินทั่วไป ตั้งวันจริงด้วย dulae terms set)
year-history-empty = ยังไม่เคยขึ้นปีการศึกษาด้วย dulae year start
year-history-line = เริ่มปีการศึกษา { $year } เมื่อ { $date }

## /staff ในแชต (ผู้ดูแลระบบ)
cmd-staff = บุคลากร: ชั้นเรียนและสิทธิ์
staff-chat-title = 👥 บุคลากร { $count } คน (หน้า { $page }/{ $pages })
    แตะชื่อเพื่อกำหนดชั้นเรียนหรือสิทธิ์ค่ะ
staff-chat-empty = ยังไม่มีบุคลากรในระบบค่ะ สร้างลิงก์เชิญด้วย /invite
staff-chat-person = 👤 { $name }
    บทบาท: { $role }
    ชั้นที่ดูแล: { $classes }
    สถานะ: { $status }
staff-chat-classes = ชั้นที่ { $name } ดูแล
    แตะชั้นเพื่อเพิ่มหรือเอาออก (บันทึกทันที) เสร็จแล้วกด "เสร็จ" ค่ะ
staff-chat-revoke-ask = ยกเลิกสิทธิ์ของ { $name } ใช่ไหมคะ
    ชั้นเรียนที่ดูแลจะสิ้นสุด ลิงก์เชิญที่ยังไม่ได้ใช้จะใช้ไม่ได้ เรื่องและกิจกรรมที่เปิดอยู่จะส่งต่อให้ครูแนะแนว (หรือหัวหน้างาน) คืนสิทธิ์ได้ภายหลัง
staff-chat-revoked = ✅ ยกเลิกสิทธิ์แล้ว · สิ้นสุดการดูแลชั้นเรียน { $classes } ชั้น · ยกเลิกลิงก์เชิญ { $invites } ลิงก์
staff-chat-reinstated = ✅ คืนสิทธิ์แล้ว หากเป็นครูที่ปรึกษา กำหนดชั้นเรียนอีกครั้งค่ะ
staff-button-classes = 🏫 กำหนดชั้นเรียน
staff-button-revoke = ⛔ ยกเลิกสิทธิ์
staff-button-confirm-revoke = ⛔ ยืนยัน ยกเลิกสิทธิ์
staff-button-keep = ◀ ไม่ยกเลิก
staff-button-reinstate = ↩️ คืนสิทธิ์
staff-button-done = ✅ เสร็จ
staff-button-back = ◀ รายชื่อบุคลากร
staff-admin-only = ปุ่มนี้สำหรับผู้ดูแลระบบเท่านั้นค่ะ

## ผู้รับผิดชอบเรื่องและกิจกรรม
owner-not-allowed = ขออภัยค่ะ ท่านนี้รับผิดชอบเรื่องหรือกิจกรรมไม่ได้ (รับได้เฉพาะครู ครูแนะแนว และหัวหน้างานที่ยังมีสิทธิ์) กรุณาเลือกจากรายชื่อค่ะ
owner-nobody = ยังไม่มีครูท่านอื่นในระบบที่รับเรื่องได้ค่ะ

## /parents: ผู้ปกครองที่เชื่อมต่อ
parents-unlink-hint = แตะชื่อนักเรียนด้านล่างเพื่อดูผู้ปกครอง หรือยกเลิกการเชื่อมต่อเพื่อให้มีที่ว่างสำหรับใบเชิญใหม่ค่ะ
parents-student-title = 👪 { $child } ({ $class })
    ผู้ปกครองที่เชื่อมต่อ { $linked } จาก { $places } คน
parents-student-none = ยังไม่มีผู้ปกครองเชื่อมต่อค่ะ
parents-button-unlink = ✖ ยกเลิกการเชื่อมต่อ { $parent }
parents-unlink-ask = ยกเลิกการเชื่อมต่อ { $parent } กับ { $child } ใช่ไหมคะ
    ผู้ปกครองท่านนี้จะไม่ได้รับประกาศของนักเรียนคนนี้อีก และจะมีที่ว่าง 1 ที่สำหรับใบเชิญใหม่ (/invite)
parents-button-confirm-unlink = ✖ ยืนยัน ยกเลิกการเชื่อมต่อ
parents-button-keep = ◀ ไม่ยกเลิก
parents-button-back = ◀ กลับ
parents-unlinked = ✅ ยกเลิกการเชื่อมต่อ { $parent } แล้ว พิมพ์ใบเชิญใหม่ได้ด้วย /invite ค่ะ
parents-not-your-student = ขออภัยค่ะ นักเรียนคนนี้ไม่ได้อยู่ในชั้นที่คุณครูดูแลแล้ว
