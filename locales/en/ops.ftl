# Dulae — operations messages: the command line (CLI), health checks (doctor, /status), backups and PDPA requests

## Every command
ops-database-line = Database: { $path }
ops-no-database =
    There is no database at { $path }. This command does not create a new, empty one.
      • If the bot uses another database, run the command in the folder of the bot's .env file, or set DULAE_DB to that file's full path (e.g. DULAE_DB=/var/lib/dulae/dulae.db).
      • For a new installation, start with dulae import students <roster.csv> or dulae migrate.
ops-file-exists = { $file } already exists and was not written over. Add --force to replace it.
ops-cannot-read = Cannot read { $file }.
ops-schema-version = Database schema version { $version }

## Roster import
ops-imported = Imported { $file }: { $added } added, { $updated } updated, { $unchanged } unchanged
ops-imported-archived = Imported { $file }: { $added } added, { $updated } updated, { $unchanged } unchanged, { $archived } archived
ops-import-refused = Nothing was imported: { $count } problem(s) in the file
ops-import-problem-line = line { $line }: { $problem }
ops-import-problem-cell = line { $line }, column { $column }: { $problem }
ops-import-failed = Nothing was imported: { $error }

## Invites
ops-invite-created =
    Invite for a { $role }{ $name ->
        [none] {""}
       *[other] {" "}({ $name })
    }{ $classes ->
        [none] {""}
       *[other] {" "}of { $classes }
    }, single use, expires { $expires } — send it to that person privately.
ops-invite-no-username = (the bot's username is not known: the person opens the bot and sends the line above, or set DULAE_BOT_USERNAME)
ops-bad-class = --class "{ $class }": { $problem }
ops-class-empty-note = Note: class { $class } has no students yet; import the roster for it too.
ops-class-no-students = Class { $class } has no students; import the roster first.
ops-out-csv-or-html = --out { $file }: use a name ending in .csv (a list of links for Excel) or .html (printable slips).
ops-parent-link-line = { $code }  { $name }  guardian { $guardian }  { $link }
ops-links-written = Wrote { $count } links for { $class } to { $file } (opens in Excel; each link works once).
ops-slips-written = Wrote { $count } slips for { $class } to { $file } — open it in a browser and print on A4 (each link works once).
ops-csv-student-code = Student ID
ops-csv-student-name = Student name
ops-csv-class = Class
ops-csv-guardian = Guardian
ops-csv-link = Invite link
ops-csv-expires = Expires

## Users
ops-users-none = Nobody has joined yet; create the first invite with: dulae invite admin
ops-users-header = id · role · name · username · classes/children · status
ops-user-line = { $id } · { $role } · { $name } · { $username } · { $linked } · { $status }
ops-user-active = active
ops-user-revoked = revoked
ops-revoked = Revoked: { $name } (id { $id }, { $role }) can no longer use the bot.
ops-revoked-already = { $name } (id { $id }) had no access already.
ops-no-such-user = No user "{ $user }"; see dulae users for ids.

## Starting the bot
ops-token-rejected =
    Telegram does not accept the bot's token (TELOXIDE_TOKEN). The bot will not start until it is fixed.
      1. In Telegram, talk to @BotFather, send /mybots, choose the school's bot and press API Token to see the right token.
      2. Copy the whole line (it looks like 123456789:AA...) to the line TELOXIDE_TOKEN=... in the .env file.
      3. Start the bot again (systemd: sudo systemctl restart dulae).
ops-already-running = Another bot is already using the database { $path }. Stop it first (systemd: sudo systemctl stop dulae).

## Backups and restore
ops-backup-written = Backed up to { $file } (integrity checked).
ops-restore-no-file = There is no file { $file }.
ops-restore-bot-running = The bot is running, so nothing can be restored. Stop it first (systemd: sudo systemctl stop dulae) and run this command again.
ops-restore-bad-file = { $file } cannot be restored: { $problem }
ops-restore-confirm = Put { $file } in place of the database { $db } (the current one is kept as .before-restore)? Type yes:
ops-restore-cancelled = Cancelled; nothing changed.
ops-restored = Restored from { $file }. The bot can be started.
ops-restore-kept = The previous database is kept at { $file }

## Health checks (dulae doctor and /status)
ops-doctor-env-file = Settings file: { $path }
ops-doctor-token-missing = TELOXIDE_TOKEN is not set (get a token from @BotFather and put it in .env)
ops-doctor-token-rejected = Telegram rejects the bot's token: check TELOXIDE_TOKEN with @BotFather (/mybots → API Token)
ops-doctor-token-ok = Token accepted: bot @{ $username }
ops-doctor-telegram-ok = Telegram can be reached
ops-doctor-telegram-unreachable = Telegram cannot be reached ({ $error }): check the machine's internet connection
ops-doctor-db-missing = There is no database at { $path }
ops-doctor-db-unopenable = The database { $path } cannot be opened (see the message above): the file may be damaged or come from a newer Dulae; restore a backup with dulae restore, or use the matching program
ops-doctor-db-path = Database: { $path }
ops-doctor-db-private = The database file can be read by the bot's account only
ops-doctor-db-shared = The database file { $path } can be read by others on this machine: chmod 600 it
ops-doctor-integrity-ok = The database is intact (integrity check passed)
ops-doctor-integrity-bad = The database has a problem: { $problem } — restore a backup with dulae restore
ops-doctor-schema-ok = The database schema is the latest ({ $version })
ops-doctor-schema-other = The database schema is version { $version } but this program knows { $latest }: use the matching program, or run dulae migrate
ops-doctor-bot-running = The bot is running
ops-doctor-bot-stopped = The bot is not running at the moment
ops-doctor-disk = Free disk space: { $mb } MB
ops-doctor-disk-unknown = Free disk space could not be checked
ops-doctor-forms-ok = { $count } forms are valid
ops-doctor-forms-bad = The forms have { $count } problem(s): check them with dulae forms check
ops-doctor-folder-media = Photo folder
ops-doctor-folder-backups = Backup folder
ops-doctor-folder-ok = { $folder } ({ $path }) is writable and private
ops-doctor-folder-later = { $folder } ({ $path }) does not exist yet; it is created when first needed
ops-doctor-folder-not-writable = { $folder } ({ $path }) is not writable: check the folder's owner and permissions
ops-doctor-folder-shared = { $folder } ({ $path }) can be opened by others on this machine: chmod 700 it
ops-doctor-backup-none = No automatic backup yet (the bot makes one when it starts, then every day)
ops-doctor-backup-ok = Last backup { $hours } hour(s) ago
ops-doctor-backup-old = Last backup { $hours } hour(s) ago: the bot is stopped or backups fail; see the bot's log
ops-doctor-clock-ok = Clock: { $bangkok } Thailand time (UTC { $utc })
ops-doctor-clock-wrong = The machine's clock is wrong ({ $bangkok }): set it right (timedatectl set-ntp true)
ops-doctor-outbox-pending = Messages waiting to be sent: { $count }
ops-doctor-outbox-failed = Messages that failed in the last 7 days: { $count }
ops-doctor-problems = { $count } problem(s) found (see the lines marked ❌)
ops-doctor-all-good = Everything is ready.
ops-status-title = System status
ops-status-more = More detail: the machine's administrator runs dulae doctor
cmd-status = System status

## PDPA requests
ops-person-no-student = There is no student with ID { $code }.
ops-person-no-user = There is no user { $id }; see dulae users for ids.
ops-person-exported = Wrote everything held to { $file } ({ $tables } tables, { $rows } rows, { $photos } photos). It holds personal data: give it to the person directly.
ops-person-erase-needs-yes = Erasure cannot be undone. If you are sure, add --yes (export first with dulae person export).
ops-person-erased = Personal data erased: { $records } records, { $photos } photos. Counts and history remain (texts replaced by "erased on request").
ops-person-erase-vacuum-later = Note: the bot is using the database; the old texts are cleared from the file at the next checkpoint.
ops-person-erase-backups = Older backups that still hold this data age out with retention (12 months at most), or delete them in the backup folder.

## Problems in a roster file (dulae import students)
roster-empty-file = the file is empty
roster-not-csv = cannot be read as CSV (in Excel use Save As → "CSV UTF-8")
roster-column-twice = this column appears twice
roster-column-missing = required column is missing from the header
roster-not-utf8 = is not UTF-8 text; in Excel use Save As → "CSV UTF-8 (Comma delimited)"
roster-field-count = the number of fields does not match the header (found/expected: { $value })
roster-duplicate-id = the student id already appears on an earlier line: { $value }
roster-empty-cell = is empty
roster-bad-code = is not a valid student id (letters or digits, at most 20)
roster-bad-prefix = "{ $value }" is not one of ด.ช., ด.ญ., นาย, นางสาว
roster-too-long = is longer than { $value } characters
roster-bad-class = "{ $value }" is not a class (write ป.4/1 or ม.2/3; ป.4 for a grade with one room)
roster-bad-gender = "{ $value }" is not ชาย or หญิง
roster-bad-date = "{ $value }" is not a date (write 24/11/2558)
roster-bad-phone = "{ $value }" is not a Thai phone number

## Reports
ops-export-written = Wrote the report to { $file } (term { $term }, { $classes } classes, { $students } students). It holds personal data and only your account can read it.
ops-too-many-places = --per-student { $asked }: at most { $places } parent places per student (DULAE_PARENTS_PER_STUDENT).
ops-earlier-links-void = Earlier unused parent links of { $class } no longer work; parents who joined keep their place.

ops-invite-parent-per-student = Parents are invited per student: use dulae invite parents --class ป.4/1
ops-invite-teacher-needs-class = A teacher's invite needs at least one class, e.g. --class ป.4/1
ops-invite-classes-only-teachers = Only a teacher's invite has classes; other roles are not tied to a class
ops-invite-name-too-long = The name is too long (at most 100 characters)
