# Forms: screening, home visits and student information

cmd-screen = Screen students
cmd-visit = Record a home visit
cmd-student = Student information

group-normal = normal
group-risk = at risk
group-problem = problem

## Choosing a class and a student
pick-title-screen = 📋 Screening
pick-title-visit = 🏠 Home visit
pick-title-view = 👤 Student information
pick-choose-class = Choose a class.
pick-other-class = Other class
pick-class-summary-screen = Class { $class }, term { $term }: { $done }/{ $total } screened (page { $page }/{ $pages })
    ✅ done  📝 draft  ⬜ not yet
pick-class-summary-visit = Class { $class }, term { $term }: { $done }/{ $total } visited (page { $page }/{ $pages })
    ✅ done  📝 draft  ⬜ not yet
pick-class-summary-view = Class { $class } (page { $page }/{ $pages }), latest screening:
    🟢 normal  🟡 at risk  🔴 problem  ⬜ not screened
pick-class-empty = Class { $class } has no students yet.
pick-no-class-assigned = You have no class assigned yet. Please contact the administrator.
pick-no-classes = There are no classes yet. Please ask the administrator to import the roster first.
pick-not-your-student = Sorry, you may not see or record this student's information.
pick-draft-exists = There is a saved draft for { $name }. Continue it or start again?
pick-continue-draft = ▶ Continue the draft
pick-restart-draft = ↺ Start again (delete the draft)

## Forms
form-header = { $form } · { $name } ({ $class })
form-progress = Question { $index }/{ $total }
form-repeat-item = { $what } { $number }
form-current-choice = Chosen: { $answer }
form-current-answer = Current answer: { $answer }
form-hint-multi = (choose any that apply, then press "Done")
form-hint-number = (type a number)
form-hint-text = (type your answer)
form-hint-date = (type a date, e.g. 24/11/2569)
form-hint-photo = (send photos one by one or together: { $count }/{ $max } so far; press "Done" when finished)
form-location-how = Two ways to send the student's home location:
    • At the student's home: turn on GPS and tap "📍 Send current location" below.
    • Back at school: tap 📎 by the text box, choose "Location" and move the pin to the student's home.
    Tap "Skip" if you do not want to record it.
form-location-button = 📍 Send current location
form-location-keyboard-closed = ✓
form-button-today = Today
form-button-back = ◀ Back
form-button-skip = Skip
form-button-next = Next ▶
form-button-done = Done ✓
form-button-save = 💾 Save for later
form-button-cancel = ✖ Cancel
form-button-add = ➕ Add another
form-button-no-more = No more
form-button-submit = ✅ Submit
form-button-confirm-cancel = Cancel the form
form-button-keep-going = Keep going
form-button-refer = 📨 Refer
form-add-another = { $count } recorded. Any more?
form-review-title = Please review the answers before submitting.
form-review-skipped = (skipped)
form-review-unanswered = (not answered)
form-review-missing = ⚠️ Still missing required answers: { $items }
form-review-hint = Press ✏️ and a number to edit it, or "Submit".
form-confirm-cancel = Cancel this form? All of this student's answers in it will be deleted. (To keep them for later, press "Keep going" and then "Save for later".)
form-saved = Saved. { $name }'s answers are kept; continue any time with { $command }.
form-cancelled = The form was cancelled.
form-closed = This form is already closed. Start again from the menu.
form-draft-unreadable = Sorry, the saved draft cannot be read after an update, so the form starts again.
form-left-draft-kept = You left { $name }'s form; your answers are kept as a draft.

## Problems with an answer
form-problem-required = This question needs an answer.
form-problem-constraint = The answer is outside the allowed range.
form-problem-number = Please type a number.
form-problem-date = That date could not be read. Please type it like 24/11/2569.
form-problem-too-long = The answer is too long (at most { $max } characters).
form-problem-use-buttons = Please choose with the buttons for this question.
form-problem-type-text = Please type the answer as text for this question.
form-problem-location = This question needs a location: at the home, tap "📍 Send current location"; back at school, tap 📎, choose "Location" and move the pin to the home; or tap "Skip".
form-problem-photo = Please send a photo, or press "Done".
form-problem-stale-choice = That button is not a choice of this question. Please use the buttons below.
form-problem-forwarded = A forwarded message cannot be an answer. Please answer yourself.
form-problem-unsupported = Stickers, voice messages and files cannot answer this question. Please answer as asked.
form-problem-too-many-photos = At most { $max } photos.
form-problem-missing = { $count ->
    [one] One required question is still unanswered.
   *[other] { $count } required questions are still unanswered.
}

## Results
form-submitted-screening = ✅ Screening of { $name } saved.
form-result-overall = Overall: { $group }
form-result-all-normal = Every aspect is normal.
form-result-attention = Aspects that need care:
form-result-others-normal = All other aspects are normal.
form-result-scale-incomplete = incomplete
form-result-refer-hint = To ask the counsellor for help, press "Refer".
form-submitted-record = ✅ { $form } of { $name } saved ({ $photos } photos, location: { $location }).
form-location-yes = yes
form-location-no = none

## Student information
student-title = 👤 { $name }, class { $class } (student id { $code })
student-no-screening = No screening result yet.
student-no-visit = No home visit recorded yet.
student-screening = 📋 Latest screening, term { $term } ({ $date }, by { $by })
student-visit = 🏠 Latest home visit { $date }, by { $by }
student-visit-map = • { $label }: { $url }
student-visit-photos = • { $label }: { $count } photo(s)
student-visit-household = • { $label }: { $count } people
student-case = 📨 Case #{ $case } · { $status } · looked after by { $owner }
student-case-goal = • Goal of the help plan: { $goal }
student-case-action = • To do: { $what } ({ $who }, by { $due })
