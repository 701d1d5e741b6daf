# Dulae — ข้อความของส่วนที่ทำงานเบื้องหลัง: การตั้งค่า (.env) ที่อ่านตอนเริ่มบอท

## การตั้งค่าที่ไม่ถูกต้อง (บอทไม่เริ่มทำงานจนกว่าจะแก้ไข)
config-invalid = การตั้งค่า { $name } ไม่ถูกต้องค่ะ: ตอนนี้เป็น "{ $value }" แต่ต้องเป็น{ $wants } แก้ในไฟล์ .env แล้วเริ่มบอทอีกครั้ง
config-wants-flag = true หรือ false (ใช้ yes/no, 1/0 หรือ on/off ก็ได้)
config-wants-days = จำนวนวันตั้งแต่ { $min } ถึง { $max }
config-wants-number = ตัวเลขตั้งแต่ { $min } ถึง { $max }
config-wants-numbers = จำนวนวันคั่นด้วยจุลภาค เช่น 3,1 (แต่ละตัวตั้งแต่ 0 ถึง 3650)
config-wants-accept-hours = จำนวนชั่วโมงสามตัวคั่นด้วยจุลภาค สำหรับเรื่องปกติ ด่วน และด่วนมาก เช่น 72,24,2
config-wants-time = เวลาแบบ 08:00
config-wants-quiet-hours = ช่วงชั่วโมงแบบ 20-7 (ชั่วโมงละ 0 ถึง 23)
config-wants-lang = th หรือ en
config-wants-url = ที่อยู่ที่ขึ้นต้นด้วย http:// หรือ https://
config-wants-send-rate = จำนวนข้อความต่อวินาทีตั้งแต่ 1 ถึง 30
config-wants-log = ระดับ error, warn, info, debug, trace หรือ off (หรือแบบ info,dulae=debug)
