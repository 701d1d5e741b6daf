# Dulae — statistics and reports (English)

## Command menu
cmd-stats = Care statistics
cmd-export = Download the report (Excel)

## /stats
stats-title = 📊 Statistics, school year { $year }, term { $term }
    As of { $date }.
stats-class = 🏫 { $class } · { $students } students
stats-school = 🏫 Whole school · { $students } students
stats-total = 🧮 Your classes · { $students } students
stats-screened = Screened { $done }/{ $students } ({ $pct }%)
stats-groups = 🟢 normal { $normal } · 🟡 at risk { $risk } · 🔴 problem { $problem }
stats-visited = Home visits { $done }/{ $students } ({ $pct }%)
stats-cases = Open cases { $open } · closed { $closed }
stats-overdue = ⏰ Overdue plan actions: { $count }
stats-aspects-title = By aspect (normal / at risk / problem):
stats-aspect = • { $aspect }
    {"   "}{ $normal } / { $risk } / { $problem }
stats-flag = ⭐ { $flag }: { $count }
stats-survey = 😊 Satisfaction: { $responses } answers
    average { $mean } of 5
stats-chart-caption = 📈 Screening results by class, term { $term }
stats-export-hint = For the Excel file, send /export.
stats-no-classes = You have no classes yet.
    Ask the administrator to add yours.
stats-no-students = There are no students in the system yet.
    The administrator imports the roster first.
stats-not-allowed = This role does not see care statistics.

## /export
export-caption = 📎 Report for term { $term } (as of { $date })
    Students' personal data: please keep it safe.

## Chart
chart-groups-title = Screening results by class, term { $term }
chart-as-of = As of { $date }
chart-not-screened = Not screened
chart-school = Whole school
chart-total = Total
chart-no-students = No students
chart-coverage-title = Screening coverage by week (%)
chart-no-data = No screenings this term yet
chart-footer = Screened { $screened } of { $students } · Dulae

## Satisfaction survey (sent by the head or the administrator)
cmd-survey = Send the satisfaction survey
survey-choose-audience = Send the satisfaction survey to whom?
survey-choose-line = { $audience } ({ $count })
survey-audience-parents = all parents
survey-audience-staff = all staff
survey-preview = Send the satisfaction survey to { $audience } ({ $count } people)?
survey-button-send = ✅ Send
survey-sent = ✅ The survey was sent to { $audience } ({ $count } people). Results appear in /stats and /export.
survey-just-sent = This survey went to this group a moment ago, so it was not sent again.
survey-no-form = There is no satisfaction survey form installed.
survey-invitation = 📝 The school would like your opinion of its student care system. It takes about 2 minutes. Press the button below to answer.
survey-button-answer = 📝 Answer the survey
survey-header = 📝 { $form }
survey-thanks = Thank you! The school has received your answers.
survey-saved = Saved. Press "Answer the survey" on the invitation to continue any time.
survey-already-answered = You have already answered this survey. Thank you.
