# Help by the homeroom teacher and class meetings with parents.

cmd-meeting = Record a class meeting with parents

## Help in class
help-button-start = 🤝 Help in class
help-button-open-case = 📂 Open case #{ $case }
help-ask-reason = 🤝 Help in class: { $name }, class { $class }
    Type what you have noticed and why you are starting help.
help-reason-expected = Please type what you have noticed, as text.
help-not-teacher = Help in class is the homeroom teacher's work.
help-already-open = { $name } already has an open case (#{ $case }). Tap to open it.
help-opened = ✅ Help in class started (case #{ $case }). Set a goal and add actions with the buttons below.
help-cancelled = Help in class cancelled.
help-already-referred = This case has already been referred to the counsellor.
help-refer-urgency = Refer case #{ $case } to the counsellor, with its whole history.
    How urgent is it?
help-refer-person = Refer case #{ $case } to whom?
help-referred = 📨 Case #{ $case } referred to { $owner }. You can still follow it in /cases.
case-classroom-by = Homeroom teacher { $by } started help on { $date } ({ $days ->
        [0] today
        [one] 1 day ago
       *[other] { $days } days ago
    })
case-button-refer-counsellor = 📨 Refer to the counsellor
case-event-classroom-opened = Help in class started (homeroom teacher)
case-event-referred = Referred to the counsellor

## Opening a notification
case-recent-title = Latest entries:
case-entry-question = ❓ Question on case #{ $case } from { $who } ({ $date }):
case-entry-note = 📝 New note on case #{ $case } from { $who } ({ $date }):
case-button-answer = ✍️ Answer the question
case-ask-answer = Type your answer.

## Class meetings with parents
meeting-no-class = You are not the homeroom teacher of any class.
meeting-choose-class = 👪 Record a class meeting with parents. Choose the class.
meeting-ask-date = 👪 Parents' meeting, class { $class }
    On which date? Tap today, or type a date such as 24/11/2569.
meeting-button-today = Today ({ $date })
meeting-date-unreadable = That date could not be read. Type it like 24/11/2569 or tap today.
meeting-date-future = The meeting date cannot be after today.
meeting-ask-topics = 👪 Parents' meeting, class { $class }, { $date }
    What was discussed? A short line is enough.
meeting-topics-expected = Please type the topics as text.
meeting-ask-attendance = 👪 Parents' meeting, class { $class }, { $date }
    Whose parents came? Tick them all, then tap save. ({ $count } of { $students } ticked)
meeting-page = Page { $page }/{ $pages }
meeting-button-save = ✅ Save
meeting-saved = ✅ Parents' meeting of class { $class } on { $date } saved: parents of { $count } of { $students } students came.
meeting-cancelled = Recording the meeting was cancelled.

## Statistics
stats-help = 🤝 Helped in class by the homeroom teacher: { $classroom }
    📨 Referred to the counsellor: { $referred } (from help in class: { $escalated })
stats-meetings = 👪 Parents' meetings { $held } · parents attending { $parents }
