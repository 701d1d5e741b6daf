# แบบฟอร์ม: คัดกรอง เยี่ยมบ้าน และข้อมูลนักเรียน

cmd-screen = คัดกรองนักเรียน
cmd-visit = บันทึกการเยี่ยมบ้าน
cmd-student = ข้อมูลนักเรียน

group-normal = ปกติ
group-risk = เสี่ยง
group-problem = มีปัญหา

## เลือกชั้นและนักเรียน
pick-title-screen = 📋 คัดกรองนักเรียน
pick-title-visit = 🏠 บันทึกการเยี่ยมบ้าน
pick-title-view = 👤 ข้อมูลนักเรียน
pick-choose-class = เลือกชั้นค่ะ
pick-other-class = ชั้นอื่น
pick-class-summary-screen = ชั้น { $class } ภาคเรียน { $term } คัดกรองแล้ว { $done }/{ $total } คน (หน้า { $page }/{ $pages })
    ✅ เสร็จแล้ว  📝 มีแบบร่าง  ⬜ ยังไม่ได้ทำ
pick-class-summary-visit = ชั้น { $class } ภาคเรียน { $term } เยี่ยมบ้านแล้ว { $done }/{ $total } คน (หน้า { $page }/{ $pages })
    ✅ เสร็จแล้ว  📝 มีแบบร่าง  ⬜ ยังไม่ได้ทำ
pick-class-summary-view = ชั้น { $class } (หน้า { $page }/{ $pages }) ผลคัดกรองล่าสุด:
    🟢 ปกติ  🟡 เสี่ยง  🔴 มีปัญหา  ⬜ ยังไม่คัดกรอง
pick-class-empty = ชั้น { $class } ยังไม่มีรายชื่อนักเรียนค่ะ
pick-no-class-assigned = คุณครูยังไม่มีชั้นที่รับผิดชอบในระบบค่ะ กรุณาติดต่อผู้ดูแลระบบ
pick-no-classes = ยังไม่มีชั้นเรียนในระบบค่ะ กรุณาให้ผู้ดูแลระบบนำเข้ารายชื่อนักเรียนก่อน
pick-not-your-student = ขออภัยค่ะ คุณครูไม่มีสิทธิ์ดูหรือบันทึกข้อมูลของนักเรียนคนนี้
pick-draft-exists = มีแบบร่างของ { $name } ที่ทำค้างไว้ค่ะ จะทำต่อหรือเริ่มใหม่คะ
pick-continue-draft = ▶ ทำต่อจากที่ค้างไว้
pick-restart-draft = ↺ เริ่มใหม่ (ลบแบบร่าง)

## แบบฟอร์ม
form-header = { $form } · { $name } ({ $class })
form-progress = ข้อ { $index }/{ $total }
form-repeat-item = { $what } { $number }
form-current-answer = คำตอบเดิม: { $answer }
form-current-choice = เลือกแล้ว: { $answer }
form-hint-multi = (เลือกได้หลายข้อ แล้วกด "เสร็จ")
form-hint-number = (พิมพ์ตัวเลข)
form-hint-text = (พิมพ์คำตอบ)
form-hint-date = (พิมพ์วันที่ เช่น 24/11/2569)
form-hint-photo = (ส่งรูปได้ทีละรูปหรือหลายรูป ส่งแล้ว { $count }/{ $max } รูป กด "เสร็จ" เมื่อครบ)
form-location-how = ส่งตำแหน่งบ้านนักเรียนได้ 2 วิธีค่ะ
    • อยู่ที่บ้านนักเรียน: เปิด GPS แล้วกดปุ่ม "📍 ส่งตำแหน่งปัจจุบัน" ด้านล่าง
    • กลับมาแล้ว: กด 📎 ในช่องพิมพ์ เลือก "ตำแหน่ง" แล้วเลื่อนหมุดไปที่บ้านนักเรียน
    ถ้าไม่ต้องการบันทึก กด "ข้าม" ค่ะ
form-location-button = 📍 ส่งตำแหน่งปัจจุบัน
form-location-keyboard-closed = ✓
form-button-today = วันนี้
form-button-back = ◀ ย้อนกลับ
form-button-skip = ข้าม
form-button-next = ถัดไป ▶
form-button-done = เสร็จ ✓
form-button-save = 💾 พักไว้ก่อน
form-button-cancel = ✖ ยกเลิก
form-button-add = ➕ เพิ่มอีก
form-button-no-more = ไม่มีแล้ว
form-button-submit = ✅ ยืนยันส่ง
form-button-confirm-cancel = ยกเลิกแบบฟอร์ม
form-button-keep-going = ทำต่อ
form-button-refer = 📨 ส่งต่อ
form-add-another = บันทึกแล้ว { $count } คน มีอีกไหมคะ
form-review-title = ตรวจทานคำตอบก่อนส่งค่ะ
form-review-unanswered = (ยังไม่ตอบ)
form-review-skipped = (ข้าม)
form-review-missing = ⚠️ ยังขาดข้อที่ต้องตอบ: { $items }
form-review-hint = กด ✏️ ตามด้วยเลขข้อเพื่อแก้ไข หรือกด "ยืนยันส่ง" ค่ะ
form-confirm-cancel = ยกเลิกแบบฟอร์มนี้ใช่ไหมคะ คำตอบทั้งหมดของนักเรียนคนนี้ในแบบฟอร์มนี้จะถูกลบ (หากต้องการเก็บไว้ทำต่อ ให้กด "ทำต่อ" แล้วกด "พักไว้ก่อน")
form-saved = พักไว้แล้วค่ะ คำตอบของ { $name } ถูกเก็บไว้ กลับมาทำต่อได้ทุกเมื่อด้วย { $command }
form-cancelled = ยกเลิกแบบฟอร์มแล้วค่ะ
form-closed = แบบฟอร์มนี้ปิดไปแล้วค่ะ เริ่มใหม่ได้จากเมนู
form-draft-unreadable = ขออภัยค่ะ แบบร่างเดิมอ่านไม่ได้หลังการปรับปรุงระบบ จึงต้องเริ่มใหม่
form-left-draft-kept = ออกจากแบบฟอร์มของ { $name } แล้ว คำตอบที่ทำไว้ถูกเก็บเป็นแบบร่างค่ะ

## ปัญหาในคำตอบ
form-problem-required = ข้อนี้ต้องตอบค่ะ
form-problem-constraint = คำตอบไม่อยู่ในช่วงที่กำหนดค่ะ
form-problem-number = กรุณาพิมพ์เป็นตัวเลขค่ะ
form-problem-date = อ่านวันที่ไม่ได้ค่ะ กรุณาพิมพ์แบบ 24/11/2569
form-problem-too-long = คำตอบยาวเกินไปค่ะ (ไม่เกิน { $max } ตัวอักษร)
form-problem-use-buttons = ข้อนี้ให้กดเลือกจากปุ่มค่ะ
form-problem-type-text = ข้อนี้ให้พิมพ์คำตอบเป็นข้อความค่ะ
form-problem-location = ข้อนี้ให้ส่งตำแหน่งค่ะ ถ้าอยู่ที่บ้านนักเรียน กดปุ่ม "📍 ส่งตำแหน่งปัจจุบัน" ถ้ากลับมาแล้ว กด 📎 เลือก "ตำแหน่ง" แล้วเลื่อนหมุดไปที่บ้านนักเรียน หรือกด "ข้าม"
form-problem-photo = ข้อนี้ให้ส่งรูปภาพ หรือกด "เสร็จ" ค่ะ
form-problem-stale-choice = ปุ่มนี้ไม่ใช่ตัวเลือกของข้อนี้ค่ะ กรุณาเลือกจากปุ่มด้านล่าง
form-problem-forwarded = ข้อความที่ส่งต่อมาใช้เป็นคำตอบไม่ได้ค่ะ กรุณาตอบเอง
form-problem-unsupported = ข้อนี้ตอบด้วยสติกเกอร์ เสียง หรือไฟล์ไม่ได้ค่ะ กรุณาตอบตามที่ถาม
form-problem-too-many-photos = ส่งรูปได้ไม่เกิน { $max } รูปค่ะ
form-problem-missing = ยังมีข้อที่ต้องตอบอีก { $count } ข้อค่ะ

## ผลลัพธ์
form-submitted-screening = ✅ บันทึกผลคัดกรองของ { $name } แล้วค่ะ
form-result-overall = สรุป: กลุ่ม{ $group }
form-result-all-normal = ทุกด้านอยู่ในกลุ่มปกติค่ะ
form-result-attention = ด้านที่ควรดูแล:
form-result-others-normal = ด้านอื่น ๆ ปกติ
form-result-scale-incomplete = ตอบไม่ครบ
form-result-refer-hint = หากต้องการให้ครูแนะแนวช่วยดูแล กด "ส่งต่อ" ได้ค่ะ
form-submitted-record = ✅ บันทึกเรียบร้อยแล้วค่ะ: { $form } ของ { $name } (รูปภาพ { $photos } รูป · ตำแหน่ง: { $location })
form-location-yes = มี
form-location-no = ไม่มี

## ข้อมูลนักเรียน
student-title = 👤 { $name } ชั้น { $class } (เลขประจำตัว { $code })
student-no-screening = ยังไม่มีผลการคัดกรองค่ะ
student-no-visit = ยังไม่มีบันทึกการเยี่ยมบ้านค่ะ
student-screening = 📋 คัดกรองล่าสุด ภาคเรียน { $term } ({ $date } โดย { $by })
student-visit = 🏠 เยี่ยมบ้านล่าสุด { $date } โดย { $by }
student-visit-map = • { $label }: { $url }
student-visit-photos = • { $label }: { $count } รูป
student-visit-household = • { $label }: { $count } คน
student-case = 📨 เรื่องที่ #{ $case } · { $status } · ผู้รับผิดชอบ: { $owner }
student-case-goal = • เป้าหมายของแผนช่วยเหลือ: { $goal }
student-case-action = • ต้องทำ: { $what } ({ $who } ภายใน { $due })
