# Dulae — printed documents (PDF), English
# The documents' own words live in the templates (templates/*.typ); this file has the chat's messages and the
# words put into documents from data.

## Words in documents
print-system = system
print-referral-enclosures = Screening record and student details
print-action-open = open
print-action-done = done
print-action-cancelled = cancelled
print-age-week = up to 7 days
print-age-month = 8–30 days
print-age-quarter = 31–90 days
print-age-longer = over 90 days

## /print in the chat
cmd-print = Print a document (PDF)
print-choose = Which document would you like to print?
print-kind-screening = 📋 Class screening summary
print-kind-visit = 🏠 Home-visit record
print-kind-referral = 📨 Referral and return slip
print-kind-plan = 🗂 Individual help plan
print-kind-report-term = 📊 This term's report
print-kind-slips = 🎟 Parent invite slips (PDF)
print-kind-report-year = 📚 This school year's report
print-choose-class = Choose a class.
print-choose-class-slips = Choose a class. The new slips replace the unused ones printed before.
print-choose-student = Choose a student.
print-choose-case = Choose a case.
print-case-button = #{ $id } { $student } · { $status }
print-nothing = There is no document you can print.
print-no-classes = You have no classes yet.
print-no-students = This class has no students yet.
print-no-cases = There are no referrals you can see yet.
print-no-visit = This student has no home-visit record yet.
print-not-allowed = Sorry, you may not print this document.
print-working = Preparing the document, one moment…
print-caption = 📄 { $title }
    This document holds students' personal data; please keep it safe.
print-failed = Sorry, the document could not be made. Please tell the administrator.
print-use-buttons = Please use the buttons above to choose.
print-cancelled = Printing cancelled.
print-button-cancel = Cancel

## dulae print and dulae templates (command line)
print-cli-bad-term = "{ $text }" is not a term; write it like 2/2569.
print-cli-logo-unreadable = Cannot read the school's logo (DULAE_SCHOOL_LOGO) { $file }.
print-cli-templates-broken = The print templates have problems (fix the files at the lines below, or unset DULAE_TEMPLATES_DIR).
print-cli-school-copy = school's copy: { $name }
print-cli-template-ok = ok: { $name }
print-cli-templates-failed = { $count } template(s) with problems.
print-cli-no-class = Class { $class } has no students; import the roster first.
print-cli-no-student = No student with code { $code }.
print-cli-written = Wrote { $file } ({ $title }, { $kb } KB).
print-cli-slips-written = Wrote { $count } parent slips for { $class } to { $file } — print on A4 and cut; each link works once.
print-missing-class = No such class (id { $id }).
print-missing-student = No such student (id { $id }).
print-missing-case = No case { $case }.
print-missing-visit = Student { $code } has no home-visit record yet.
