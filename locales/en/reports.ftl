# Dulae — statistics and reports (English)

## Command menu
cmd-stats = Care statistics
cmd-export = Download the report (Excel)

## /stats
stats-title = 📊 Statistics, term { $term }
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
