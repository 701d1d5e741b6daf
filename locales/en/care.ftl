# Referrals, cases, individual help plans, reminders and the weekly digest.
# Notifications never carry a student's name or details (lock screens show message previews).

cmd-refer = Refer a student
cmd-cases = Cases I follow
cmd-plans = My help-plan actions
pick-title-refer = 📨 Refer a student

urgency-normal = normal
urgency-urgent = urgent
urgency-very-urgent = very urgent

case-status-new = new (waiting to be accepted)
case-status-accepted = accepted
case-status-in-progress = in progress
case-status-referred-out = referred outside
case-status-closed = closed

## Referral
refer-header = 📨 Referral: { $name }
refer-ask-aspects = Which aspects? (choose any, then "Done")
refer-aspect-other = Other
refer-pick-an-aspect = Please choose at least one aspect.
refer-ask-reason = Briefly describe what you observed (type a message).
refer-reason-empty = Please type what you observed.
refer-reason-expected = Please type what you observed as text.
refer-ask-photo = Any photo? Send one, or press "Skip".
refer-photo-expected = Please send a photo, or press "Skip".
refer-ask-urgency = How urgent is it?
refer-ask-target = Refer to whom?
refer-target-external = An outside agency (the counsellor coordinates)
refer-button-confirm = ✅ Send the referral
refer-summary =
    Please check before sending.
    Aspects: { $aspects }
    Observed: { $reason }
    Photo: { $photo }
    Urgency: { $urgency }
    To: { $target }
refer-done = ✅ { $name } has been referred (case #{ $case }). You will be told when it is accepted and when it closes.
refer-cancelled = The referral was cancelled.
refer-nobody-to-receive = There is no counsellor or head in the system to receive referrals yet. Please tell the administrator.

## Notifications (no names, no details)
notify-new-referral = 📨 1 new referral · { $urgency } (#{ $case })
alert-very-urgent = 🚨 1 very urgent referral (#{ $case })
notify-referral-accepted = ✅ Case #{ $case } that you referred has been accepted.
notify-more-information = ❓ There is a question about case #{ $case }. Open it to read and answer.
notify-case-note = 📝 New note in case #{ $case }.
notify-case-closed = 📘 Case #{ $case } that you referred is closed. Open it to read the outcome.
notify-action-assigned = 📋 You have been given a help-plan action, due { $due }.
case-button-open = Open
case-button-my-actions = Open
reminder-late = (late: the system was down for a while)
reminder-before = ⏰ A help-plan action (case #{ $case }) is due in { $days } days, on { $due }.
reminder-due = ⏰ A help-plan action (case #{ $case }) is due today.
reminder-overdue = ⏰ A help-plan action (case #{ $case }) is { $days } days overdue (due { $due }).
alert-action-overdue = ⚠️ A help-plan action (case #{ $case }) is { $days } days overdue and not done.
reminder-button-done = ✅ Done
reminder-button-reschedule = 📅 Reschedule
reminder-button-open = 📂 Open the plan
reminder-accept = ⏰ Case #{ $case } is still waiting to be accepted.
alert-not-accepted = ⚠️ Case #{ $case } ({ $urgency }) has not been accepted { $hours } hours after the referral.
reminder-yearly = 📅 Student care system, yearly task: { $task }

## Cases
case-title = Case #{ $case } · { $urgency } · { $status }
case-student = Student: { $name }, class { $class }
case-referred-by = Referred by { $by } on { $date } ({ $days ->
        [0] today
        [1] 1 day ago
       *[other] { $days } days ago
    })
case-owner = Owner: { $owner }
case-aspects = Aspects: { $aspects }
case-reason = Observed: { $reason }
case-has-photo = One photo attached
case-external = Referred outside: { $agency }
case-agency-unknown = (agency not recorded yet)
case-goal = 🎯 Plan goal: { $goal }
case-outcome = 📘 Outcome: { $outcome }
case-button-accept = ✅ Accept
case-button-ask = ❓ Ask for information
case-button-hand-over = ↪ Hand over
case-button-goal = 🎯 Plan goal
case-button-add-action = ➕ Add action
case-button-note = 📝 Note
case-button-in-progress = ▶ In progress
case-button-referred-out = 🏥 Refer outside
case-button-close = 📘 Close
case-button-history = 🕘 History
case-button-photo = 🖼 Photo
case-photo-caption = Photo for case #{ $case }
case-button-back = ◀ Back
case-choose-new-owner = Who should take over this case?
case-ask-question = Type your question for the referring teacher.
case-ask-note = Type the note.
case-ask-goal = Type the goal of the help plan.
case-ask-action = Type the action (e.g. a home visit with the parents).
case-ask-outcome = Type the outcome to close the case (required).
case-ask-agency = Type the outside agency (e.g. the hospital, the social development office).
case-type-text = Please type a message, or press "Cancel".
case-text-too-long = The message is too long (at most 1,000 characters).
case-saved = Saved.
case-not-owner = Only the case owner can do this.
case-is-closed = This case is closed.
case-already-done = This has already been done.
case-note-required = A note is required.
case-not-allowed = Sorry, you cannot open this case.
case-history-title = 🕘 History of case #{ $case }
case-by-system = system
case-event-opened = referred
case-event-accepted = accepted
case-event-question = asked for information
case-event-note = note
case-event-handed-over = handed over
case-event-in-progress = in progress
case-event-referred-out = referred outside
case-event-closed = closed
case-event-plan-goal = plan goal
case-event-action-added = action added
case-event-action-done = action done
case-event-action-cancelled = action cancelled
case-event-action-rescheduled = action rescheduled
case-event-escalated = head alerted (not accepted)
cases-none = There are no open cases.
cases-title = { $count } open cases (most urgent, then oldest first)
cases-line = #{ $case } { $urgency } · { $status } · { $who } · { $days } d

## Help plans
plans-none = You have no open actions.
plans-title = { $count } open actions (soonest first)
plan-ask-done-note = A short note on what was done (optional), or press "Skip": { $action }
plan-ask-new-date = Move it to which day? Press a button or type a date (e.g. 24/11/2569): { $action }
plan-ask-reason = Why is it moved?
plan-ask-owner = Who is responsible for this action?
plan-ask-due = When is it due? Press a button or type a date (e.g. 24/11/2569).
plan-owner-me = Me
plan-date-unreadable = That date could not be read. Please type it like 24/11/2569, or press a button.
plan-date-in-past = That date has passed. Please choose a day still to come.

## Weekly digest (head)
digest-title = 📊 Weekly digest { $date } (school year { $year }, term { $term })
digest-chart-caption = 📊 Screening groups per class, and coverage over the term
digest-screening = Screened (per class):
digest-groups = Screening: normal { $normal } · at risk { $risk } · problem { $problem }
digest-visits = Home visits: { $done }/{ $total } ({ $percent }%)
digest-cases = Open cases: up to 2 days { $fresh } · 3–7 days { $week } · over 7 days { $old } · not accepted { $unaccepted }
digest-overdue = { $count } overdue actions
digest-unreachable = { $count } people cannot be reached (blocked the bot)

## Plan review
case-button-review-date = 📆 Review date
case-review-date = 📆 Plan review: { $date }
plan-ask-review-date = When is the plan reviewed? Press a button or type a date (e.g. 24/11/2569).
case-event-plan-review = plan review date
