package main

import "github.com/spf13/cobra"

// helpTopics are pages for smtpcode help TOPIC: what a user needs offline
// that no single command's help says.
func helpTopics() []*cobra.Command {
	return []*cobra.Command{
		{
			Use:   "environment",
			Short: "The environment variables smtpcode reads",
			Long:  environmentHelp,
		},
		{
			Use:   "exit-codes",
			Short: "What smtpcode's exit statuses mean",
			Long:  exitCodesHelp,
		},
		{
			Use:   "json",
			Short: "The JSON every --json prints: one schema, version 2",
			Long:  jsonHelp,
		},
	}
}

func helpTopicNames() []string {
	var out []string
	for _, c := range helpTopics() {
		out = append(out, c.Name())
	}
	return out
}

const environmentHelp = `smtpcode reads these environment variables:

  NO_COLOR            any value: no colour (--color always still colours)
  CLICOLOR_FORCE      colour even when piped; the layout still follows
                      whether stdout is a terminal, and a piped snippet is
                      always exactly its source
  TERM=dumb           no colour
  COLUMNS             the width piped text is wrapped to; unset, piped text
                      is not wrapped (a terminal's own width is used there)
  SMTPCODE_PAGER      the pager for pages taller than the terminal; then
                      PAGER; by default "less -FRX"; "" or "cat" for none
  SMTPCODE_FRAMEWORK  the framework a page and "smtpcode snippet CODE" pick
                      on a terminal; a name that is no framework is ignored
                      with a warning
  SMTPCODE_FORCE_TTY  treat stdout as a terminal; a number is its width
  SMTPCODE_LANG       the language of the text: en or ko; --lang comes
                      first, then this, then the first of LC_ALL,
                      LC_MESSAGES and LANG that is set (ko_KR.UTF-8 is
                      Korean); any other language is English
`

const exitCodesHelp = `smtpcode's exit status, the same for every command (explain included):

  0  found: what was asked for was printed; with several codes, at least
     one was found (the others are named on stderr)
  1  not found: a well-formed code the catalogue lacks, a search with no
     match, a log with no SMTP reply in it
  2  usage error: not a code, an unknown command, flag or framework, an
     empty argument, a file that cannot be read; what could be shown still is

Errors go to stderr as "smtpcode: error: ...", with a "hint: ..." line where
one helps. A closed pipe (smtpcode list | head) ends quietly.
`

const jsonHelp = `Every --json prints JSON Lines: one object a line, nothing else on stdout.
Each object has "schema_version": 2 and "object", which says what it is:

  entry      a catalogue entry: smtpcode CODE, list, search
  framework  a snippet framework: frameworks, snippet CODE
  snippet    one snippet: snippet CODE FRAMEWORK ("source" is the file)
  reply      a reply explain found: file, line, code, enhanced, text, ...
  summary    explain --summary: counts per code
  event      smtpcode mock --json: connect, command, reply, message, ...

The same name means the same thing everywhere:

  code        a string: "550", "5.7.1", "TSS04" (an entry's code); "550"
              or null in a reply, a summary row, a snippet, an event
  enhanced    the enhanced status code, "5.7.1"
  class       the class digit, 2 to 5 (null for an entry of any class)
  class_name  success, intermediate, transient or permanent
  action      none, continue, retry, fix or give-up
  retry       true when the reply is worth retrying unchanged
  actor       who must act: none, sender, sender-admin, recipient-admin
  reply_text  the text of a pasted reply, its line prefixes removed

The schema version changes only when a member is removed or changes
meaning; members may be added. Version 2 (this one) made every output JSON
Lines, "code" a string everywhere, and added "object" and "class_name".

The JSON Schema (draft 2020-12) is docs/schema/smtpcode.schema.json in the
source, and docs/json.md describes every member:
https://github.com/smtpcode/smtpcode/blob/main/docs/json.md

  smtpcode 421 --json | jq .retry
  smtpcode list --class 4 --json | jq -r .code
  smtpcode explain mail.log --json | jq -r 'select(.retry) | .code'
`
