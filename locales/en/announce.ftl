# Dulae — announcements and parent invite slips (English)

## Command menu
cmd-announce = Send an announcement to parents
cmd-news = Past announcements
cmd-parents = Parents who have joined

## Recipients
announce-audience-all-parents = all parents of the school
announce-audience-staff = all staff
announce-audience-parents-of = parents of { $classes }

## Choosing recipients
announce-choose-audience = Who is this announcement for?
announce-choose-grade = Choose the grade.
announce-choose-class = Choose the class.
announce-to-all-parents = 👪 All parents
announce-to-grade = A grade
announce-to-class = A class
announce-to-staff = 👩‍🏫 All staff
announce-to-my-classes = All my classes
announce-no-classes = You have no classes yet. Please contact the administrator.

## Writing
announce-ask-text =
    Announcement to { $audience }
    Type the announcement (at most { $max } characters).
announce-text-empty = There is no text yet. Please type the announcement.
announce-text-expected = Please type the text first; a photo or file can be attached in the next step.
announce-ask-media =
    You may attach 1 photo or 1 PDF file.
    Send it now, or press "No attachment".
    (With an attachment the text must be at most { $max } characters.)
announce-no-media = No attachment
announce-media-only-photo-pdf = Only a photo or a PDF file can be attached.
announce-caption-too-long = The text is too long to go with an attachment. Press "No attachment", or cancel and write a shorter text.
announce-text-too-long = The text is too long. Please shorten it.

## Preview
announce-preview =
    Preview
    To: { $audience } ({ $count } people)
    When: { $when }
    Attachment: { $attachment }
    ────────
    { $body }
announce-when-now = now
announce-attachment-none = none
announce-attachment-photo = 1 photo
announce-attachment-pdf = 1 PDF file
announce-no-recipients = Nobody in this group can receive it yet (no parent has joined).
announce-button-send = ✅ Send now
announce-button-confirm-scheduled = ✅ Confirm the schedule
announce-button-schedule = 🕒 Schedule
announce-button-edit = ✏️ Edit the text

## Scheduling
announce-ask-time =
    Type the date and time to send it,
    e.g. 24/11/2569 08:00
announce-time-bad = I cannot read that date and time. Please type it like 24/11/2569 08:00.
announce-time-past = That time has passed. Please choose a time ahead.
announce-time-far = Announcements can be scheduled at most 1 year ahead.
announce-time-passed = The scheduled time has passed. Please set a new time.
announce-scheduled =
    🕒 Scheduled.
    When: { $when }
    To: { $audience } ({ $count } people)
announce-button-unschedule = ✖ Cancel sending
announce-unscheduled = This announcement will not be sent.
announce-cannot-cancel = It can no longer be cancelled: sending has started.

## Progress and report
announce-progress =
    📤 Sending the announcement to { $audience }
    Sent { $done }/{ $total }
announce-report =
    ✅ The announcement has been sent.
    To: { $audience } ({ $total } people)
    Delivered: { $sent }
    Blocked the bot: { $blocked }
    Failed: { $failed }
    Acknowledged: { $acks }
announce-button-missing = 📋 Who did not receive it
announce-button-not-acked = 👀 Who has not acknowledged
announce-missing-title = { $count } people did not receive it (you may phone them):
announce-not-acked-title =
    Acknowledged: { $acks } of { $total }
    Not yet: { $count }
announce-list-more = …and { $count } more

## What parents receive
announce-header = 📢 Announcement from the school ({ $author })
announce-header-school = 📢 Announcement from { $school } ({ $author })
announce-ack-button = ✅ Acknowledge
announce-acked = Thank you, acknowledged.
announce-acked-already = You have already acknowledged it.

## Past announcements
announce-history-title = The latest announcements you received:
announce-history-none = No announcements yet.
announce-history-acked = ✅ acknowledged
announce-history-not-acked = not acknowledged yet

## Parent invite slips (homeroom teachers)
slips-caption =
    Parent invite slips, { $class } ({ $count } slips)
    Open the file, print it and cut out the slips.
    Each works once, until { $expires }.
slips-all-joined = Every student of { $class } has a parent who joined.
parents-title = Parents who have joined
parents-class-line = { $class }: { $joined }/{ $total } students
parents-hint = ✅ a parent has joined ⬜ not yet. Press /invite to print invite slips.
