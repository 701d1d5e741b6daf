# Dulae — ข้อความของการดูแลระบบ: คำสั่งบรรทัดคำสั่ง (CLI), การตรวจสุขภาพระบบ (doctor, /status), การสำรองข้อมูล และคำขอตาม PDPA

## ทุกคำสั่ง
ops-database-line = ฐานข้อมูล: { $path }
ops-no-database =
    ไม่พบฐานข้อมูลที่ { $path } ค่ะ คำสั่งนี้จะไม่สร้างฐานข้อมูลใหม่ที่ว่างเปล่า
      • หากบอทใช้ฐานข้อมูลอื่นอยู่ ให้รันคำสั่งในโฟลเดอร์ที่มีไฟล์ .env ของบอท หรือตั้ง DULAE_DB เป็นที่อยู่เต็มของไฟล์นั้น (เช่น DULAE_DB=/var/lib/dulae/dulae.db)
      • หากเป็นการติดตั้งใหม่ ให้เริ่มด้วย dulae import students <ไฟล์รายชื่อ.csv> หรือ dulae migrate
ops-file-exists = มีไฟล์ { $file } อยู่แล้วค่ะ ไม่ได้เขียนทับ หากต้องการแทนที่ให้เพิ่ม --force
ops-cannot-read = อ่านไฟล์ { $file } ไม่ได้ค่ะ
ops-schema-version = โครงสร้างฐานข้อมูลรุ่นที่ { $version }

## นำเข้ารายชื่อ
ops-imported = นำเข้า { $file } แล้วค่ะ: เพิ่ม { $added } คน ปรับปรุง { $updated } คน ไม่เปลี่ยนแปลง { $unchanged } คน
ops-imported-archived = นำเข้า { $file } แล้วค่ะ: เพิ่ม { $added } คน ปรับปรุง { $updated } คน ไม่เปลี่ยนแปลง { $unchanged } คน ย้ายออก { $archived } คน
ops-import-refused = ไม่ได้นำเข้าข้อมูลใด ๆ ค่ะ: พบปัญหา { $count } จุดในไฟล์
ops-import-problem-line = บรรทัด { $line }: { $problem }
ops-import-problem-cell = บรรทัด { $line } คอลัมน์ { $column }: { $problem }
ops-import-failed = ไม่ได้นำเข้าข้อมูลใด ๆ ค่ะ: { $error }

## ลิงก์เชิญ
ops-invite-created =
    ลิงก์เชิญ{ $role }{ $name ->
        [none] {""}
       *[other] {" "}{ $name }
    }{ $classes ->
        [none] {""}
       *[other] {" "}ชั้น { $classes }
    } ใช้ได้ครั้งเดียว หมดอายุ { $expires } — กรุณาส่งให้ผู้นั้นเป็นการส่วนตัวค่ะ
ops-invite-no-username = (ยังไม่ทราบชื่อผู้ใช้ของบอท: ให้ผู้รับเปิดบอทแล้วส่งบรรทัดข้างบน หรือตั้ง DULAE_BOT_USERNAME)
ops-bad-class = --class "{ $class }": { $problem }
ops-class-empty-note = หมายเหตุ: ชั้น { $class } ยังไม่มีนักเรียน กรุณานำเข้ารายชื่อของชั้นนี้ด้วยค่ะ
ops-class-no-students = ชั้น { $class } ยังไม่มีนักเรียนค่ะ กรุณานำเข้ารายชื่อก่อน
ops-out-csv-or-html = --out { $file }: ใช้ชื่อไฟล์ที่ลงท้ายด้วย .csv (ตารางลิงก์ เปิดด้วย Excel) หรือ .html (ใบเชิญสำหรับพิมพ์) ค่ะ
ops-parent-link-line = { $code }  { $name }  ผู้ปกครองคนที่ { $guardian }  { $link }
ops-links-written = เขียนลิงก์ { $count } รายการของชั้น { $class } ลงใน { $file } แล้วค่ะ (เปิดด้วย Excel ได้ ลิงก์แต่ละอันใช้ได้ครั้งเดียว)
ops-slips-written = เขียนใบเชิญ { $count } ใบของชั้น { $class } ลงใน { $file } แล้วค่ะ — เปิดด้วยเบราว์เซอร์แล้วพิมพ์บนกระดาษ A4 (ลิงก์แต่ละอันใช้ได้ครั้งเดียว)
ops-csv-student-code = เลขประจำตัวนักเรียน
ops-csv-student-name = ชื่อนักเรียน
ops-csv-class = ชั้น
ops-csv-guardian = ผู้ปกครองคนที่
ops-csv-link = ลิงก์เชิญ
ops-csv-expires = หมดอายุ

## ผู้ใช้
ops-users-none = ยังไม่มีผู้ใช้ค่ะ เริ่มด้วยการสร้างลิงก์เชิญแรก: dulae invite admin
ops-users-header = รหัส · บทบาท · ชื่อ · ชื่อผู้ใช้ · ชั้น/บุตรหลาน · สถานะ
ops-user-line = { $id } · { $role } · { $name } · { $username } · { $linked } · { $status }
ops-user-active = ใช้งานอยู่
ops-user-revoked = ถูกยกเลิกสิทธิ์
ops-revoked = ยกเลิกสิทธิ์แล้วค่ะ: { $name } (รหัส { $id }, { $role }) ใช้บอทไม่ได้อีกต่อไป
ops-revoked-already = { $name } (รหัส { $id }) ไม่มีสิทธิ์ใช้งานอยู่แล้วค่ะ
ops-no-such-user = ไม่พบผู้ใช้ "{ $user }" ค่ะ ดูรหัสได้จาก dulae users

## การเริ่มบอท
ops-token-rejected =
    Telegram ไม่รับโทเค็นของบอท (TELOXIDE_TOKEN) ค่ะ บอทจะไม่เริ่มทำงานจนกว่าจะแก้ไข
      1. เปิด Telegram คุยกับ @BotFather ส่ง /mybots เลือกบอทของโรงเรียน แล้วกด API Token เพื่อดูโทเค็นที่ถูกต้อง
      2. คัดลอกทั้งบรรทัด (หน้าตาแบบ 123456789:AA...) ไปใส่ในบรรทัด TELOXIDE_TOKEN=... ของไฟล์ .env
      3. เริ่มบอทอีกครั้ง (systemd: sudo systemctl restart dulae)
ops-already-running = มีบอทอีกตัวกำลังใช้ฐานข้อมูล { $path } อยู่ค่ะ หยุดตัวเดิมก่อน (systemd: sudo systemctl stop dulae)

## การสำรองและกู้คืนข้อมูล
ops-backup-written = สำรองข้อมูลไว้ที่ { $file } แล้วค่ะ (ตรวจความสมบูรณ์แล้ว)
ops-restore-no-file = ไม่พบไฟล์ { $file } ค่ะ
ops-restore-bot-running = บอทกำลังทำงานอยู่ค่ะ จึงกู้คืนไม่ได้ กรุณาหยุดบอทก่อน (systemd: sudo systemctl stop dulae) แล้วรันคำสั่งนี้อีกครั้ง
ops-restore-bad-file = ใช้ { $file } กู้คืนไม่ได้ค่ะ: { $problem }
ops-restore-confirm = จะนำ { $file } มาแทนฐานข้อมูล { $db } (ฐานข้อมูลปัจจุบันจะเก็บไว้เป็น .before-restore) ยืนยันไหมคะ? พิมพ์ yes หรือ ใช่:
ops-restore-cancelled = ยกเลิกแล้วค่ะ ไม่มีอะไรเปลี่ยนแปลง
ops-restored = กู้คืนจาก { $file } เรียบร้อยแล้วค่ะ เริ่มบอทได้เลย
ops-restore-kept = ฐานข้อมูลเดิมเก็บไว้ที่ { $file }

## ตรวจสุขภาพระบบ (dulae doctor และ /status)
ops-doctor-env-file = ไฟล์ตั้งค่า: { $path }
ops-doctor-token-missing = ยังไม่ได้ตั้ง TELOXIDE_TOKEN (ขอโทเค็นจาก @BotFather แล้วใส่ในไฟล์ .env)
ops-doctor-token-rejected = Telegram ไม่รับโทเค็นของบอท: ตรวจ TELOXIDE_TOKEN กับ @BotFather (/mybots → API Token)
ops-doctor-token-ok = โทเค็นใช้ได้: บอท @{ $username }
ops-doctor-telegram-ok = ติดต่อ Telegram ได้
ops-doctor-telegram-unreachable = ติดต่อ Telegram ไม่ได้ ({ $error }): ตรวจอินเทอร์เน็ตของเครื่อง
ops-doctor-db-missing = ไม่พบฐานข้อมูลที่ { $path }
ops-doctor-db-unopenable = เปิดฐานข้อมูล { $path } ไม่ได้ (ดูข้อความด้านบน): ไฟล์อาจเสียหาย หรือมาจากโปรแกรมรุ่นใหม่กว่า กู้คืนด้วย dulae restore หรือใช้โปรแกรมรุ่นที่ตรงกัน
ops-doctor-db-path = ฐานข้อมูล: { $path }
ops-doctor-db-private = ไฟล์ฐานข้อมูลเปิดอ่านได้เฉพาะบัญชีของบอท
ops-doctor-db-shared = ไฟล์ฐานข้อมูล { $path } ผู้อื่นในเครื่องเปิดอ่านได้: chmod 600 ไฟล์นั้น
ops-doctor-integrity-ok = ฐานข้อมูลสมบูรณ์ (integrity check ผ่าน)
ops-doctor-integrity-bad = ฐานข้อมูลมีปัญหา: { $problem } — กู้คืนจากไฟล์สำรองด้วย dulae restore
ops-doctor-schema-ok = โครงสร้างฐานข้อมูลเป็นรุ่นล่าสุด ({ $version })
ops-doctor-schema-other = โครงสร้างฐานข้อมูลรุ่น { $version } แต่โปรแกรมนี้รู้จักรุ่น { $latest }: ใช้โปรแกรมรุ่นที่ตรงกัน หรือรัน dulae migrate
ops-doctor-bot-running = บอทกำลังทำงานอยู่
ops-doctor-bot-stopped = บอทไม่ได้ทำงานอยู่ในขณะนี้
ops-doctor-disk = พื้นที่ว่างในดิสก์ { $mb } MB
ops-doctor-disk-unknown = ตรวจพื้นที่ว่างในดิสก์ไม่ได้
ops-doctor-forms-ok = แบบฟอร์มใช้ได้ { $count } แบบ
ops-doctor-forms-bad = แบบฟอร์มมีปัญหา { $count } จุด: ตรวจด้วย dulae forms check
ops-doctor-folder-media = โฟลเดอร์รูปภาพ
ops-doctor-folder-backups = โฟลเดอร์สำรองข้อมูล
ops-doctor-folder-ok = { $folder } ({ $path }) เขียนได้และเป็นส่วนตัว
ops-doctor-folder-later = { $folder } ({ $path }) ยังไม่มี จะสร้างให้เมื่อใช้ครั้งแรก
ops-doctor-folder-not-writable = { $folder } ({ $path }) เขียนไม่ได้: ตรวจเจ้าของและสิทธิ์ของโฟลเดอร์
ops-doctor-folder-shared = { $folder } ({ $path }) ผู้อื่นในเครื่องเปิดได้: chmod 700 โฟลเดอร์นั้น
ops-doctor-backup-none = ยังไม่มีไฟล์สำรองอัตโนมัติ (บอทจะสำรองให้เมื่อเริ่มทำงาน และทุกวัน)
ops-doctor-backup-ok = สำรองข้อมูลล่าสุดเมื่อ { $hours } ชั่วโมงที่แล้ว
ops-doctor-backup-old = สำรองข้อมูลล่าสุดเมื่อ { $hours } ชั่วโมงที่แล้ว: บอทหยุดทำงานหรือสำรองไม่สำเร็จ ดูบันทึกของบอท
ops-doctor-clock-ok = นาฬิกา: { $bangkok } น. เวลาประเทศไทย (UTC { $utc })
ops-doctor-clock-wrong = นาฬิกาของเครื่องผิด ({ $bangkok }): ตั้งเวลาเครื่องให้ถูกต้อง (timedatectl set-ntp true)
ops-doctor-outbox-pending = ข้อความรอส่ง { $count } ข้อความ
ops-doctor-outbox-failed = ข้อความที่ส่งไม่สำเร็จใน 7 วันที่ผ่านมา { $count } ข้อความ
ops-doctor-problems = พบปัญหา { $count } เรื่อง (ดูบรรทัดที่มีเครื่องหมาย ❌)
ops-doctor-all-good = ทุกอย่างพร้อมใช้งานค่ะ
ops-status-title = สถานะระบบ
ops-status-more = รายละเอียดเพิ่มเติม: ผู้ดูแลเครื่องรัน dulae doctor
cmd-status = สถานะระบบ

## คำขอตาม PDPA
ops-person-no-student = ไม่พบนักเรียนเลขประจำตัว { $code } ค่ะ
ops-person-no-user = ไม่พบผู้ใช้รหัส { $id } ค่ะ ดูรหัสได้จาก dulae users
ops-person-exported = เขียนข้อมูลทั้งหมดลงใน { $file } แล้วค่ะ ({ $tables } ตาราง { $rows } แถว รูปภาพ { $photos } รูป) ไฟล์นี้มีข้อมูลส่วนบุคคล ส่งให้เจ้าของข้อมูลโดยตรงเท่านั้น
ops-person-erase-needs-yes = การลบข้อมูลย้อนกลับไม่ได้ค่ะ หากแน่ใจให้เพิ่ม --yes (แนะนำให้ส่งออกก่อนด้วย dulae person export)
ops-person-erased = ลบข้อมูลส่วนบุคคลแล้วค่ะ: { $records } รายการ รูปภาพ { $photos } รูป จำนวนและประวัติยังคงอยู่ (ข้อความแทนด้วย "ลบตามคำขอ")
ops-person-erase-vacuum-later = หมายเหตุ: บอทกำลังใช้ฐานข้อมูลอยู่ ข้อความเดิมจะถูกล้างออกจากไฟล์ในรอบบันทึกถัดไป
ops-person-erase-backups = ไฟล์สำรองเก่าที่ยังมีข้อมูลนี้จะหมดอายุตามรอบการเก็บ (สูงสุด 12 เดือน) หรือลบเองได้ในโฟลเดอร์สำรองข้อมูล

## ปัญหาในไฟล์รายชื่อนักเรียน (dulae import students)
roster-empty-file = ไฟล์ว่างเปล่า
roster-not-csv = อ่านเป็นไฟล์ CSV ไม่ได้ (ใน Excel ใช้ Save As → "CSV UTF-8")
roster-column-twice = มีคอลัมน์นี้ซ้ำสองครั้ง
roster-column-missing = ไม่มีคอลัมน์ที่จำเป็นนี้ในแถวหัวตาราง
roster-not-utf8 = ไม่ใช่ข้อความแบบ UTF-8 (ใน Excel ใช้ Save As → "CSV UTF-8 (Comma delimited)")
roster-field-count = จำนวนช่องไม่ตรงกับแถวหัวตาราง (มี/ต้องมี: { $value })
roster-duplicate-id = เลขประจำตัวซ้ำกับบรรทัดก่อนหน้า: { $value }
roster-empty-cell = ว่างอยู่
roster-bad-code = เลขประจำตัวนักเรียนไม่ถูกต้อง (ใช้ตัวเลขหรือตัวอักษร ไม่เกิน 20 ตัว)
roster-bad-prefix = "{ $value }" ไม่ใช่คำนำหน้าที่รู้จัก (ด.ช. ด.ญ. นาย นางสาว)
roster-too-long = ยาวเกิน { $value } ตัวอักษร
roster-bad-class = "{ $value }" ไม่ใช่ชื่อชั้นที่ถูกต้อง (เขียนแบบ ป.4/1 หรือ ม.2/3 ถ้าระดับนี้มีห้องเดียวเขียน ป.4 ได้)
roster-bad-gender = "{ $value }" ไม่ใช่ ชาย หรือ หญิง
roster-bad-date = "{ $value }" ไม่ใช่วันที่ (เขียนแบบ 24/11/2558)
roster-bad-phone = "{ $value }" ไม่ใช่เบอร์โทรศัพท์ในประเทศไทย

## รายงาน
ops-export-written = เขียนรายงานลงใน { $file } แล้วค่ะ (ภาคเรียน { $term }, { $classes } ชั้น, นักเรียน { $students } คน) ไฟล์นี้มีข้อมูลส่วนบุคคล เปิดอ่านได้เฉพาะบัญชีของคุณ
ops-too-many-places = --per-student { $asked }: ได้ไม่เกิน { $places } คนต่อนักเรียน (DULAE_PARENTS_PER_STUDENT)
ops-earlier-links-void = ลิงก์ผู้ปกครองของชั้น { $class } ที่พิมพ์ไว้ก่อนหน้าและยังไม่ได้ใช้ ใช้ไม่ได้แล้วค่ะ ผู้ปกครองที่ลงทะเบียนแล้วยังอยู่ตามเดิม

ops-invite-parent-per-student = ผู้ปกครองเชิญเป็นรายนักเรียนค่ะ ใช้คำสั่ง dulae invite parents --class ป.4/1
ops-invite-teacher-needs-class = คำเชิญครูต้องระบุห้องอย่างน้อยหนึ่งห้องค่ะ เช่น --class ป.4/1
ops-invite-classes-only-teachers = ระบุห้องได้เฉพาะคำเชิญครูค่ะ ตำแหน่งอื่นไม่ผูกกับห้อง
ops-invite-name-too-long = ชื่อยาวเกินไปค่ะ (ไม่เกิน 100 ตัวอักษร)
