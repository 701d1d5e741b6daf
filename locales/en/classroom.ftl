# Public holidays and school breaks (dulae holidays) — plan reminders move off these days like off a weekend

holidays-none = No closed days are recorded in this period.
holidays-mark-estimated =  (estimated date: please check the official announcement)
holidays-mark-school =  (recorded by the school)
holidays-mark-break =  (school break)
holidays-bad-year = Not a year: give the Buddhist-Era year, e.g. --year 2570.
holidays-bad-name = Please give the holiday a name (at most 200 characters).
holidays-bad-date = "{ $text }" is not a date: write it like 13/4/2570 (either era).
holidays-bad-range = Not a valid range: the last day may not be before the first, and a range is at most { $days } days.
holidays-added = Closed day(s) recorded: { $from } – { $to } { $name }
holidays-removed = Removed { $count } closed day(s).
holidays-nothing-removed = No closed days are recorded from { $from } to { $to }.
holidays-replanned = Reminders of plan actions moved: { $count }.

# Forms
form-redrawn = That button belonged to an earlier question; here is the current one.

# Announcements: parents acknowledging
announce-acked-mark = ✅ Acknowledged
announce-acked-in-words = Thank you: your acknowledgement of “{ $title }” is recorded.
announce-nothing-to-ack = Thank you. There is no announcement waiting for your acknowledgement.
invite-yours-already = You joined with this link already; carry on as before.

# dulae demo (in the terminal)
demo-intro =
    Try Dulae (ดูแล) — a sample school in memory; you are the homeroom teacher of ป.5/1.
    • Press a button: type # and its number, e.g. #2 (a plain number is an answer, e.g. a GPA of 3)
    • Answer: type it · Commands: /screen /visit /student /help · Leave: /quit
    • Send a location: loc 13.75 100.50 · Send a photo: photo
demo-no-such-button = There is no button number { $number } on this screen.
