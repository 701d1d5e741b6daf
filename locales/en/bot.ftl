# Dulae — bot messages (English, second language)

## Roles
role-admin = administrator
role-head = head of student affairs
role-counselor = counsellor
role-teacher = homeroom teacher
role-parent = parent

## Command menu
cmd-start = Get started
cmd-help = Commands you can use
cmd-lang = Change language
cmd-cancel = Cancel what you are doing
cmd-invite-parents = Parents' invite slips for my classes
cmd-invite = Create a staff invite link
cmd-users = List users
cmd-children = My children

## Buttons
button-cancel = Cancel
button-skip = Skip
button-done-count = Done ({ $count })

## People who have not joined
intro-unregistered =
    Hello, this is "Dulae", the school's student care and support bot.
    It is only for staff and parents invited by the school.

    If you are staff or a parent, please ask the school for an invite link and open it to join.
not-registered = Sorry, you have not joined yet. Please ask the school for an invite link and open it.
access-revoked = Your access has been removed. If you think this is a mistake, please contact the school's administrator.
private-chat-only = Please use the bot in a private chat only. Student information is never sent to groups.

## Invite links
invite-unknown = Sorry, this invite link was not found. Please check that the whole link was copied, or ask the school for a new one.
invite-used = This invite link has already been used (it works once). Please ask the school for a new one.
invite-expired = This invite link has expired. Please ask the school for a new one.

## Welcome
welcome-teacher = Welcome! You are now the homeroom teacher of { $classes }.
welcome-counselor = Welcome! You are now registered as the counsellor (student care coordinator).
welcome-head = Welcome! You are now registered as head of student affairs.
welcome-admin = Welcome! You are now registered as an administrator.
welcome-parent = Welcome! You are now registered as a parent of { $child }. School announcements will arrive in this chat.
welcome-parent-no-child = Welcome! You are now registered as a parent.
welcome-child-linked = Linked to your child { $child }.
welcome-help-hint = Send /help to see your commands, or use the menu button next to the text box.

## Help
help-title = { $name } ({ $role }) can use these commands:
unknown-command = There is no such command, or you may not use it. Send /help to see your commands.
use-the-menu = Please choose a command from the menu, or send /help.
nothing-to-do-with-that = Sorry, the bot is not waiting for a message like this. Send /help to see your commands.
use-the-buttons = Please use the buttons below the message.
stale-button = This button is old or no longer valid. Please use the latest message.
cancelled = Cancelled.
nothing-to-cancel = There is nothing in progress to cancel.
state-lost-after-upgrade = Sorry, the bot was just updated and the step you were in cannot be continued. Please start that command again (form answers you saved are kept).
error-apology = Sorry, something went wrong for a moment. Nothing you saved is lost. Please try again.
message-too-long = The message is too long (at most { $max } characters).

## Language
lang-choose = Choose your language.
lang-set = Language set to English.

## Users (administrator)
users-title = Staff using the bot
users-line = • { $name } — { $role } { $classes }
users-parents = { $count ->
    [one] 1 parent has joined
   *[other] { $count } parents have joined
}

## Children (parent)
children-title = Children linked to this account
children-line = • { $name }, class { $class }
children-none = No child is linked to this account yet. If you have another child's invite link, just open it.

## Invite links from the chat (administrator)
invite-choose-role = Who is this invite for?
invite-choose-classes = Choose the classes this teacher looks after (several allowed), page { $page }/{ $pages }
invite-ask-name = Type the teacher's name (e.g. Somsri Jaidee), or press "Skip" to use their Telegram name.
invite-name-expected = Please type the name as text, or press "Skip".
invite-name-empty = Please type a name, or press "Skip".
invite-name-too-long = The name is too long (at most 100 characters).
invite-no-classes = There are no classes yet. Please import the roster first (dulae import students).
invite-pick-a-class = Please choose at least one class.
invite-created =
    Invite link for { $role } { $who } created.
    It works once and expires on { $expires }.
    Send this link to them in a private chat:
    { $link }
