# Dulae — messages of the running parts: the settings (.env) read when the bot starts

## A setting with a value it does not accept (the bot does not start until it is fixed)
config-invalid = The setting { $name } is not valid: it is "{ $value }" but must be { $wants }. Fix it in the .env file and start the bot again.
config-wants-flag = true or false (yes/no, 1/0 or on/off also work)
config-wants-days = a number of days from { $min } to { $max }
config-wants-number = a number from { $min } to { $max }
config-wants-numbers = numbers of days separated by commas, like 3,1 (each from 0 to 3650)
config-wants-accept-hours = three numbers of hours separated by commas, for normal, urgent and very urgent, like 72,24,2
config-wants-time = a time like 08:00
config-wants-quiet-hours = two hours like 20-7 (each from 0 to 23)
config-wants-lang = th or en
config-wants-url = an address starting with http:// or https://
config-wants-send-rate = messages a second from 1 to 30
config-wants-log = error, warn, info, debug, trace or off (or like info,dulae=debug)
