# The school year, the new-year rollover, staff changes and parent links (English)

## The school year in statistics and the weekly digest
stats-visited-year = Home visits (this school year) { $done }/{ $students } ({ $pct }%)
digest-visits-year = Home visits (this school year): { $done }/{ $total } ({ $percent }%)

## Invite links that do not work
invite-voided = This invite link was cancelled (a new slip may have been printed instead). Please ask the homeroom teacher or the school for a new link.
invite-refused-revoked = Your access has been revoked, so invite links cannot be used with this account. If you think this is a mistake, please contact the school's administrator.
invite-student-left = This invite link no longer works because the student is no longer on the school's roster. If you think this is a mistake, please contact the school.
invite-places-taken = All parent places of this student are already taken. To change a parent, please tell the homeroom teacher.

## Cases and actions of someone who left
notify-actions-handed-over = 📋 { $count } help-plan action(s) were handed to you because the person responsible has left.
case-event-owner-left = The owner left; case handed over
case-event-action-owner-left = The person responsible left; action handed over

## dulae staff
staff-list-empty = Nobody has joined yet; create the first invite with dulae invite admin
staff-list-header = id · name · role · classes · status
staff-list-line = #{ $id } · { $name } { $username } · { $role } · { $classes } · { $status }
staff-status-active = active
staff-status-revoked = revoked
staff-no-classes = (no classes)
staff-bad-class = Class "{ $class }" cannot be read: { $problem } (write it like ป.5/1)
staff-classes-set = { $name } (#{ $id }) now has: { $after }
    (before: { $before })
staff-revoked = Revoked: { $name } (#{ $id }, { $role }) can no longer use the bot.
staff-revoked-already = { $name } (#{ $id }) had no access already; nothing changed.
staff-revoked-detail = Class assignments ended: { $classes } · unused invites voided: { $invites }
staff-revoked-handed = { $cases } open case(s) and { $actions } action(s) handed to { $to } (notified, recorded in each case's history).
staff-revoked-nobody = ⚠️ There is no counsellor or head yet: { $cases } open case(s) and { $actions } action(s) have nobody to take them. Invite a counsellor, who can then take them over.
staff-reinstated = Reinstated: { $name } (#{ $id }, { $role }) can use the bot again. For a homeroom teacher, assign classes with dulae staff assign.
staff-error-no-person = No person "{ $who }"; see dulae staff list for ids.
staff-error-not-teacher = { $name } is { $role }, not a homeroom teacher: only teachers have classes.
staff-error-revoked = { $name }'s access is revoked; reinstate them first with dulae staff reinstate.
staff-error-unknown-class = Class { $class } is not in the roster; import the roster for it first.
staff-error-not-their-class = { $name } does not have class { $class }.
staff-error-not-revoked = { $name } has access already; there is nothing to reinstate.
staff-error-own-access = You cannot revoke your own access.

## dulae year
year-bad-year = "{ $year }" is not a school year; write the Buddhist Era year, e.g. 2570.
year-plan-title-check = 🔎 Checking the start of school year { $year } (nothing is written)
year-plan-title = 🎒 Starting school year { $year }
year-plan-students = Students before: { $active }. Moving class: { $moved } · same class: { $stayed } · new: { $added } · returning: { $returned } · leaving (archived, kept): { $archived }
year-plan-archived-title = Students not in the new roster (archived, never deleted):
year-and-more = ... and { $count } more
year-plan-assignments = Class assignments of the old year ending: { $count } · unused teacher invites voided: { $invites } · parent links of leaving students voided: { $codes }
year-plan-no-teacher = Classes without a homeroom teacher ({ $count }): { $classes }
year-plan-no-cases = No open cases.
year-plan-cases = Cases carrying on into the new year: { $cases } (open plan actions: { $actions }). A case follows the student, not the class:
year-plan-case-line = {"  "}#{ $case } { $student } → { $class } · owner { $owner } · { $urgency } · { $status } · actions { $actions }
year-plan-student-leaves = leaving (close or hand on the case)
year-plan-next-steps = Next: assign homeroom teachers with dulae staff assign WHO --class ป.1/1 (or /staff in the chat), then print parent slips for the new students.
year-check-nothing-written = Nothing was written (--check). If this is right, run the same command without --check.
year-started = ✅ School year { $year } has started.
year-roster-invalid = The roster { $file } has { $count } problem(s):
year-too-early = School year { $year } cannot start yet: it can from { $from } (the last day of term 2/{ $previous }). If the school's term ends earlier, record it with dulae terms set 2/{ $previous } --from … --to …
year-already-started = School year { $year } has already started (see dulae year list). To correct the roster, use dulae import students.
year-needs-yes = The new roster would archive { $archived } of { $active } students, more than a quarter. Check that the file has every class; if it is right, add --yes.
year-nothing-changed = Nothing was changed.
year-current = Current school year: { $year }
year-term-line-recorded = {"  "}Term { $term }: { $from } – { $to } (recorded by the school)
year-term-line-national = {"  "}Term { $term }: { $from } – { $to } (national calendar; record the real dates with dulae terms set)
year-history-empty = No school year has been started with dulae year start yet.
year-history-line = School year { $year } started on { $date }

## /staff in the chat (administrator)
cmd-staff = Staff: classes and access
staff-chat-title = 👥 Staff: { $count } (page { $page }/{ $pages })
    Tap a name to set classes or access.
staff-chat-empty = Nobody has joined yet; create invite links with /invite.
staff-chat-person = 👤 { $name }
    Role: { $role }
    Classes: { $classes }
    Status: { $status }
staff-chat-classes = { $name }'s classes
    Tap a class to add or remove it (saved at once), then press "Done".
staff-chat-revoke-ask = Revoke { $name }'s access?
    Their classes end, unused invite links stop working, open cases and actions go to the counsellor (or the head). Access can be reinstated later.
staff-chat-revoked = ✅ Access revoked · class assignments ended: { $classes } · invite links voided: { $invites }
staff-chat-reinstated = ✅ Access reinstated. For a homeroom teacher, set the classes again.
staff-button-classes = 🏫 Set classes
staff-button-revoke = ⛔ Revoke access
staff-button-confirm-revoke = ⛔ Yes, revoke access
staff-button-keep = ◀ Keep access
staff-button-reinstate = ↩️ Reinstate
staff-button-done = ✅ Done
staff-button-back = ◀ Staff list
staff-admin-only = This button is for the administrator only.

## Who may own a case or an action
owner-not-allowed = Sorry, this person cannot be responsible for a case or an action (only active teachers, the counsellor and the head can). Please choose from the list.
owner-nobody = There is nobody else who can take the case yet.

## /parents: linked parents
parents-unlink-hint = Tap a student below to see their parents, or unlink one to free a place for a new slip.
parents-student-title = 👪 { $child } ({ $class })
    Parents linked: { $linked } of { $places }
parents-student-none = No parent is linked yet.
parents-button-unlink = ✖ Unlink { $parent }
parents-unlink-ask = Unlink { $parent } from { $child }?
    They will no longer receive this student's announcements, and one place is freed for a new slip (/invite).
parents-button-confirm-unlink = ✖ Yes, unlink
parents-button-keep = ◀ Keep
parents-button-back = ◀ Back
parents-unlinked = ✅ { $parent } was unlinked. Print a new slip with /invite.
parents-not-your-student = Sorry, this student is no longer in one of your classes.
year-too-late = School year { $year } is past its first term (it ended on { $ended }), so it cannot be started now. Check the year. To correct the roster during the year, use dulae import students.
